import Crypto
import Foundation
import ShomeiDomain
import ShomeiPKCS11
import ShomeiPKI
import X509

/// Issuance with the issuing CA key on a PKCS#11 token (SoftHSM2) beside the same kind of key in
/// memory, and the token's own signing rate (a loop of C_Sign on a digest) in the same run.
/// `Benchmarks/hsm.sh` makes the token and runs it; the bar (issue #19) is the token path's rate
/// at ≥ 80 % of the raw C_Sign rate.
///
///     SOFTHSM2_CONF=… ShomeiBenchmarks hsm <count> <module> <token label> <pin>
enum HSMBenchmark {
    static func run(_ arguments: [String]) throws {
        guard arguments.count == 4, let count = Int(arguments[0]) else {
            print("usage: ShomeiBenchmarks hsm <count> <module> <token label> <pin>")
            return
        }
        let session = try TokenSession(
            module: try PKCS11Module.load(arguments[1]), uri: TokenURI(token: arguments[2]), pin: SecretPIN(Array(arguments[3].utf8)))
        let pair = try session.generateKeyPair(.p256, label: "bench-\(UUID().uuidString)", id: Array(UUID().uuidString.utf8))
        defer { try? pair.delete() }
        let onToken = CAPrivateKey(algorithm: .p256, onToken: pair.privateKey)
        let inMemory = try CAPrivateKey(generating: .p256)
        let orders = try (0..<count).map { _ in try order() }

        let digest = Array(SHA256.hash(data: Data("bench".utf8)))
        let raw = try rate(count) { _ in _ = try pair.rawSignature(overDigest: digest) }
        let token = try rate(count, issuing(onToken, orders))
        let memory = try rate(count, issuing(inMemory, orders))
        print(String(format: "raw C_Sign (P-256, SoftHSM) /s %.0f", raw))
        print(String(format: "issuance, CA key on the token /s %.0f (%.0f %% of raw C_Sign)", token, 100 * token / raw))
        print(String(format: "issuance, CA key in memory /s %.0f", memory))
    }

    /// One CA signing a client certificate per order: what `RegistrationAuthority` asks of it.
    private static func issuing(_ key: CAPrivateKey, _ orders: [CertificateAuthority.Order]) throws -> (Int) throws -> Void {
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
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
