import Foundation
import ShomeiPKI
import X509

/// The CA certificates relying parties and customers download, encoded once at start-up.
public struct CAPublication: Sendable {
    public let rootPEM: String
    public let issuingPEM: String
    public let issuingDER: [UInt8]
    /// EST `/cacerts` (RFC 7030 §4.1.3): certs-only PKCS#7 of the issuing and root CA, base64
    /// without line breaks (RFC 8951).
    public let estCACerts: String
    /// SHA-256 of the root's DER, lower-case hex: what customers are asked to compare.
    public let rootFingerprint: String

    public init(root: Certificate, issuing: Certificate) throws {
        rootPEM = try root.pemString + "\n"
        rootFingerprint = try root.sha256Fingerprint
        issuingPEM = try issuing.pemString + "\n"
        issuingDER = try issuing.derBytes
        estCACerts = Data(try CertsOnlyPKCS7.encode([issuing, root])).base64EncodedString()
    }
}

/// A fixed document served to anyone: a CA certificate, or the health answer.
public struct PublishedDocument: Sendable {
    public let contentType: String
    public let body: [UInt8]

    static let health = PublishedDocument(contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8))
}

extension CAPublication {
    /// Path → document, served alike by the plain-HTTP and the HTTPS listener. The AIA caIssuers
    /// URL in every client certificate points at `/ca/issuing.der`.
    var documents: [String: PublishedDocument] {
        [
            "/ca/root.pem": PublishedDocument(contentType: "application/x-pem-file", body: Array(rootPEM.utf8)),
            "/ca/issuing.pem": PublishedDocument(contentType: "application/x-pem-file", body: Array(issuingPEM.utf8)),
            "/ca/issuing.der": PublishedDocument(contentType: "application/pkix-cert", body: issuingDER),
        ]
    }

    /// `documents` plus `/health` and `/health/live` (the process answers), for a listener that
    /// may have no CA to publish.
    static func documents(of publication: CAPublication?) -> [String: PublishedDocument] {
        (publication?.documents ?? [:]).merging(["/health": .health, "/health/live": .health]) { first, _ in first }
    }
}
