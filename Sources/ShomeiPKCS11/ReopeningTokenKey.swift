import Foundation
import ShomeiDomain
import SwiftASN1
import Synchronization
import X509

/// A key on the bank's HSM for a process that runs for months (`serve`). An HSM that restarts,
/// or a network HSM whose connection drops, ends the session: PKCS#11 then answers
/// `CKR_SESSION_HANDLE_INVALID`, `CKR_SESSION_CLOSED`, `CKR_DEVICE_REMOVED` or
/// `CKR_TOKEN_NOT_PRESENT` (`TokenProblem.tokenAbsent`) to every call on it. Instead of failing
/// every issuance until a restart, the next signature opens the key again — a new session, a
/// login with the PIN read again, the key found by its CKA_ID, since object handles need not
/// survive their session — and is tried once more on it. A key found with another public key
/// is refused, like a replaced key at start.
public final class ReopeningTokenKey: Sendable {
    private let open: @Sendable () throws -> TokenKeyPair
    private let current: Mutex<TokenKeyPair>

    /// Opens the key with `open`, which is called again each time the session is lost.
    public init(open: @escaping @Sendable () throws -> TokenKeyPair) throws {
        self.open = open
        current = Mutex(try open())
    }

    /// The pair signatures go to now.
    public var pair: TokenKeyPair { current.withLock { $0 } }

    /// For swift-certificates: every signature to the pair of the moment.
    public var privateKey: Certificate.PrivateKey { Certificate.PrivateKey(ReopeningPrivateKey(key: self)) }

    func sign(_ bytes: some DataProtocol, _ algorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        let used = pair
        do {
            return try used.sign(bytes, algorithm)
        } catch ShomeiError.token(.tokenAbsent) {
            return try reopened(after: used).sign(bytes, algorithm)
        }
    }

    /// A new pair in place of `lost`; one opening for every signature that found the session
    /// gone at the same time (the first replaces it, the others use its pair).
    private func reopened(after lost: TokenKeyPair) throws -> TokenKeyPair {
        try current.withLock { (pair) throws -> TokenKeyPair in
            guard pair.session === lost.session else { return pair }
            let fresh = try open()
            guard fresh.publicKey == lost.publicKey else {
                throw ShomeiError.token(.objectNotFound("id=\(lost.id.hexEncoded) with the public key it had"))
            }
            pair = fresh
            return fresh
        }
    }
}

/// swift-certificates' hook for the re-opening key; two are equal when they are the same key.
struct ReopeningPrivateKey: CustomPrivateKey {
    let key: ReopeningTokenKey

    var publicKey: Certificate.PublicKey { key.pair.publicKey }
    var defaultSignatureAlgorithm: Certificate.SignatureAlgorithm { key.pair.signatureAlgorithm }
    var supportedSignatureAlgorithms: [Certificate.SignatureAlgorithm] { [key.pair.signatureAlgorithm] }

    func signSynchronously(bytes: some DataProtocol, signatureAlgorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        try key.sign(bytes, signatureAlgorithm)
    }

    static func == (a: ReopeningPrivateKey, b: ReopeningPrivateKey) -> Bool { a.key === b.key }

    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(key)) }

    static var defaultPEMDiscriminator: String { TokenPrivateKey.defaultPEMDiscriminator }

    func serialize(into coder: inout DER.Serializer) throws {
        throw ShomeiError.token(.unsupported("exporting a key that stays on the token"))
    }
}
