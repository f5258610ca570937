import ShomeiDomain
import SwiftASN1
import X509

/// A PKCS#10 request that has passed every check the CA makes before signing: it decodes,
/// its key is of an accepted type and size, and it is signed by that key (proof of possession).
///
/// Only the public key is taken from it. The subject and any requested extensions are ignored:
/// the CA builds those itself.
public struct VerifiedSigningRequest: Sendable {
    public let request: CertificateSigningRequest
    public let keyType: ClientKeyType

    /// Requests are a few kilobytes; anything much larger is not a CSR.
    static let maximumSize = 64 * 1024

    public init(pemOrDER input: [UInt8]) throws(ShomeiError) {
        guard input.count <= Self.maximumSize, let der = Self.derBytes(input) else { throw .csrNotDecodable }
        keyType = try Self.checkKey(inRequestDER: der)
        guard let request = try? CertificateSigningRequest(derEncoded: der) else { throw .csrNotDecodable }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw .csrSignatureInvalid
        }
        self.request = request
    }

    public var publicKey: Certificate.PublicKey { request.publicKey }

    private static func derBytes(_ input: [UInt8]) -> [UInt8]? {
        guard let text = String(validating: input, as: UTF8.self), text.contains("-----BEGIN") else {
            return input
        }
        guard let document = try? PEMDocument(pemString: text),
            ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"].contains(document.discriminator)
        else { return nil }
        return document.derBytes
    }

    /// CertificationRequest → CertificationRequestInfo → subjectPKInfo (RFC 2986 §4).
    private static func checkKey(inRequestDER der: [UInt8]) throws(ShomeiError) -> ClientKeyType {
        let info: PublicKeyInfo
        do {
            info = try DER.sequence(DER.parse(der), identifier: .sequence) { outer in
                let info = try DER.sequence(PublicKeyInfo.next(&outer), identifier: .sequence) { fields in
                    _ = try PublicKeyInfo.next(&fields)  // version
                    _ = try PublicKeyInfo.next(&fields)  // subject
                    let info = try PublicKeyInfo(subjectPublicKeyInfo: PublicKeyInfo.next(&fields))
                    PublicKeyInfo.skipRest(&fields)  // attributes
                    return info
                }
                PublicKeyInfo.skipRest(&outer)  // signatureAlgorithm, signature
                return info
            }
        } catch {
            throw .csrNotDecodable
        }
        return try ClientKeyType(info)
    }
}

extension ClientKeyType {
    static let curveNames: [ASN1ObjectIdentifier: String] = [
        [1, 3, 132, 0, 35]: "ECDSA P-521",
        [1, 3, 132, 0, 10]: "ECDSA secp256k1",
        [1, 2, 840, 10045, 3, 1, 1]: "ECDSA P-192",
        [1, 3, 132, 0, 33]: "ECDSA P-224",
    ]

    init(_ info: PublicKeyInfo) throws(ShomeiError) {
        switch info {
        case .rsa(let bits):
            self = try Self.rsa(bits: bits)
        case .ec(let curve) where curve == .NamedCurves.secp256r1:
            self = .p256
        case .ec(let curve) where curve == .NamedCurves.secp384r1:
            self = .p384
        case .ec(let curve):
            throw .unsupportedKey(Self.curveNames[curve] ?? "ECDSA \(curve)")
        case .other(let algorithm):
            throw .unsupportedKey(algorithm == [1, 3, 101, 112] ? "Ed25519" : "\(algorithm)")
        }
    }
}
