import struct Foundation.Date
import ShomeiDomain

/// The storage authority's interface: the only way any part of Shomei reads or changes state.
///
/// Changes happen inside `write`, which is one database transaction: either everything the body
/// did is committed, or (when it throws) nothing is. The SQLite and PostgreSQL implementations
/// pass the same contract test-suite.
public protocol Store: Sendable {
    func read<T: Sendable>(_ body: @Sendable (any StoreReader) async throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @Sendable (any StoreTransaction) async throws -> T) async throws -> T
    func shutdown() async throws
}

/// Queries, usable alone or inside a transaction.
public protocol StoreReader: Sendable {
    func contract(_ id: ContractID) async throws -> Contract?
    func contracts() async throws -> [Contract]
    func user(_ key: UserKey) async throws -> User?
    func users(in contract: ContractID) async throws -> [User]
    /// The contract's active master users (マスター): who is copied on every certificate event.
    func activeMasters(of contract: ContractID) async throws -> [User]
    func certificate(serial: String) async throws -> CertificateRecord?
    /// All certificates, or one contract's, newest first.
    func certificates(of contract: ContractID?) async throws -> [CertificateRecord]
    /// One user's certificates, newest first: what the lifecycle function reads.
    func certificates(ofUser key: UserKey) async throws -> [CertificateRecord]
    /// The user's one unrevoked certificate, if any (the schema allows at most one).
    func validCertificate(of user: UserKey) async throws -> CertificateRecord?
    /// The user's newest activation code that has not been used.
    func unusedActivationCode(of user: UserKey) async throws -> ActivationCode?
    func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent]
    /// Revoked certificates that have not expired at `date`: what a CRL must list.
    func revokedCertificates(notExpiredAt date: Date) async throws -> [RevokedSerial]
    /// A counter every revocation increments, so publishers in any process can tell that the
    /// revocation set changed without reading it.
    func revocationRevision() async throws -> Int64
    /// Valid certificates whose next lifecycle notice is due at `now`, earliest first (an index
    /// range scan on `next_notice_at`, not a table scan).
    func dueNotices(at now: Date, limit: Int) async throws -> [DueNotice]
    /// Outbox messages, newest first, optionally of one status.
    func outboxMessages(status: OutboxMessage.Status?, limit: Int) async throws -> [OutboxMessage]
    /// The portal session with this id (the hash of the browser's token), if stored.
    func portalSession(id: String) async throws -> PortalSession?
    func application(id: String) async throws -> Application?
    /// A contract's applications (of one form, or all), most recently updated first.
    func applications(of contract: ContractID, form: String?) async throws -> [Application]
    /// The bank's inbox: applications of every contract matching `filter`, most recently updated first.
    func applications(matching filter: ApplicationFilter, limit: Int) async throws -> [Application]
    /// Every status change of an application, oldest first.
    func applicationHistory(id: String) async throws -> [ApplicationHistoryEntry]
    /// The console's certificate search, newest first.
    func searchCertificates(_ search: CertificateSearch, at now: Date, limit: Int) async throws -> [CertificateRecord]
    /// Audit entries newest first, optionally of one action and/or one target, before a sequence number.
    func auditEvents(action: AuditEvent.Action?, target: String?, before sequence: Int64?, limit: Int) async throws -> [AuditEvent]
    func staff(id: String) async throws -> Staff?
    func staffSession(id: String) async throws -> StaffSession?
    /// Four-eyes requests, newest first, optionally of one status.
    func directActions(status: DirectAction.Status?, limit: Int) async throws -> [DirectAction]
    /// Accepted applications whose revocations are due at `now` and not yet carried out.
    func dueRevocationApplications(at now: Date, limit: Int) async throws -> [Application]
}

/// A certificate whose stored next-notice time has come.
public struct DueNotice: Sendable, Equatable {
    public let certificate: CertificateRecord
    public let due: Date
}

/// Changes, only available inside `Store.write`.
public protocol StoreTransaction: StoreReader {
    func insert(_ contract: Contract) async throws
    func insert(_ user: User) async throws
    /// Reads the user and keeps it locked until the transaction ends, so two concurrent
    /// issuances for one user cannot both supersede the same certificate.
    func lockUser(_ key: UserKey) async throws -> User?
    func setStatus(_ status: User.Status, of user: UserKey) async throws
    /// Counts a wrong password; returns the count so far (reset by a right one or an unlock).
    func recordPasswordFailure(of user: UserKey) async throws -> Int
    func resetPasswordFailures(of user: UserKey) async throws
    func insert(_ certificate: CertificateRecord) async throws
    /// Marks the certificate revoked and increments the revocation revision; false (and nothing
    /// changed) when it was no longer valid, for example superseded by a commit just before.
    func revoke(serial: String, _ revocation: CertificateRecord.Revocation) async throws -> Bool
    /// The next CRL number (RFC 5280 §5.2.3): strictly increasing across all nodes.
    func nextCRLNumber() async throws -> Int64
    /// Stores a new code and voids the user's earlier unused ones: only the newest code works.
    func replaceActivationCode(with code: ActivationCode) async throws
    func recordActivationCodeFailure(id: String) async throws
    /// Moves the next-notice time from `expected` to `next` only if it still is `expected`;
    /// false when another scheduler got there first (so the notice is sent exactly once).
    func advanceNotice(serial: String, from expected: Date, to next: Date?) async throws -> Bool
    /// Adds a message unless one with the same dedupe key exists; true when added.
    @discardableResult
    func enqueue(_ message: OutboxMessage) async throws -> Bool
    /// Takes up to `limit` pending messages due at `now` for sending under `token`, hiding them
    /// from other senders until `leaseUntil` (after which a crashed sender's messages are tried
    /// again by someone else).
    func claimOutbox(dueAt now: Date, leaseUntil: Date, limit: Int, token: String) async throws -> [OutboxMessage]
    /// Extends the claim just before sending; false when the lease ran out and another sender
    /// took the message (then this sender must not send it).
    func renewOutboxClaim(id: String, token: String, until: Date) async throws -> Bool
    /// Marks a claimed message sent; nothing happens unless `token` still holds the claim.
    func markOutboxSent(id: String, token: String, at time: Date) async throws
    /// Records a failed try of a claimed message: retried at `retryAt`, or failed for good when nil.
    func markOutboxFailed(id: String, token: String, error: String, retryAt: Date?) async throws
    /// Queues failed messages, and pending ones no sender holds, for sending at `now`; all of
    /// them when `id` is nil. Returns how many.
    func requeueOutbox(id: String?, at now: Date) async throws -> Int
    func insert(_ session: PortalSession) async throws
    /// Records activity (`lastSeenAt`) and the session's renewal choice.
    func update(_ session: PortalSession) async throws
    func deleteSession(id: String) async throws
    /// Deletes sessions idle since before `idleBefore` or opened before `createdBefore`; returns how many.
    func deleteSessions(idleBefore: Date, createdBefore: Date) async throws -> Int
    func insert(_ application: Application) async throws
    /// Reads the application and keeps it locked until the transaction ends.
    func lockApplication(id: String) async throws -> Application?
    func update(_ application: Application) async throws
    /// Appends a history line after the application's last one (call with the application locked).
    func append(_ entry: ApplicationHistoryEntry) async throws
    /// Marks an accepted application's revocations done, only if nobody did yet; false when
    /// another node got there first (so they are carried out exactly once).
    func markRevocationsDone(applicationID: String, at time: Date) async throws -> Bool
    func insert(_ staff: Staff) async throws
    func setStatus(_ status: Staff.Status, ofStaff id: String) async throws
    /// Counts a wrong console password; returns the count so far (reset by `resetStaffPasswordFailures`).
    func recordStaffPasswordFailure(id: String) async throws -> Int
    func resetStaffPasswordFailures(id: String) async throws
    func insert(_ action: DirectAction) async throws
    func lockDirectAction(id: String) async throws -> DirectAction?
    /// Records the decision (status, who, when).
    func update(_ action: DirectAction) async throws
    func insert(_ session: StaffSession) async throws
    func touchStaffSession(id: String, at time: Date) async throws
    func deleteStaffSession(id: String) async throws
    /// Writes the prepared issuances whose expectations still hold (see `IssuanceWrite`), with a
    /// few multi-row statements; returns, for each, whether it is written (by this call, or by an
    /// earlier one whose answer was lost: a retry writes nothing twice). Takes at most
    /// `IssuanceWrite.maximumPerBatch`; `IssuanceBatcher` is the one caller.
    func record(_ issuances: [IssuanceWrite]) async throws -> [Bool]
    /// Appends to the hash-chained audit trail; returns the entry with its place and hash.
    @discardableResult
    func appendAudit(_ entry: AuditEntry, at time: Date) async throws -> AuditEvent
}
