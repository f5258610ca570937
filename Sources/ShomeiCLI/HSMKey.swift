import Foundation
import ShomeiDomain
import ShomeiPKCS11
import ShomeiPKI
import X509

/// The issuing CA key on an HSM (`hsm` in shomei.json): made there by `shomei init --hsm`, found
/// there by every command that signs. Certificates, CRLs and the OCSP signer's certificates are
/// then signed on the HSM through the same `CAPrivateKey` every signer already takes; the OCSP
/// signer's own short-lived key stays in memory.
enum HSMKey {
    /// The label the issuing CA key gets when the URI names none.
    static let defaultLabel = "Shomei Issuing CA"

    /// A key pair `create` made: the key to sign with, the pair (deleted again when the rest of
    /// `init` fails, so a retry is not refused as `objectExists`), and the settings naming it by
    /// `id=` as well, which a later relabelling on the HSM does not change.
    struct Created {
        let key: CAPrivateKey
        let pair: TokenKeyPair
        let settings: ShomeiConfiguration.HSM
    }

    /// Creates the issuing key pair on the token.
    static func create(
        _ settings: ShomeiConfiguration.HSM, algorithm: CAKeyAlgorithm, environment: [String: String]
    ) throws -> Created {
        let (session, named) = try open(settings, environment: environment)
        var uri = named
        let label = uri.object ?? defaultLabel
        guard try !session.holds(label: label) else { throw ShomeiError.token(.objectExists(label)) }
        let pair = try session.generateKeyPair(clientType(algorithm), label: label, id: TokenEnrollment.newID())
        uri.object = label
        uri.id = pair.id
        return Created(key: CAPrivateKey(algorithm: algorithm, onToken: pair.privateKey), pair: pair,
                       settings: .init(module: settings.module, issuingKey: uri.description))
    }

    /// Finds the issuing key pair on the token, by `id=` or else `object=` (or the default
    /// label), and checks it is the key `issuing` (ca/issuing.pem) certifies: a key replaced or
    /// relabelled on the HSM would otherwise sign certificates that chain to nothing. A session
    /// the HSM ends later is opened again the same way (`ReopeningTokenKey`).
    static func load(
        _ settings: ShomeiConfiguration.HSM, certifiedBy issuing: Certificate, environment: [String: String]
    ) throws -> CAPrivateKey {
        let key = try ReopeningTokenKey {
            let (session, uri) = try open(settings, environment: environment, sessions: settings.signingSessions)
            if session.sessionCount < settings.signingSessions {
                Output.warn("the HSM opened \(session.sessionCount) of \(settings.signingSessions) sessions (hsm.sessions): signing on those")
            }
            let pair = try uri.id.map { try session.keyPair(id: $0) } ?? session.keyPair(label: uri.object ?? defaultLabel)
            guard pair.publicKey == issuing.publicKey else {
                throw ShomeiError.invalidConfiguration(
                    "the HSM key \(pair.label) (id=\(pair.id.hexEncoded)) is not the issuing CA's key in ca/issuing.pem: check hsm.issuingKey")
            }
            return pair
        }
        return CAPrivateKey(algorithm: caAlgorithm(key.pair.type), onToken: key.privateKey)
    }

    /// Opens the HSM with `sessions` sessions: `load` opens `hsm.sessions` (one per core by
    /// default), so concurrent requests each sign on their own instead of queueing for one
    /// (docs/BENCHMARKS.md, issuance on an HSM).
    private static func open(
        _ settings: ShomeiConfiguration.HSM, environment: [String: String], sessions: Int = 1
    ) throws -> (TokenSession, TokenURI) {
        let uri = try TokenURI(parsing: settings.issuingKey)
        let module = try PKCS11Module.load(settings.module)
        let pin = try readPIN(environment)
        return (try TokenSession(module: module, uri: uri, pin: pin, sessions: sessions), uri)
    }

    /// `SHOMEI_HSM_PIN_FILE` (preferred: the PIN stays out of the process environment) or `SHOMEI_HSM_PIN`.
    private static func readPIN(_ environment: [String: String]) throws -> SecretPIN {
        if let path = environment["SHOMEI_HSM_PIN_FILE"], !path.isEmpty { return try TokenOptions.pin(fromFile: path) }
        if let pin = environment["SHOMEI_HSM_PIN"], !pin.isEmpty { return SecretPIN(Array(pin.utf8)) }
        throw ShomeiError.invalidConfiguration("the HSM PIN is missing: set SHOMEI_HSM_PIN_FILE (or SHOMEI_HSM_PIN)")
    }

    private static func clientType(_ algorithm: CAKeyAlgorithm) -> ClientKeyType {
        switch algorithm {
        case .p256: .p256
        case .p384: .p384
        case .rsa2048: .rsa2048
        case .rsa3072: .rsa3072
        case .rsa4096: .rsa4096
        }
    }

    private static func caAlgorithm(_ type: ClientKeyType) -> CAKeyAlgorithm {
        switch type {
        case .p256: .p256
        case .p384: .p384
        case .rsa2048: .rsa2048
        case .rsa3072: .rsa3072
        case .rsa4096: .rsa4096
        }
    }
}
