import Crypto
import Foundation
import SwiftASN1
import X509

/// A password-protected PKCS#12 file (RFC 7292) holding one private key and its certificate
/// chain: what Windows, browsers (NSS) and openssl import as a client certificate.
///
/// No listed package writes PKCS#12, so this is ours, in the modern profile OpenSSL 3 writes by
/// default: the key as a PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) shrouded key bag, the
/// certificates as plain certificate bags (they are public), and an HMAC-SHA-256 integrity MAC
/// keyed by the RFC 7292 Appendix B key derivation. Key and leaf share a `localKeyId` and a
/// `friendlyName` so importers pair them and show a readable name.
public enum PKCS12 {
    public static let macIterations = 2048

    static let pkcs7Data: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]
    static let keyBag: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 12, 10, 1, 2]
    static let certBag: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 12, 10, 1, 3]
    static let x509Certificate: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 22, 1]
    static let friendlyName: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 20]
    static let localKeyID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 21]
    static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let explicit0 = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)

    /// `pkcs8` is the unencrypted PKCS#8 PrivateKeyInfo of `chain[0]`'s key; the chain runs
    /// leaf first. The key is encrypted with `password` (UTF-8, as OpenSSL does for PBES2).
    public static func encode(
        pkcs8: [UInt8], chain: [Certificate], password: String, friendlyName name: String,
        keyEncryption: PBES2Parameters = .random()
    ) throws -> [UInt8] {
        let macSalt = randomBytes(16)
        guard let leaf = chain.first else { throw ShomeiPKIError.malformedEncryptedKey("a PKCS#12 file needs a certificate") }
        let keyID = Array(SHA256.hash(data: try leaf.derBytes)).prefix(20)
        let attributes = try bagAttributes(name: name, keyID: Array(keyID))
        let key = try EncryptedPrivateKeyInfo(sealing: pkcs8, passphrase: password, parameters: keyEncryption).derEncoded
        let keySafe = try safeContents([safeBag(keyBag, value: key, attributes: attributes)])
        let certSafe = try safeContents(try chain.enumerated().map { index, certificate in
            try safeBag(certBag, value: try certificateBag(certificate), attributes: index == 0 ? attributes : nil)
        })
        let authenticatedSafe = try sequence { safe in
            try dataContentInfo(certSafe, into: &safe)
            try dataContentInfo(keySafe, into: &safe)
        }
        let mac = HMAC<SHA256>.authenticationCode(
            for: authenticatedSafe,
            using: SymmetricKey(data: macKey(password: password, salt: macSalt, iterations: macIterations)))
        return try sequence { pfx in
            try pfx.serialize(3)
            try dataContentInfo(authenticatedSafe, into: &pfx)
            try pfx.appendConstructedNode(identifier: .sequence) { macData in
                try macData.appendConstructedNode(identifier: .sequence) { digestInfo in
                    try digestInfo.appendConstructedNode(identifier: .sequence) { algorithm in
                        try algorithm.serialize(sha256)
                        try algorithm.serialize(ASN1Null())
                    }
                    try digestInfo.serialize(ASN1OctetString(contentBytes: ArraySlice(mac)))
                }
                try macData.serialize(ASN1OctetString(contentBytes: macSalt[...]))
                try macData.serialize(macIterations)
            }
        }
    }

    /// RFC 7292 Appendix B.2 with SHA-256 (u = 32, v = 64), purpose ID 3 (MAC key): the
    /// password as a NUL-terminated BMPString, salt and password each repeated to whole blocks.
    static func macKey(password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        let v = 64
        let bmp = utf16BigEndian(password) + [0, 0]
        func fill(_ bytes: [UInt8]) -> [UInt8] {
            bytes.isEmpty ? [] : (0..<(v * ((bytes.count + v - 1) / v))).map { bytes[$0 % bytes.count] }
        }
        let input = fill(salt) + fill(bmp)
        var digest = Array(SHA256.hash(data: [UInt8](repeating: 3, count: v) + input))
        for _ in 1..<iterations { digest = Array(SHA256.hash(data: digest)) }
        return digest // one 32-byte block is the whole HMAC-SHA-256 key
    }

    /// BMPString content: UTF-16 code units, big-endian (what OpenSSL makes of a UTF-8 password).
    static func utf16BigEndian(_ text: String) -> [UInt8] {
        text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
    }

    private static func certificateBag(_ certificate: Certificate) throws -> [UInt8] {
        try sequence { bag in
            try bag.serialize(x509Certificate)
            try bag.appendConstructedNode(identifier: explicit0) { value in
                try value.serialize(ASN1OctetString(contentBytes: try certificate.derBytes[...]))
            }
        }
    }

    private static func bagAttributes(name: String, keyID: [UInt8]) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .set) { set in
            try set.appendConstructedNode(identifier: .sequence) { attribute in
                try attribute.serialize(friendlyName)
                try attribute.appendConstructedNode(identifier: .set) { values in
                    try values.serialize(ASN1BMPString(contentBytes: utf16BigEndian(name)[...]))
                }
            }
            try set.appendConstructedNode(identifier: .sequence) { attribute in
                try attribute.serialize(localKeyID)
                try attribute.appendConstructedNode(identifier: .set) { values in
                    try values.serialize(ASN1OctetString(contentBytes: keyID[...]))
                }
            }
        }
        return serializer.serializedBytes
    }

    private static func safeBag(_ type: ASN1ObjectIdentifier, value: [UInt8], attributes: [UInt8]?) throws -> [UInt8] {
        try sequence { bag in
            try bag.serialize(type)
            bag.appendConstructedNode(identifier: explicit0) { $0.serializeRawBytes(value) }
            if let attributes { bag.serializeRawBytes(attributes) }
        }
    }

    private static func safeContents(_ bags: [[UInt8]]) throws -> [UInt8] {
        try sequence { contents in bags.forEach { contents.serializeRawBytes($0) } }
    }

    private static func dataContentInfo(_ content: [UInt8], into serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { info in
            try info.serialize(pkcs7Data)
            try info.appendConstructedNode(identifier: explicit0) { explicit in
                try explicit.serialize(ASN1OctetString(contentBytes: content[...]))
            }
        }
    }

    private static func sequence(_ body: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence, body)
        return serializer.serializedBytes
    }
}
