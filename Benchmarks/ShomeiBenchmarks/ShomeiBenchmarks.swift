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
        if let mode = CommandLine.arguments.dropFirst().first, mode.hasPrefix("notices"), CommandLine.arguments.count == 3 {
            try await NoticeQueryBenchmark.run(mode: mode, target: CommandLine.arguments[2])
            return
        }
        let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
        let count = arguments.first ?? 2000
        let concurrency = arguments.dropFirst().first ?? 2
        print("issuance benchmark: \(count) certificates, \(concurrency) concurrent requests, SQLite synchronous=FULL")
        for algorithm in [CAKeyAlgorithm.p256, .rsa2048] {
            let rate = try await issuanceRate(caKey: algorithm, count: count, concurrency: concurrency)
            print(String(format: "%@ issuance/s %.0f", algorithm.rawValue, rate))
        }
    }

    static func issuanceRate(caKey: CAKeyAlgorithm, count: Int, concurrency: Int) async throws -> Double {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shomei-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLStore.sqlite(path: folder.appendingPathComponent("bench.sqlite").path)
        let hierarchy = try CAHierarchy.create(
            .init(organization: "Bench Bank", rootName: "Bench Root", issuingName: "Bench Issuing",
                  rootKeyAlgorithm: caKey, issuingKeyAlgorithm: caKey), now: Date().addingTimeInterval(-60))
        let registration = RegistrationAuthority(
            store: store,
            authority: try CertificateAuthority(certificate: hierarchy.issuing, key: hierarchy.issuingKey,
                                                profile: ClientCertificateProfile(baseURL: "http://127.0.0.1:8080")),
            subjectTemplate: SubjectTemplate(organization: "Bench Bank", organizationalUnit: "Bench Issuing", bankCode: "0000"),
            composer: try await NoticeComposer.load(signature: BankSignature(bankName: "Bench Bank", contactLine: "0000")),
            hasher: SecretHasher(passwordCost: 4, codeCost: 4))
        let contract = try ContractID("BENCH")
        _ = try await registration.addContract(id: contract, name: "Bench", actor: "bench")
        var users: [UserKey] = []
        for index in 0..<count {
            let key = UserKey(contractID: contract, userID: try UserID("U\(index)"))
            _ = try await registration.addUser(
                NewUser(key: key, name: "u", role: .general, email: try EmailAddress("u@example.jp"), password: "benchmark-password"),
                actor: "bench")
            users.append(key)
        }
        let csrs = try users.map { _ in try makeCSR() }
        let owners = users
        let start = ContinuousClock.now
        // `concurrency` workers, each taking every `concurrency`-th user: requests in flight at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: count, by: concurrency) {
                        _ = try await registration.issueCertificate(for: owners[index], csr: csrs[index], medium: .pc, actor: "bench")
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        try await store.shutdown()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(count) / seconds
    }

    /// Encodes and signs a CRL with `entries` revoked serials held in memory; prints the time,
    /// the size and the process's peak resident memory, and writes the CRL for openssl to check.
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
