import ShomeiDomain
import X509

/// What an issuance produced: the new certificate, and the one it superseded, if any.
public struct IssuedCertificate: Sendable {
    public let record: CertificateRecord
    public let certificate: Certificate
    /// The user's previous certificate, now revoked with reason `superseded`.
    public let superseded: CertificateRecord?
}
