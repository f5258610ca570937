import struct Foundation.Date

/// One message to one user about one certificate, before it is worded.
public struct Notice: Sendable, Equatable {
    public let kind: NoticeKind
    public let recipient: User
    /// Whose certificate it is (the recipient, or a user of the contract the recipient is master of).
    public let holder: User
    public let certificate: CertificateRecord
    /// When the event happened (issuance, revocation) or the notice was found due.
    public let time: Date
    /// For the expiry notice: the last moment of self re-acquisition.
    public let reacquirableUntil: Date?

    public init(
        kind: NoticeKind, recipient: User, holder: User, certificate: CertificateRecord, time: Date,
        reacquirableUntil: Date? = nil
    ) {
        self.kind = kind
        self.recipient = recipient
        self.holder = holder
        self.certificate = certificate
        self.time = time
        self.reacquirableUntil = reacquirableUntil
    }

    /// One key per notice and recipient: the outbox refuses a second message with the same key,
    /// so a retried job can never mail twice.
    public var dedupeKey: String {
        "\(kind):\(certificate.serial):\(recipient.key)"
    }

    /// The holder plus the contract's active master users (`masters`, each once) for life
    /// events; the holder alone for expiry notices.
    public static func recipients(for kind: NoticeKind, holder: User, masters: [User]) -> [User] {
        guard kind.copiesMasters else { return [holder] }
        return [holder] + masters.filter { $0.key != holder.key }
    }
}

/// A worded message: what the outbox stores and the SMTP sender delivers.
public struct MailContent: Sendable, Equatable {
    public let subject: String
    public let body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }
}

/// Words a notice in the recipient's language (templates live in files, see ShomeiNotifications).
public protocol NoticeComposing: Sendable {
    func compose(_ notice: Notice) throws -> MailContent
    func compose(_ notice: AdministrationNotice) throws -> MailContent
    func compose(_ notice: LoginMethodNotice) throws -> MailContent
}
