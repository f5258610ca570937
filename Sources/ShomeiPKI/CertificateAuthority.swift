import Foundation
import ShomeiDomain
import SwiftASN1
import X509

/// The issuing CA: signs client certificates and nothing else (Boulder's CA role).
///
/// It makes no policy decision: who may get a certificate, and whether this request is allowed
/// now, is the registration authority's job. It only guarantees that what it signs has the
/// profile's shape, the subject it was given, and the key that proved possession in the CSR.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let profile: ClientCertificateProfile
    private let key: CAPrivateKey
    private let keyIdentifier: [UInt8]

    public init(certificate: Certificate, key: CAPrivateKey, profile: ClientCertificateProfile) throws {
        guard certificate.publicKey == key.publicKey else { throw ShomeiPKIError.unsupportedCAKey }
        _ = try profile.policy
        self.certificate = certificate
        self.key = key
        self.profile = profile
        self.keyIdentifier = certificate.publicKey.keyIdentifier
    }

    /// What the RA asks the CA to sign.
    public struct Order: Sendable {
        public let request: VerifiedSigningRequest
        public let subject: SubjectFields
        public let serial: [UInt8]
        public let notBefore: Date

        public init(request: VerifiedSigningRequest, subject: SubjectFields, serial: [UInt8], notBefore: Date) {
            self.request = request
            self.subject = subject
            self.serial = serial
            self.notBefore = notBefore
        }
    }

    public func issue(_ order: Order) throws -> Certificate {
        let notBefore = Date(timeIntervalSince1970: order.notBefore.timeIntervalSince1970.rounded(.down))
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: order.serial[...]),
            publicKey: order.request.publicKey,
            notValidBefore: notBefore,
            notValidAfter: notBefore.addingTimeInterval(TimeInterval(profile.validityDays) * 86_400),
            issuer: certificate.subject,
            subject: try DistinguishedName(order.subject),
            signatureAlgorithm: key.algorithm.signatureAlgorithm,
            extensions: try extensions(for: order.request),
            issuerPrivateKey: key.certificateKey)
    }

    private func extensions(for request: VerifiedSigningRequest) throws -> Certificate.Extensions {
        let keyUsage = KeyUsage(digitalSignature: true, keyEncipherment: request.keyType.allowsKeyEncipherment)
        return try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(keyUsage)
            try ExtendedKeyUsage([.clientAuth])
            SubjectKeyIdentifier(keyIdentifier: request.publicKey.keyIdentifier[...])
            AuthorityKeyIdentifier(keyIdentifier: keyIdentifier[...])
            try ExtraExtensions.crlDistributionPoint(uri: profile.crlURL)
            AuthorityInformationAccess([
                .init(method: .ocspServer, location: .uniformResourceIdentifier(profile.ocspURL)),
                .init(method: .issuingCA, location: .uniformResourceIdentifier(profile.caIssuersURL)),
            ])
            if let policy = try profile.policy { try ExtraExtensions.certificatePolicy(policy) }
        }
    }
}

extension DistinguishedName {
    /// `C, O, OU, CN` in that order, as the seeds' certificates show them.
    init(_ fields: SubjectFields) throws {
        self = try DistinguishedName {
            CountryName(fields.country)
            OrganizationName(fields.organization)
            OrganizationalUnitName(fields.organizationalUnit)
            CommonName(fields.commonName)
        }
    }
}
