import Foundation
import ShomeiStorage

/// How long finding the due lifecycle notices takes among many certificates: the query the
/// expiry-notice job runs each tick (`Store.dueNotices`), on a store that
/// `Benchmarks/notices.sh` filled with the database's own bulk tools.
///
///     ShomeiBenchmarks notices-schema <sqlite-path | postgres-url>   (create the schema)
///     ShomeiBenchmarks notices <sqlite-path | postgres-url>          (measure)
enum NoticeQueryBenchmark {
    static func run(mode: String, target: String) async throws {
        let store = target.hasPrefix("postgres")
            ? try await SQLStore.postgres(url: target, schema: "bench_notices", maxConnections: 1)
            : try await SQLStore.sqlite(path: target)
        defer { Task { try? await store.shutdown() } }
        guard mode == "notices" else { return }
        let now = Date()
        var batchTimes: [Double] = []
        var due = 0
        for _ in 0..<20 {
            let start = ContinuousClock.now
            due = try await store.read { try await $0.dueNotices(at: now, limit: 500) }.count
            batchTimes.append(milliseconds(ContinuousClock.now - start))
        }
        batchTimes.sort()
        let start = ContinuousClock.now
        let all = try await store.read { try await $0.dueNotices(at: now, limit: 1_000_000) }.count
        let allTime = milliseconds(ContinuousClock.now - start)
        print(String(format: "due-batch rows %d median_ms %.2f max_ms %.2f | all-due rows %d ms %.1f",
                     due, batchTimes[batchTimes.count / 2], batchTimes.last!, all, allTime))
        try await store.shutdown()
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
