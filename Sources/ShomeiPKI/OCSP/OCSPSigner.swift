import Crypto
import Foundation
import SwiftASN1
import X509

/// The delegated OCSP responder (RFC 6960 §4.2.2.2): a short-lived certificate issued by the
/// issuing CA with extKeyUsage OCSPSigning and id-pkix-ocsp-nocheck, so the CA key is not used
/// per response and a stolen responder key expires within days.
public struct OCSPSigner: Sendable {
    public let certificate: Certificate
    let key: CAPrivateKey

    static let ocspNoCheckOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 5]

    /// A fresh P-256 key (kept only in memory) and its certificate from the issuing CA.
    public static func issue(by issuer: Certificate, issuerKey: CAPrivateKey, now: Date, lifetime: TimeInterval) throws -> OCSPSigner {
        let key = try CAPrivateKey(generating: .p256)
        let notBefore = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down) - 60)
        let commonName = issuer.subject.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }
            .map { "\($0.value)" } ?? "Shomei"
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: SerialNumberGenerator.next()[...]),
            publicKey: key.publicKey,
            notValidBefore: notBefore,
            notValidAfter: notBefore.addingTimeInterval(lifetime),
            issuer: issuer.subject,
            subject: try DistinguishedName { CommonName("\(commonName) OCSP Responder") },
            signatureAlgorithm: issuerKey.algorithm.signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.ocspSigning])
                SubjectKeyIdentifier(keyIdentifier: key.publicKey.keyIdentifier[...])
                AuthorityKeyIdentifier(keyIdentifier: issuer.publicKey.keyIdentifier[...])
                Certificate.Extension(oid: ocspNoCheckOID, critical: false, value: [0x05, 0x00])
            },
            issuerPrivateKey: issuerKey.certificateKey)
        return OCSPSigner(certificate: certificate, key: key)
    }

    /// Rotate once less than half the lifetime is left.
    public func needsRotation(at now: Date) -> Bool {
        let lifetime = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore)
        return certificate.notValidAfter.timeIntervalSince(now) < lifetime / 2
    }
}

/// The hashes a CertID must carry to name our issuing CA (RFC 6960 §4.1.1).
public struct OCSPIssuerHashes: Sendable {
    private let sha1: (name: [UInt8], key: [UInt8])
    private let sha256: (name: [UInt8], key: [UInt8])

    public init(issuer: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(issuer.subject)
        let name = serializer.serializedBytes
        let key = issuer.publicKey.subjectPublicKeyInfoBytes
        sha1 = (Array(Insecure.SHA1.hash(data: name)), Array(Insecure.SHA1.hash(data: key)))
        sha256 = (Array(SHA256.hash(data: name)), Array(SHA256.hash(data: key)))
    }

    public func matches(_ certID: OCSPCertID) -> Bool {
        let expected = certID.hashAlgorithm == .sha1 ? sha1 : sha256
        return certID.issuerNameHash == expected.name && certID.issuerKeyHash == expected.key
    }
}
