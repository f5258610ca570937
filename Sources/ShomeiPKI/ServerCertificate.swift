import Crypto
import Foundation
import SwiftASN1
import X509

/// The TLS certificate of Shomei's own HTTPS listener (EST, later the portal) in a development
/// installation: issued by the issuing CA, so a client that trusts the root trusts the server.
/// A bank in production configures the certificate of its web PKI instead.
public enum ServerCertificate {
    public static let validity: TimeInterval = 397 * 86_400

    /// A fresh P-256 key and its serverAuth certificate for `names` (DNS names or IPv4 addresses).
    public static func issue(
        names: [String], by issuer: Certificate, key issuerKey: CAPrivateKey, now: Date
    ) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let notBefore = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down) - 60)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: SerialNumberGenerator.next()[...]),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notBefore.addingTimeInterval(validity),
            issuer: issuer.subject,
            subject: try DistinguishedName { CommonName(names.first ?? "localhost") },
            signatureAlgorithm: issuerKey.algorithm.signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(keyIdentifier: publicKey.keyIdentifier[...])
                AuthorityKeyIdentifier(keyIdentifier: issuer.publicKey.keyIdentifier[...])
                SubjectAlternativeNames(names.map(generalName))
            },
            issuerPrivateKey: issuerKey.certificateKey)
        return (certificate, key)
    }

    static func generalName(_ name: String) -> GeneralName {
        let octets = name.split(separator: ".").compactMap { UInt8($0) }
        if octets.count == 4, name.split(separator: ".").count == 4 {
            return .ipAddress(ASN1OctetString(contentBytes: octets[...]))
        }
        return .dnsName(name)
    }
}
