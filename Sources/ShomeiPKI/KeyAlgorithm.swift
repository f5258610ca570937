import Crypto
import CryptoExtras
import SwiftASN1
import X509

/// Key algorithms a Shomei CA key can use. Client keys have their own, separate policy
/// (`ClientKeyType`): the CA chooses its key, a customer's PC chooses theirs.
public enum CAKeyAlgorithm: String, Sendable, Codable, CaseIterable {
    case p256 = "ecdsa-p256"
    case p384 = "ecdsa-p384"
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case rsa4096 = "rsa-4096"

    /// SHA-256 with RSA or P-256, SHA-384 with P-384: the hash matches the key's strength.
    public var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .p256: .ecdsaWithSHA256
        case .p384: .ecdsaWithSHA384
        case .rsa2048, .rsa3072, .rsa4096: .sha256WithRSAEncryption
        }
    }
}

/// A CA's private key with its PKCS#8 encoding, so it can be sealed back to disk
/// (swift-certificates' `Certificate.PrivateKey` can sign but not export), or a key that lives
/// on an HSM and signs there (no encoding: it never leaves).
public struct CAPrivateKey: Sendable {
    public let algorithm: CAKeyAlgorithm
    public let certificateKey: Certificate.PrivateKey
    /// The key as unencrypted PKCS#8 DER: the plaintext that `EncryptedPrivateKeyInfo` seals;
    /// nil for a key on an HSM.
    public let pkcs8DER: [UInt8]?

    /// A key on an HSM, signing through swift-certificates' `CustomPrivateKey`.
    public init(algorithm: CAKeyAlgorithm, onToken key: Certificate.PrivateKey) {
        self.algorithm = algorithm
        certificateKey = key
        pkcs8DER = nil
    }

    public init(generating algorithm: CAKeyAlgorithm) throws {
        let pem = switch algorithm {
        case .p256: P256.Signing.PrivateKey().pemRepresentation
        case .p384: P384.Signing.PrivateKey().pemRepresentation
        case .rsa2048: try _RSA.Signing.PrivateKey(keySize: .bits2048).pkcs8PEMRepresentation
        case .rsa3072: try _RSA.Signing.PrivateKey(keySize: .bits3072).pkcs8PEMRepresentation
        case .rsa4096: try _RSA.Signing.PrivateKey(keySize: .bits4096).pkcs8PEMRepresentation
        }
        try self.init(pkcs8DER: try PEMDocument(pemString: pem).derBytes)
    }

    /// Reads an unencrypted PKCS#8 PrivateKeyInfo of one of the supported algorithms.
    public init(pkcs8DER der: [UInt8]) throws {
        if let key = try? P256.Signing.PrivateKey(derRepresentation: der) {
            (algorithm, certificateKey) = (.p256, Certificate.PrivateKey(key))
        } else if let key = try? P384.Signing.PrivateKey(derRepresentation: der) {
            (algorithm, certificateKey) = (.p384, Certificate.PrivateKey(key))
        } else if let key = try? _RSA.Signing.PrivateKey(derRepresentation: der) {
            let sizes: [Int: CAKeyAlgorithm] = [2048: .rsa2048, 3072: .rsa3072, 4096: .rsa4096]
            guard let algorithm = sizes[key.keySizeInBits] else { throw ShomeiPKIError.unsupportedCAKey }
            (self.algorithm, certificateKey) = (algorithm, Certificate.PrivateKey(key))
        } else {
            throw ShomeiPKIError.unsupportedCAKey
        }
        pkcs8DER = der
    }

    public var publicKey: Certificate.PublicKey { certificateKey.publicKey }
}
