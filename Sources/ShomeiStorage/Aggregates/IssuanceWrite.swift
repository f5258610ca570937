import struct Foundation.Date
import ShomeiDomain

/// Everything one certificate issuance writes, decided and signed before its write transaction
/// starts, with what the store must still look like for it to apply.
///
/// The registration authority prepares these from a read, outside the write lock, so signing
/// and wording mail for many issuances runs in parallel; `StoreTransaction.record(_:)` then
/// writes a batch of them with a few multi-row statements. An issuance whose expectations no
/// longer hold when it is written is left out of the batch (and is prepared again from the new
/// state), so the outcome is the same as if each had run alone in its own transaction.
public struct IssuanceWrite: Sendable {
    /// The new certificate; its serial must not be in the store yet.
    public let certificate: CertificateRecord
    /// When its first lifecycle notice is due (nil: none).
    public let firstNoticeAt: Date?
    /// The user's unrevoked certificate when this was prepared, revoked here with reason
    /// superseded; it must still be the user's unrevoked certificate (nil: still none).
    public let superseded: CertificateRecord?
    /// The activation code this issuance spends; it must still be the user's unused code.
    public let spentActivationCode: String?
    /// The notices the event causes, queued in the same transaction.
    public let messages: [OutboxMessage]
    /// Audit entries, in order; all of them happen at `time`.
    public let audit: [AuditEntry]
    /// When the issuance happened: the certificate's issue time and every entry's time.
    public let time: Date

    public init(
        certificate: CertificateRecord, firstNoticeAt: Date?, superseded: CertificateRecord?, spentActivationCode: String?,
        messages: [OutboxMessage], audit: [AuditEntry], time: Date
    ) {
        self.certificate = certificate
        self.firstNoticeAt = firstNoticeAt
        self.superseded = superseded
        self.spentActivationCode = spentActivationCode
        self.messages = messages
        self.audit = audit
        self.time = time
    }

    public var owner: UserKey { certificate.owner }

    /// Most issuances one `StoreTransaction.record` call takes: keeps every statement well under
    /// both databases' limits on bound values (SQLite 32,766; PostgreSQL 65,535).
    public static let maximumPerBatch = 128
}
