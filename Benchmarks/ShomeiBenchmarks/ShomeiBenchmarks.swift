import Crypto
import Foundation
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRA
import ShomeiStorage
import X509

/// Issuance throughput: CSR verify + sign + durable SQLite commit (WAL, synchronous=FULL), in
/// process. `Benchmarks/issuance.sh` runs it beside `openssl speed` for the same CA key types
/// (openssl is run from the shell: started from a Swift process, `openssl speed` never gets its
/// SIGALRM and hangs).
///
///     swift run -c release ShomeiBenchmarks [count] [concurrency]
@main
struct ShomeiBenchmarks {
    static func main() async throws {
        if CommandLine.arguments.dropFirst().first == "crl" {
            try crl(entries: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 1_000_000)
            return
        }
        if CommandLine.arguments.dropFirst().first == "hsm" {
            try await HSMBenchmark.run(Array(CommandLine.arguments.dropFirst(2)))
            return
        }
        if CommandLine.arguments.dropFirst().first == "login" {
            try await LoginStorm.run(Array(CommandLine.arguments.dropFirst(2)))
            return
        }
        if CommandLine.arguments.dropFirst().first == "bcrypt" {
            // The physical limit of anything that hashes one password per user (Benchmarks/bulk.sh).
            let seconds = CommandLine.arguments.dropFirst(2).first.flatMap(Double.init) ?? 5
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print(String(format: "raw bcrypt cost 12, %d threads: %.2f hashes/s", cores, LoginStorm.bcryptRate(cost: 12, threads: cores, seconds: seconds)))
            return
        }
        if CommandLine.arguments.dropFirst().first == "events" {
            let count = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 100_000
            try await EventFeedBenchmark.run(count: count, postgres: CommandLine.arguments.dropFirst(3).first)
            return
        }
        if CommandLine.arguments.dropFirst().first == "enroll" {
            let numbers = CommandLine.arguments.dropFirst(2).compactMap(Int.init)
            try await EnrollmentBenchmark.run(count: numbers.first ?? 500, concurrency: numbers.dropFirst().first ?? 2)
            return
        }
        if let mode = CommandLine.arguments.dropFirst().first, mode.hasPrefix("notices"), CommandLine.arguments.count == 3 {
            try await NoticeQueryBenchmark.run(mode: mode, target: CommandLine.arguments[2])
            return
        }
        let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
        let count = arguments.first ?? 2000
        let concurrency = arguments.dropFirst().first ?? 64
        print("issuance benchmark: \(count) certificates, \(concurrency) concurrent requests, SQLite synchronous=FULL")
        for algorithm in [CAKeyAlgorithm.p256, .rsa2048] {
            let (rate, cpu, statistics) = try await issuanceRate(caKey: algorithm, count: count, concurrency: concurrency)
            print(String(format: "%@ issuance/s %.0f per-transaction %.1f cpu-us-per-issuance %.0f", algorithm.rawValue, rate,
                         Double(statistics.issuances) / Double(max(1, statistics.transactions)), cpu * 1e6))
        }
    }

    /// Issuances per second, CPU seconds per issuance, and how many each commit carried.
    static func issuanceRate(
        caKey: CAKeyAlgorithm, count: Int, concurrency: Int
    ) async throws -> (Double, Double, IssuanceBatcher.Statistics) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shomei-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLStore.sqlite(path: folder.appendingPathComponent("bench.sqlite").path)
        let (_, registration) = try await BenchSetup.registration(caKey: caKey, store: store)
        let users = try await BenchSetup.users(count, registration: registration)
        let csrs = try users.map { _ in try makeCSR() }
        // `concurrency` workers, each taking every `concurrency`-th user: requests in flight at once.
        let cpuBefore = BenchSetup.processCPUSeconds()
        let rate = try await BenchSetup.rate(count: count, concurrency: concurrency) { index in
            _ = try await registration.issueCertificate(for: users[index], csr: csrs[index], medium: .pc, actor: "bench")
        }
        let cpu = (BenchSetup.processCPUSeconds() - cpuBefore) / Double(count)
        let statistics = await registration.issuanceStatistics
        try await store.shutdown()
        return (rate, cpu, statistics)
    }

    static func crl(entries count: Int) throws {
        let hierarchy = try CAHierarchy.create(
            .init(organization: "Bench Bank", rootName: "Bench Root", issuingName: "Bench Issuing"), now: Date())
        let now = Date()
        let reasons: [RevocationReason] = [.keyCompromise, .superseded, .affiliationChanged, .unspecified]
        let entries = (0..<count).map { index in
            CertificateRevocationList.Entry(
                serial: SerialNumberGenerator.next(), revocationDate: now.addingTimeInterval(-Double(index)),
                reason: reasons[index % reasons.count])
        }
        let start = ContinuousClock.now
        let der = try CertificateRevocationList.build(
            issuer: hierarchy.issuing, key: hierarchy.issuingKey, entries: entries, number: 1,
            thisUpdate: now, nextUpdate: now.addingTimeInterval(86_400))
        let elapsed = ContinuousClock.now - start
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shomei-bench.crl").path
        try Data(der).write(to: URL(fileURLWithPath: path))
        try Data(try hierarchy.issuing.pemString.utf8).write(to: URL(fileURLWithPath: path + ".issuer.pem"))
        print("crl entries \(count) build \(elapsed) bytes \(der.count) peakRSS_MiB \(usage.ru_maxrss / 1024) file \(path)")
    }

    /// A client CSR (P-256), made ahead of time as a customer's PC would.
    static func makeCSR() throws -> [UInt8] {
        let key = P256.Signing.PrivateKey()
        let csr = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName("bench") },
            privateKey: Certificate.PrivateKey(key), attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .ecdsaWithSHA256)
        return Array(try csr.serializeAsPEM().pemString.utf8)
    }
}
