import SwiftASN1

/// What goes into every client certificate besides key and subject: its lifetime and the URLs
/// relying parties use to check revocation (SPEC §2). Configuration, per bank.
public struct ClientCertificateProfile: Sendable, Codable, Equatable {
    public var validityDays: Int
    /// CRL distribution point (plain HTTP, RFC 5280 §4.2.1.13).
    public var crlURL: String
    /// OCSP responder (AIA id-ad-ocsp).
    public var ocspURL: String
    /// Where the issuing CA certificate can be fetched (AIA id-ad-caIssuers).
    public var caIssuersURL: String
    /// The bank's certificate policy OID (its CP/CPS), dotted decimal; nil issues certificates
    /// without a certificatePolicies extension. There is no placeholder default: an OID from
    /// the examples arc (2.999) is an OID no relying party knows, and pkilint stops on it.
    public var policyOID: String?

    public init(
        validityDays: Int = 365, crlURL: String, ocspURL: String, caIssuersURL: String, policyOID: String? = nil
    ) {
        self.validityDays = validityDays
        self.crlURL = crlURL
        self.ocspURL = ocspURL
        self.caIssuersURL = caIssuersURL
        self.policyOID = policyOID
    }

    /// Base URL → the standard paths Shomei serves them at.
    public init(baseURL: String) {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.init(crlURL: "\(base)/crl/issuing.crl", ocspURL: "\(base)/ocsp", caIssuersURL: "\(base)/ca/issuing.der")
    }

    var policy: ASN1ObjectIdentifier? {
        get throws { try policyOID.map { try ASN1ObjectIdentifier(dotRepresentation: $0) } }
    }
}
