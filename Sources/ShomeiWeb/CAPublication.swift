import Foundation
import ShomeiPKI
import X509

/// The CA certificates relying parties and customers download, encoded once at start-up.
public struct CAPublication: Sendable {
    public let rootPEM: String
    public let issuingPEM: String
    public let issuingDER: [UInt8]
    /// EST `/cacerts` (RFC 7030 §4.1.3): certs-only PKCS#7 of the issuing and root CA, base64.
    public let estCACerts: String

    public init(root: Certificate, issuing: Certificate) throws {
        rootPEM = try root.pemString + "\n"
        issuingPEM = try issuing.pemString + "\n"
        issuingDER = try issuing.derBytes
        estCACerts = Data(try CertsOnlyPKCS7.encode([issuing, root])).base64EncodedString(options: .lineLength76Characters) + "\n"
    }
}
