import Crypto
import ShomeiDomain
import SwiftASN1
import X509

extension Certificate {
    public var derBytes: [UInt8] {
        get throws {
            var serializer = DER.Serializer()
            try serializer.serialize(self)
            return serializer.serializedBytes
        }
    }

    public var pemString: String {
        get throws { try serializeAsPEM().pemString }
    }

    /// SHA-256 over the DER, lower-case hex: how the store and openssl (`-fingerprint -sha256`) name it.
    public var sha256Fingerprint: String {
        get throws { SHA256.hash(data: try derBytes).hexEncoded }
    }

    /// The serial as lower-case hex of its bytes, the store's key.
    public var serialHex: String { serialNumber.bytes.hexEncoded }

    public init(pemOrDER bytes: [UInt8]) throws {
        if let text = String(validating: bytes, as: UTF8.self), text.contains("-----BEGIN") {
            try self.init(pemEncoded: text)
        } else {
            try self.init(derEncoded: bytes)
        }
    }
}

extension Certificate.PublicKey {
    /// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bits
    /// (swift-certificates' `subjectPublicKeyInfoBytes` is exactly those bits, despite its name).
    public var keyIdentifier: [UInt8] {
        Array(Insecure.SHA1.hash(data: subjectPublicKeyInfoBytes))
    }

    /// SHA-256 over the same bits, lower-case hex: the key's identity for the key policy
    /// (`CertificateRecord.keySHA256`), whatever certificate or request carries it.
    public var keySHA256: String {
        SHA256.hash(data: subjectPublicKeyInfoBytes).hexEncoded
    }
}
