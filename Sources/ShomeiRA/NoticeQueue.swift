import Foundation
import ShomeiDomain
import ShomeiStorage

/// Words notices and puts them in the outbox inside the caller's transaction, so the mail
/// exists exactly when the event that causes it commits.
public struct NoticeQueue: Sendable {
    let composer: any NoticeComposing

    public init(composer: any NoticeComposing) {
        self.composer = composer
    }

    /// Queues `kind` about `certificate` to its holder (and the contract's masters for life
    /// events); returns how many messages were new (a retried job finds them already queued).
    @discardableResult
    func enqueue(
        _ kind: NoticeKind, holder: User, certificate: CertificateRecord, time: Date, reacquirableUntil: Date? = nil,
        in tx: any StoreTransaction
    ) async throws -> Int {
        let masters = kind.copiesMasters ? try await tx.activeMasters(of: holder.key.contractID) : []
        var added = 0
        for message in try messages(kind, holder: holder, masters: masters, certificate: certificate, time: time,
                                    reacquirableUntil: reacquirableUntil) {
            if try await tx.enqueue(message) { added += 1 }
        }
        return added
    }

    /// Queues the notice of a 管理 action (recorded as the audit entry `sequence`) to its target
    /// and the contract's active masters.
    func enqueueAdministration(
        _ action: AdministrationAction, target: User, actor: User, revokedSerial: String?, sequence: Int64, time: Date,
        in tx: any StoreTransaction
    ) async throws {
        let masters = try await tx.activeMasters(of: target.key.contractID)
        for recipient in AdministrationNotice.recipients(target: target, masters: masters) {
            let notice = AdministrationNotice(
                action: action, recipient: recipient, target: target, actor: actor, time: time,
                clientAddress: RequestOrigin.clientAddress, revokedSerial: revokedSerial, auditSequence: sequence)
            let content = try composer.compose(notice)
            _ = try await tx.enqueue(OutboxMessage(
                id: GeneratedSecret.identifier(), dedupeKey: notice.dedupeKey, recipient: recipient.email,
                subject: content.subject, body: content.body, createdAt: time))
        }
    }

    /// Queues the notice of the contract's new login method to every user of it who is not
    /// deleted (a stopped user learns it too, for when they are resumed).
    func enqueueLoginMethodChange(of contract: Contract, applicationID: String, time: Date, in tx: any StoreTransaction) async throws {
        for user in try await tx.users(in: contract.id) where user.status != .deleted {
            let notice = LoginMethodNotice(
                recipient: user, contract: contract, method: contract.loginMethod, time: time,
                holdsValidCertificate: try await tx.validCertificate(of: user.key) != nil, applicationID: applicationID)
            let content = try composer.compose(notice)
            _ = try await tx.enqueue(OutboxMessage(
                id: GeneratedSecret.identifier(), dedupeKey: notice.dedupeKey, recipient: user.email,
                subject: content.subject, body: content.body, createdAt: time))
        }
    }

    /// The worded messages of `kind` to the holder and `masters` (already read; the empty list
    /// for kinds that do not copy them), for a caller that writes them itself.
    func messages(
        _ kind: NoticeKind, holder: User, masters: [User], certificate: CertificateRecord, time: Date,
        reacquirableUntil: Date? = nil
    ) throws -> [OutboxMessage] {
        try Notice.recipients(for: kind, holder: holder, masters: masters).map { recipient in
            let notice = Notice(kind: kind, recipient: recipient, holder: holder, certificate: certificate, time: time,
                                reacquirableUntil: reacquirableUntil)
            let content = try composer.compose(notice)
            return OutboxMessage(
                id: GeneratedSecret.identifier(), dedupeKey: notice.dedupeKey, recipient: recipient.email,
                subject: content.subject, body: content.body, createdAt: time)
        }
    }
}
