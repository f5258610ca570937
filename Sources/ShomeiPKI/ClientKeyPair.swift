import CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// A customer's key pair, made on the customer's machine by `shomei enroll` / `renew` (the issuing
/// app of seed 004): the private key never leaves it; only the CSR does.
public struct ClientKeyPair: Sendable {
    public let type: ClientKeyType
    public let privateKey: Certificate.PrivateKey
    /// PKCS#8 PrivateKeyInfo, for the key file and the PKCS#12 key bag.
    public let pkcs8DER: [UInt8]

    public init(generating type: ClientKeyType) throws {
        self.type = type
        switch type {
        case .p256:
            let key = P256.Signing.PrivateKey()
            (privateKey, pkcs8DER) = (Certificate.PrivateKey(key), Array(key.derRepresentation))
        case .p384:
            let key = P384.Signing.PrivateKey()
            (privateKey, pkcs8DER) = (Certificate.PrivateKey(key), Array(key.derRepresentation))
        case .rsa2048, .rsa3072, .rsa4096:
            let bits = type == .rsa2048 ? 2048 : type == .rsa3072 ? 3072 : 4096
            let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
            (privateKey, pkcs8DER) = (Certificate.PrivateKey(key), try PEMDocument(pemString: key.pkcs8PEMRepresentation).derBytes)
        }
    }

    /// Reads a PKCS#8 `PRIVATE KEY` PEM as written by `pemPKCS8` (EC or RSA).
    public init(pkcs8PEM pem: String) throws {
        let der = try PEMDocument(pemString: pem).derBytes
        if let key = try? P256.Signing.PrivateKey(derRepresentation: der) {
            (type, privateKey) = (.p256, Certificate.PrivateKey(key))
        } else if let key = try? P384.Signing.PrivateKey(derRepresentation: der) {
            (type, privateKey) = (.p384, Certificate.PrivateKey(key))
        } else {
            let key = try _RSA.Signing.PrivateKey(derRepresentation: der)
            (type, privateKey) = (try ClientKeyType.rsa(bits: key.keySizeInBits), Certificate.PrivateKey(key))
        }
        pkcs8DER = der
    }

    public var pemPKCS8: String { PEMDocument(type: "PRIVATE KEY", derBytes: pkcs8DER).pemString + "\n" }

    /// A PKCS#10 request signed by this key. The subject is only a hint: the CA takes the
    /// subject from its template, never from the request.
    public func signingRequest(commonName: String) throws -> [UInt8] {
        try Self.signingRequest(commonName: commonName, privateKey: privateKey, type: type)
    }

    /// The same for any key of `type`, in memory or on a token (`CustomPrivateKey`).
    public static func signingRequest(commonName: String, privateKey: Certificate.PrivateKey, type: ClientKeyType) throws -> [UInt8] {
        let algorithm: Certificate.SignatureAlgorithm = switch type {
        case .p256: .ecdsaWithSHA256
        case .p384: .ecdsaWithSHA384
        case .rsa2048, .rsa3072, .rsa4096: .sha256WithRSAEncryption
        }
        let request = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName(commonName) }, privateKey: privateKey,
            attributes: .init(), signatureAlgorithm: algorithm)
        var serializer = DER.Serializer()
        try serializer.serialize(request)
        return serializer.serializedBytes
    }
}
