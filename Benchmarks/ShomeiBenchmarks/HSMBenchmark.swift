import Crypto
import Foundation
import ShomeiDomain
import ShomeiPKCS11
import ShomeiPKI
import X509

/// Issuance with the issuing CA key on a PKCS#11 token (SoftHSM2) beside the same kind of key in
/// memory, and the token's own signing rate (a loop of C_Sign on a digest) in the same run.
/// `Benchmarks/hsm.sh` makes the token and runs it; the bar (issue #19) is the token path's rate
/// at ≥ 80 % of the raw C_Sign rate. Issuance is measured one after another and, as `serve`
/// issues under load, from one task per core at once: every request builds its certificate on
/// its own task and queues for the one session (its lock) only for the C_Sign, so the token
/// signs one certificate while the next is built. The raw rate is one loop on that one session.
///
///     SOFTHSM2_CONF=… [SHOMEI_BENCH_TASKS=n] ShomeiBenchmarks hsm <count> <module> <token label> <pin>
enum HSMBenchmark {
    static func run(_ arguments: [String]) async throws {
        guard arguments.count == 4, let count = Int(arguments[0]) else {
            print("usage: ShomeiBenchmarks hsm <count> <module> <token label> <pin>")
            return
        }
        let session = try TokenSession(
            module: try PKCS11Module.load(arguments[1]), uri: TokenURI(token: arguments[2]), pin: SecretPIN(Array(arguments[3].utf8)))
        let pair = try session.generateKeyPair(.p256, label: "bench-\(UUID().uuidString)", id: Array(UUID().uuidString.utf8))
        defer { try? pair.delete() }
        // The key as `serve` holds it (HSMKey.load): re-opened when lost, signing on its own thread.
        let onToken = CAPrivateKey(algorithm: .p256, onToken: try ReopeningTokenKey { pair }.privateKey)
        let inMemory = try CAPrivateKey(generating: .p256)
        let orders = try (0..<count).map { _ in try order() }

        let digest = Array(SHA256.hash(data: Data("bench".utf8)))
        let tasks = Int(ProcessInfo.processInfo.environment["SHOMEI_BENCH_TASKS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        let onTokenIssuing = try issuing(onToken, orders), inMemoryIssuing = try issuing(inMemory, orders)
        // Rounds, each measuring every path in turn: this machine's speed drifts by tens of
        // percent within a minute, which a ratio of two figures taken a minute apart would carry.
        let rounds = 40, perRound = max(1, count / rounds)
        var ratios: (sequential: [Double], concurrent: [Double]) = ([], [])
        print("round\traw C_Sign/s\ttoken 1 at a time/s\ttoken \(tasks) tasks/s\tmemory 1 at a time/s\tmemory \(tasks) tasks/s")
        for round in 1...rounds {
            let raw = try rate(perRound) { _ in _ = try pair.rawSignature(overDigest: digest) }
            let token = try rate(perRound, onTokenIssuing)
            let tokenConcurrent = try await concurrentRate(perRound, tasks: tasks, onTokenIssuing)
            let memory = try rate(perRound, inMemoryIssuing)
            let memoryConcurrent = try await concurrentRate(perRound, tasks: tasks, inMemoryIssuing)
            ratios.sequential.append(token / raw)
            ratios.concurrent.append(tokenConcurrent / raw)
            print(String(format: "%d\t%.0f\t%.0f (%.0f %%)\t%.0f (%.0f %%)\t%.0f\t%.0f", round, raw, token, 100 * token / raw,
                         tokenConcurrent, 100 * tokenConcurrent / raw, memory, memoryConcurrent))
        }
        print(String(format: "median of raw C_Sign: one at a time %.0f %%, %d tasks on the one session %.0f %%",
                     100 * median(ratios.sequential), tasks, 100 * median(ratios.concurrent)))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// `count` issuances shared among `tasks` tasks started together, as concurrent requests are.
    private static func concurrentRate(_ count: Int, tasks: Int, _ body: @escaping @Sendable (Int) throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask { for index in stride(from: task, to: count, by: tasks) { try body(index) } }
            }
            try await group.waitForAll()
        }
        return perSecond(count, since: start)
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

    private static func rate(_ count: Int, _ body: (Int) throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        for index in 0..<count { try body(index) }
        return perSecond(count, since: start)
    }

    /// Operations per second: `count` since `start`.
    private static func perSecond(_ count: Int, since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
