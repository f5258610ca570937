import ShomeiPKI
import X509

/// The CA certificates relying parties and customers download, encoded once at start-up.
public struct CAPublication: Sendable {
    public let rootPEM: String
    public let issuingPEM: String
    public let issuingDER: [UInt8]

    public init(root: Certificate, issuing: Certificate) throws {
        rootPEM = try root.pemString + "\n"
        issuingPEM = try issuing.pemString + "\n"
        issuingDER = try issuing.derBytes
    }
}
