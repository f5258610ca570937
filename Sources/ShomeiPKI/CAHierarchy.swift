import Foundation
import SwiftASN1
import X509

/// The two-level hierarchy a bank runs: an offline-style root that signs only the issuing CA,
/// and the issuing CA that signs client certificates (SPEC §2).
public struct CAHierarchy: Sendable {
    public let root: Certificate
    public let rootKey: CAPrivateKey
    public let issuing: Certificate
    public let issuingKey: CAPrivateKey

    /// The names, keys and lifetimes of a new hierarchy; read from the data folder's configuration.
    public struct Specification: Sendable, Codable, Equatable {
        public var country: String
        public var organization: String
        public var rootName: String
        public var issuingName: String
        public var rootKeyAlgorithm: CAKeyAlgorithm
        public var issuingKeyAlgorithm: CAKeyAlgorithm
        public var rootValidityYears: Int
        public var issuingValidityYears: Int

        public init(
            country: String = "JP", organization: String, rootName: String, issuingName: String,
            rootKeyAlgorithm: CAKeyAlgorithm = .p384, issuingKeyAlgorithm: CAKeyAlgorithm = .p256,
            rootValidityYears: Int = 20, issuingValidityYears: Int = 10
        ) {
            self.country = country
            self.organization = organization
            self.rootName = rootName
            self.issuingName = issuingName
            self.rootKeyAlgorithm = rootKeyAlgorithm
            self.issuingKeyAlgorithm = issuingKeyAlgorithm
            self.rootValidityYears = rootValidityYears
            self.issuingValidityYears = issuingValidityYears
        }
    }

    public init(root: Certificate, rootKey: CAPrivateKey, issuing: Certificate, issuingKey: CAPrivateKey) {
        self.root = root
        self.rootKey = rootKey
        self.issuing = issuing
        self.issuingKey = issuingKey
    }

    /// Makes both keys (or takes the issuing key already made on an HSM) and both certificates.
    /// The root has no path length limit below 1; the issuing CA may sign only end-entity certificates.
    public static func create(_ spec: Specification, now: Date, issuingKey given: CAPrivateKey? = nil) throws -> CAHierarchy {
        let rootKey = try CAPrivateKey(generating: spec.rootKeyAlgorithm)
        let issuingKey = try given ?? CAPrivateKey(generating: spec.issuingKeyAlgorithm)
        let rootName = try name(spec, commonName: spec.rootName)
        let notBefore = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let root = try caCertificate(
            subject: rootName, issuer: rootName, key: rootKey.publicKey, signer: rootKey, pathLength: 1,
            authorityKeyIdentifier: nil, notBefore: notBefore, years: spec.rootValidityYears)
        let issuing = try caCertificate(
            subject: name(spec, commonName: spec.issuingName), issuer: rootName, key: issuingKey.publicKey,
            signer: rootKey, pathLength: 0, authorityKeyIdentifier: rootKey.publicKey.keyIdentifier,
            notBefore: notBefore, years: spec.issuingValidityYears)
        return CAHierarchy(root: root, rootKey: rootKey, issuing: issuing, issuingKey: issuingKey)
    }

    private static func name(_ spec: Specification, commonName: String) throws -> DistinguishedName {
        try DistinguishedName {
            CountryName(spec.country)
            OrganizationName(spec.organization)
            CommonName(commonName)
        }
    }

    private static func caCertificate(
        subject: DistinguishedName, issuer: DistinguishedName, key: Certificate.PublicKey, signer: CAPrivateKey,
        pathLength: Int, authorityKeyIdentifier: [UInt8]?, notBefore: Date, years: Int
    ) throws -> Certificate {
        let notAfter = Calendar(identifier: .gregorian).date(byAdding: .year, value: years, to: notBefore) ?? notBefore
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: SerialNumberGenerator.next()[...]),
            publicKey: key,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: issuer,
            subject: subject,
            signatureAlgorithm: signer.algorithm.signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: pathLength))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: key.keyIdentifier[...])
                if let authorityKeyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier[...])
                }
            },
            issuerPrivateKey: signer.certificateKey)
    }
}
