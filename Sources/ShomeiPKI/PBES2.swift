import Crypto
import CryptoExtras
import SwiftASN1

/// PKCS#5 v2.1 PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018), the scheme OpenSSL 3
/// uses by default for encrypted PKCS#8 keys and PKCS#12 key bags.
///
/// Used to keep CA keys encrypted at rest in a form `openssl pkey` can also open.
public struct PBES2Parameters: Sendable, Equatable {
    public let salt: [UInt8]
    public let iterations: Int
    public let iv: [UInt8]

    static let pbes2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 13]
    static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 12]
    static let hmacWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 2, 9]
    static let aes256CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]

    /// swift-crypto's floor for PBKDF2 rounds; also OWASP's figure for PBKDF2-HMAC-SHA256 in 2023.
    public static let defaultIterations = 210_000
    /// A file asking for more work than this is refused rather than left to burn a core.
    static let maximumIterations = 10_000_000

    public init(salt: [UInt8], iterations: Int, iv: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.iv = iv
    }

    /// Fresh random salt and IV for one encryption.
    public static func random(iterations: Int = defaultIterations) -> Self {
        Self(salt: randomBytes(16), iterations: iterations, iv: randomBytes(16))
    }

    public func encrypt(_ plaintext: [UInt8], passphrase: String) throws -> [UInt8] {
        Array(try AES._CBC.encrypt(plaintext, using: key(passphrase), iv: AES._CBC.IV(ivBytes: iv)))
    }

    public func decrypt(_ ciphertext: [UInt8], passphrase: String) throws -> [UInt8] {
        do {
            return Array(try AES._CBC.decrypt(ciphertext, using: key(passphrase), iv: AES._CBC.IV(ivBytes: iv)))
        } catch {
            throw ShomeiPKIError.decryptionFailed
        }
    }

    private func key(_ passphrase: String) throws -> SymmetricKey {
        guard (1...Self.maximumIterations).contains(iterations) else {
            throw ShomeiPKIError.unsupportedEncryption("PBKDF2 iteration count \(iterations)")
        }
        return try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(passphrase.utf8), salt: salt, using: .sha256, outputByteCount: 32,
            unsafeUncheckedRounds: iterations)
    }
}

extension PBES2Parameters {
    /// Writes the whole `AlgorithmIdentifier { id-PBES2, PBES2-params }`.
    func serialize(into serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { algorithm in
            try algorithm.serialize(Self.pbes2)
            try algorithm.appendConstructedNode(identifier: .sequence) { params in
                try params.appendConstructedNode(identifier: .sequence) { kdf in
                    try kdf.serialize(Self.pbkdf2)
                    try kdf.appendConstructedNode(identifier: .sequence) { kdfParams in
                        try kdfParams.serialize(ASN1OctetString(contentBytes: salt[...]))
                        try kdfParams.serialize(iterations)
                        try kdfParams.appendConstructedNode(identifier: .sequence) { prf in
                            try prf.serialize(Self.hmacWithSHA256)
                            try prf.serialize(ASN1Null())
                        }
                    }
                }
                try params.appendConstructedNode(identifier: .sequence) { cipher in
                    try cipher.serialize(Self.aes256CBC)
                    try cipher.serialize(ASN1OctetString(contentBytes: iv[...]))
                }
            }
        }
    }

    /// Reads an `AlgorithmIdentifier` and accepts it only if it is the PBES2 profile above.
    init(algorithmIdentifier node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            try Self.expect(ASN1ObjectIdentifier(derEncoded: PublicKeyInfo.next(&nodes)), Self.pbes2)
            return try DER.sequence(PublicKeyInfo.next(&nodes), identifier: .sequence) { params in
                let (salt, iterations) = try Self.parseKDF(PublicKeyInfo.next(&params))
                let iv = try Self.parseCipher(PublicKeyInfo.next(&params))
                return Self(salt: salt, iterations: iterations, iv: iv)
            }
        }
    }

    private static func parseKDF(_ node: ASN1Node) throws -> ([UInt8], Int) {
        try DER.sequence(node, identifier: .sequence) { nodes in
            try expect(ASN1ObjectIdentifier(derEncoded: PublicKeyInfo.next(&nodes)), pbkdf2)
            return try DER.sequence(PublicKeyInfo.next(&nodes), identifier: .sequence) { fields in
                let salt = try ASN1OctetString(derEncoded: PublicKeyInfo.next(&fields))
                let iterations = try Int(derEncoded: PublicKeyInfo.next(&fields))
                var prf = fields.next()
                if let node = prf, node.identifier == .integer { prf = fields.next() }  // optional keyLength
                guard let prf else { throw ShomeiPKIError.unsupportedEncryption("PBKDF2 with HMAC-SHA1") }
                try DER.sequence(prf, identifier: .sequence) { prfNodes in
                    try expect(ASN1ObjectIdentifier(derEncoded: PublicKeyInfo.next(&prfNodes)), hmacWithSHA256)
                    _ = prfNodes.next()
                }
                return (Array(salt.bytes), iterations)
            }
        }
    }

    private static func parseCipher(_ node: ASN1Node) throws -> [UInt8] {
        try DER.sequence(node, identifier: .sequence) { nodes in
            try expect(ASN1ObjectIdentifier(derEncoded: PublicKeyInfo.next(&nodes)), aes256CBC)
            let iv = try ASN1OctetString(derEncoded: PublicKeyInfo.next(&nodes))
            guard iv.bytes.count == 16 else { throw ShomeiPKIError.malformedEncryptedKey("AES IV length") }
            return Array(iv.bytes)
        }
    }

    private static func expect(_ actual: ASN1ObjectIdentifier, _ expected: ASN1ObjectIdentifier) throws {
        guard actual == expected else { throw ShomeiPKIError.unsupportedEncryption("\(actual)") }
    }
}

/// CSPRNG bytes, eight per draw from the system generator (one getrandom call each).
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
    }
    return Array(bytes.prefix(count))
}
