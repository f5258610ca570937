import CPKCS11
import Crypto
import CryptoExtras
import Foundation
import ShomeiDomain
import ShomeiPKI
import SwiftASN1
import X509

/// A key pair that lives on a token: the public half read from it, the private half used only
/// through C_Sign. `privateKey` plugs it into swift-certificates (`CustomPrivateKey`), so CSRs,
/// certificates and CRLs are built and signed by the library with the key staying on the token.
public struct TokenKeyPair: Sendable {
    public let type: ClientKeyType
    public let publicKey: Certificate.PublicKey
    public let label: String
    public let id: [UInt8]
    let publicHandle: CK_OBJECT_HANDLE
    let privateHandle: CK_OBJECT_HANDLE
    let session: TokenSession

    /// DER of the named curves' OIDs, as CKA_EC_PARAMS wants them.
    static let p256Parameters: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    static let p384Parameters: [UInt8] = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]

    init(
        session: TokenSession, type: ClientKeyType, publicHandle: CK_OBJECT_HANDLE, privateHandle: CK_OBJECT_HANDLE,
        label: String, id: [UInt8]
    ) throws(ShomeiError) {
        self.session = session
        self.type = type
        self.publicHandle = publicHandle
        self.privateHandle = privateHandle
        self.label = label
        self.id = id
        publicKey = try Self.readPublicKey(type, publicHandle, session)
        if let asks = session.attribute(CK_ATTRIBUTE_TYPE(CKA_ALWAYS_AUTHENTICATE), of: privateHandle), asks.contains(where: { $0 != 0 }) {
            throw .token(.pinAtEverySignature(label: label))
        }
    }

    public var privateKey: Certificate.PrivateKey { Certificate.PrivateKey(TokenPrivateKey(signer: self)) }

    /// Deletes both halves (a failed enrollment leaves nothing behind; a renewal drops the old pair).
    public func delete() throws(ShomeiError) {
        try session.destroy(privateHandle)
        try session.destroy(publicHandle)
    }

    /// The signature over `bytes` in X.509's encoding.
    func sign(_ bytes: some DataProtocol, _ algorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        let signature = try signatureBytes(over: bytes, algorithm)
        return try Certificate.Signature(signatureAlgorithm: algorithm, signatureBytes: ASN1BitString(bytes: signature[...]))
    }

    /// The signature over `bytes` as X.509 and TLS carry it: ECDSA as a DER ECDSA-Sig-Value
    /// (the token returns r‖s), RSA PKCS#1 v1.5 with SHA-256 as the token returns it.
    public func signatureBytes(over bytes: some DataProtocol, _ algorithm: Certificate.SignatureAlgorithm) throws -> [UInt8] {
        let signature: [UInt8]
        switch (type, algorithm) {
        case (.p256, .ecdsaWithSHA256):
            let raw = try tokenSignature(Array(SHA256.hash(data: Data(bytes))), CKM_ECDSA)
            signature = Array(try P256.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation)
        case (.p384, .ecdsaWithSHA384):
            let raw = try tokenSignature(Array(SHA384.hash(data: Data(bytes))), CKM_ECDSA)
            signature = Array(try P384.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation)
        case (.rsa2048, .sha256WithRSAEncryption), (.rsa3072, .sha256WithRSAEncryption), (.rsa4096, .sha256WithRSAEncryption):
            signature = try tokenSignature(Array(bytes), CKM_SHA256_RSA_PKCS)
        default:
            throw ShomeiError.token(.unsupported("\(algorithm) with a \(type.rawValue) key"))
        }
        return signature
    }

    /// The token's own ECDSA operation on a ready digest — C_SignInit and C_Sign, nothing of
    /// Shomei's around it: the peer `Benchmarks/hsm.sh` compares issuance with.
    public func rawSignature(overDigest digest: [UInt8]) throws(ShomeiError) -> [UInt8] {
        try tokenSignature(digest, CKM_ECDSA)
    }

    private func tokenSignature(_ input: [UInt8], _ mechanism: some BinaryInteger) throws(ShomeiError) -> [UInt8] {
        try session.sign(input, with: privateHandle, mechanism: CK_MECHANISM_TYPE(mechanism), capacity: type.signatureLength)
    }

    /// The one algorithm the pair signs with (SHA-256 for P-256 and RSA, SHA-384 for P-384).
    public var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch type {
        case .p256: .ecdsaWithSHA256
        case .p384: .ecdsaWithSHA384
        case .rsa2048, .rsa3072, .rsa4096: .sha256WithRSAEncryption
        }
    }

    /// CKA_EC_POINT is the uncompressed point wrapped in a DER OCTET STRING (PKCS#11 §2.3.3);
    /// RSA's public half is CKA_MODULUS and CKA_PUBLIC_EXPONENT.
    private static func readPublicKey(
        _ type: ClientKeyType, _ handle: CK_OBJECT_HANDLE, _ session: TokenSession
    ) throws(ShomeiError) -> Certificate.PublicKey {
        do {
            switch type {
            case .p256, .p384:
                guard let wrapped = session.attribute(CK_ATTRIBUTE_TYPE(CKA_EC_POINT), of: handle) else {
                    throw ShomeiError.token(.objectNotFound("CKA_EC_POINT"))
                }
                let point = (try? ASN1OctetString(derEncoded: wrapped[...]).bytes).map(Array.init) ?? wrapped
                return type == .p256 ? Certificate.PublicKey(try P256.Signing.PublicKey(x963Representation: point))
                    : Certificate.PublicKey(try P384.Signing.PublicKey(x963Representation: point))
            case .rsa2048, .rsa3072, .rsa4096:
                guard let modulus = session.attribute(CK_ATTRIBUTE_TYPE(CKA_MODULUS), of: handle),
                      let exponent = session.attribute(CK_ATTRIBUTE_TYPE(CKA_PUBLIC_EXPONENT), of: handle) else {
                    throw ShomeiError.token(.objectNotFound("CKA_MODULUS"))
                }
                return Certificate.PublicKey(try _RSA.Signing.PublicKey(n: modulus, e: exponent))
            }
        } catch let error as ShomeiError {
            throw error
        } catch {
            throw .token(.unsupported("the public key the token returned"))
        }
    }
}

extension ClientKeyType {
    /// The length of the token's signatures: r‖s for ECDSA, the modulus for RSA.
    var signatureLength: Int {
        switch self {
        case .p256: 64
        case .p384: 96
        case .rsa2048: 256
        case .rsa3072: 384
        case .rsa4096: 512
        }
    }
}

/// What signs with a key on a token: the pair itself, or the serving process's re-opening key
/// (`ReopeningTokenKey`), which hands each signature to the pair of the moment.
protocol TokenSigner: Sendable, Hashable {
    var currentPair: TokenKeyPair { get }
    func sign(_ bytes: some DataProtocol, _ algorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature
}

extension TokenKeyPair: TokenSigner {
    var currentPair: TokenKeyPair { self }

    /// The same key: the same object in the same session.
    public static func == (a: TokenKeyPair, b: TokenKeyPair) -> Bool { a.session === b.session && a.privateHandle == b.privateHandle }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(session))
        hasher.combine(privateHandle)
    }
}

/// swift-certificates' hook for a key it cannot hold: every signature goes to the token.
struct TokenPrivateKey<Signer: TokenSigner>: CustomPrivateKey {
    let signer: Signer

    var publicKey: Certificate.PublicKey { signer.currentPair.publicKey }
    var defaultSignatureAlgorithm: Certificate.SignatureAlgorithm { signer.currentPair.signatureAlgorithm }
    var supportedSignatureAlgorithms: [Certificate.SignatureAlgorithm] { [signer.currentPair.signatureAlgorithm] }

    func signSynchronously(bytes: some DataProtocol, signatureAlgorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        try signer.sign(bytes, signatureAlgorithm)
    }

    /// A key on a token has no PEM form: it never leaves the token.
    static var defaultPEMDiscriminator: String { "PRIVATE KEY" }

    func serialize(into coder: inout DER.Serializer) throws {
        throw ShomeiError.token(.unsupported("exporting a key that stays on the token"))
    }
}
