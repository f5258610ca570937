import Crypto
import Foundation
import Synchronization
import ShomeiDomain
import ShomeiPKCS11
import ShomeiPKI
import X509

/// Issuance with the issuing CA key on a PKCS#11 token (SoftHSM2) beside the same kind of key in
/// memory, and the token's own signing rate (a loop of C_Sign on a digest) in the same run.
/// `Benchmarks/hsm.sh` makes the token and runs it; the bar (issue #19) is the token path's rate
/// at ≥ 80 % of the raw C_Sign rate. Issuance is measured one after another and from one task
/// per core at once, as concurrent requests issue: on one session (each request queues for it
/// only for the C_Sign, so the token signs one certificate while the next is built) and on a
/// pool of one session per core, as `serve` holds the key (`hsm.sessions`, one per core by
/// default). The raw rate is one loop on one session — alone, and beside a thread building
/// certificates (the load the other core puts on the token) — and one loop per core on the
/// pool: the token's own ceiling.
///
///     SOFTHSM2_CONF=… [SHOMEI_BENCH_TASKS=n] ShomeiBenchmarks hsm <count> <module> <token label> <pin>
enum HSMBenchmark {
    static func run(_ arguments: [String]) async throws {
        guard arguments.count == 4, let count = Int(arguments[0]) else {
            print("usage: ShomeiBenchmarks hsm <count> <module> <token label> <pin>")
            return
        }
        let module = try PKCS11Module.load(arguments[1])
        let session = try TokenSession(module: module, uri: TokenURI(token: arguments[2]), pin: SecretPIN(Array(arguments[3].utf8)))
        let pair = try session.generateKeyPair(.p256, label: "bench-\(UUID().uuidString)", id: Array(UUID().uuidString.utf8))
        defer { try? pair.delete() }
        // The key as `serve` holds it (HSMKey.load), re-opened when lost: on one session, and on
        // the pool of one session per core that `serve` opens.
        let onToken = CAPrivateKey(algorithm: .p256, onToken: try ReopeningTokenKey { pair }.privateKey)
        let tasks = Int(ProcessInfo.processInfo.environment["SHOMEI_BENCH_TASKS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        let pooled = try TokenSession(module: module, uri: TokenURI(token: arguments[2]), pin: SecretPIN(Array(arguments[3].utf8)),
                                      sessions: tasks).keyPair(id: pair.id)
        let onPool = CAPrivateKey(algorithm: .p256, onToken: try ReopeningTokenKey { pooled }.privateKey)
        let inMemory = try CAPrivateKey(generating: .p256)
        let orders = try (0..<count).map { _ in try order() }

        let digest = Array(SHA256.hash(data: Data("bench".utf8)))
        let onTokenIssuing = try issuing(onToken, orders), onPoolIssuing = try issuing(onPool, orders)
        let inMemoryIssuing = try issuing(inMemory, orders)
        // Rounds of slices, each slice running every path in turn for `slice` operations: this
        // machine's speed drifts by tens of percent within seconds (the raw rate alone ranged
        // 9,400–17,300/s between rounds), which two figures taken even a second apart would carry.
        let rounds = 40, slice = 50, slices = max(1, count / rounds / slice)
        let raw = { @Sendable (n: Int) throws -> Duration in try timed { for _ in 0..<n { _ = try pair.rawSignature(overDigest: digest) } } }
        let paths: [Measure] = [
            { n in try raw(n) },
            { n in try besideBuilding({ try? inMemoryIssuing(0) }) { try raw(n) } },
            { n in try await concurrently(n, tasks: tasks) { _ in _ = try pooled.rawSignature(overDigest: digest) } },
            { n in try timed { for index in 0..<n { try onTokenIssuing(index) } } },
            { n in try await concurrently(n, tasks: tasks, onTokenIssuing) },
            { n in try await concurrently(n, tasks: tasks, onPoolIssuing) },
            { n in try timed { for index in 0..<n { try inMemoryIssuing(index) } } },
            { n in try await concurrently(n, tasks: tasks, inMemoryIssuing) },
        ]
        var ratios: [Ratio: [Double]] = [:], poolToItsCeiling: [Double] = []
        print("round\traw C_Sign/s\traw, other core building/s\traw, \(tasks) loops on \(tasks) sessions/s\ttoken 1 at a time/s"
              + "\ttoken \(tasks) tasks, 1 session/s\ttoken \(tasks) tasks, \(tasks) sessions/s\tmemory 1 at a time/s\tmemory \(tasks) tasks/s")
        for round in 1...rounds {
            var elapsed = [Duration](repeating: .zero, count: paths.count)
            for _ in 0..<slices {
                for (path, measure) in paths.enumerated() { elapsed[path] += try await measure(slice) }
            }
            let rates = elapsed.map { Double(slice * slices) / ($0 / .seconds(1)) }
            for ratio in Ratio.allCases { ratios[ratio, default: []].append(rates[ratio.rawValue] / rates[0]) }
            poolToItsCeiling.append(rates[Ratio.pool.rawValue] / rates[Ratio.rawOnPool.rawValue])
            print(String(format: "%d\t%.0f\t%.0f\t%.0f\t%.0f (%.0f %%)\t%.0f (%.0f %%)\t%.0f (%.0f %%)\t%.0f\t%.0f", round, rates[0], rates[1],
                         rates[2], rates[3], 100 * rates[3] / rates[0], rates[4], 100 * rates[4] / rates[0], rates[5],
                         100 * rates[5] / rates[0], rates[6], rates[7]))
        }
        let medians = Ratio.allCases.map { 100 * median(ratios[$0] ?? []) }
        print(String(format: "median of the raw C_Sign loop: issuance one at a time %.0f %%, %d tasks on one session %.0f %%, "
                     + "%d tasks on %d sessions %.0f %%; raw with the other core building %.0f %%, %d raw loops on %d sessions %.0f %%",
                     medians[2], tasks, medians[3], tasks, tasks, medians[4], medians[0], tasks, tasks, medians[1]))
        print(String(format: "median of %d raw loops on %d sessions: issuance from %d tasks on %d sessions %.0f %%",
                     tasks, tasks, tasks, tasks, 100 * median(poolToItsCeiling)))
    }

    /// The paths compared with the raw loop (path 0), by their index in `paths`.
    private enum Ratio: Int, CaseIterable {
        case besideBuilding = 1, rawOnPool, sequential, oneSession, pool
    }

    /// How long a path takes for a number of operations.
    typealias Measure = @Sendable (Int) async throws -> Duration

    /// `body` (the raw loop) while another thread builds certificates without stopping, as the
    /// other core does while the token signs under concurrent issuance: how much that neighbour
    /// alone slows the token's own C_Sign, with no Shomei code between two signatures.
    private static func besideBuilding(_ build: @escaping @Sendable () -> Void, _ body: () throws -> Duration) rethrows -> Duration {
        let started = Atomic(false), stop = Atomic(false), stopped = Atomic(false)
        let neighbour = Thread {
            started.store(true, ordering: .releasing)
            while !stop.load(ordering: .relaxed) { build() }
            stopped.store(true, ordering: .releasing)
        }
        neighbour.start()
        // The loop starts with the neighbour already building, not during the thread's start-up.
        while !started.load(ordering: .acquiring) {}
        defer {
            stop.store(true, ordering: .relaxed)
            while !stopped.load(ordering: .acquiring) { usleep(100) }
        }
        return try body()
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// `count` issuances shared among `tasks` tasks started together, as concurrent requests are.
    private static func concurrently(_ count: Int, tasks: Int, _ body: @escaping @Sendable (Int) throws -> Void) async throws -> Duration {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask { for index in stride(from: task, to: count, by: tasks) { try body(index) } }
            }
            try await group.waitForAll()
        }
        return .now - start
    }

    /// One CA signing a client certificate per order: what `RegistrationAuthority` asks of it.
    private static func issuing(_ key: CAPrivateKey, _ orders: [CertificateAuthority.Order]) throws -> @Sendable (Int) throws -> Void {
        let hierarchy = try CAHierarchy.create(
            .init(organization: "Bench Bank", rootName: "Bench Root", issuingName: "Bench Issuing"), now: Date(), issuingKey: key)
        let authority = try CertificateAuthority(certificate: hierarchy.issuing, key: key,
                                                 profile: ClientCertificateProfile(baseURL: "http://127.0.0.1:8080"))
        return { index in _ = try authority.issue(orders[index]) }
    }

    private static func order() throws -> CertificateAuthority.Order {
        let request = try VerifiedSigningRequest(pemOrDER: try ShomeiBenchmarks.makeCSR())
        let subject = SubjectTemplate(organization: "Bench Bank", organizationalUnit: "Bench Issuing", bankCode: "0000")
            .subject(for: UserKey(contractID: try ContractID("BENCH"), userID: try UserID("U1")))
        return .init(request: request, subject: subject, serial: SerialNumberGenerator.next(), notBefore: Date())
    }

    private static func timed(_ body: () throws -> Void) rethrows -> Duration {
        let start = ContinuousClock.now
        try body()
        return .now - start
    }
}
