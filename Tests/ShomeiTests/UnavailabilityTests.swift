import Foundation
import ShomeiDomain
@testable import ShomeiStorage
import Synchronization
import Testing

/// The database going away mid-use: every store call ends, as `serviceUnavailable`, and writes
/// nothing; the store serves again once the database is back, without a restart.
@Suite struct UnavailabilityTests {
    /// PostgreSQL closes the connection inside a transaction (`pg_terminate_backend` of its own
    /// backend, as a server shutdown does). The next statement and the ROLLBACK after it are
    /// written to a closed channel, which PostgresNIO 1.33.2 never answers
    /// (`OpenPostgresConnection`): without the guard this transaction waits forever.
    @Test(.enabled(if: TestBackend.postgresURL != nil))
    func aConnectionLostInATransactionFailsItAtOnce() async throws {
        let store = try await TestBackend.postgres.makeStore()
        let key = try await StoreContractTests.seed(store)
        let outcome = await Deadline.finishing(within: .seconds(20)) {
            try await store.write { tx in
                try await tx.setStatus(.locked, of: key)
                _ = try? await (tx as! SQLSession).database.raw("SELECT pg_terminate_backend(pg_backend_pid())").run()
                // Long enough for NIO to close the channel and take its handlers down.
                try await Task.sleep(for: .milliseconds(300))
                return try await tx.user(key)?.status
            }
        }
        #expect(outcome == .threw("\(ShomeiError.serviceUnavailable)"))
        // A new connection serves the next call, and the lost transaction left nothing.
        #expect(try await store.read { try await $0.user(key)?.status } == .active)
        try await store.shutdown()
    }

    /// Another process holds SQLite's write lock past the busy timeout (5 s).
    @Test func aSQLiteDatabaseLockedByAnotherProcessIsUnavailable() async throws {
        let path = TemporaryFolder().file("locked.sqlite").path
        let store = try await SQLStore.sqlite(path: path)
        let key = try await StoreContractTests.seed(store)
        let holder = try LockHolder(path: path)
        defer { holder.stop() }
        await #expect(throws: ShomeiError.serviceUnavailable) {
            try await store.write { tx in try await tx.setStatus(.locked, of: key) }
        }
        holder.stop()
        try await store.write { tx in try await tx.setStatus(.locked, of: key) }
        #expect(try await store.read { try await $0.user(key)?.status } == .locked)
        try await store.shutdown()
    }
}

/// Python's sqlite3 holding `BEGIN EXCLUSIVE` on a database file until its stdin is closed (or
/// a minute has passed).
private final class LockHolder {
    let process = Process()
    let input = Pipe()

    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import select, sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            select.select([sys.stdin], [], [], 60)
            """, path]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Wait until the lock is held.
        _ = output.fileHandleForReading.readData(ofLength: 7)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Runs a body with a deadline that holds even when the body cannot be cancelled (a future that
/// is never completed): the test fails instead of hanging the run.
enum Deadline {
    enum Outcome: Equatable, Sendable {
        case returned
        case threw(String)
        case hung
    }

    static func finishing<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async -> Outcome {
        let once = Mutex<CheckedContinuation<Outcome, Never>?>(nil)
        let resume = { @Sendable (outcome: Outcome) in once.withLock { $0.take() }?.resume(returning: outcome) }
        return await withCheckedContinuation { continuation in
            once.withLock { $0 = continuation }
            Task {
                do { _ = try await body(); resume(.returned) } catch { resume(.threw("\(error)")) }
            }
            Task {
                try? await Task.sleep(for: limit)
                resume(.hung)
            }
        }
    }
}
