import struct Foundation.Date
import ShomeiDomain

/// The append-only, hash-chained audit trail (`AuditChain`).
public protocol AuditReads: Sendable {
    func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent]
    /// The bank API's event feed: the entries after `sequence` and at most `last` whose action
    /// the feed carries (`BankEvent.Kind.actions`), in chain order, read without the hashes.
    func bankEvents(after sequence: Int64, through last: Int64, limit: Int) async throws -> [BankEvent]
    /// The sequence number of the chain's newest entry (0 when empty).
    func auditHead() async throws -> Int64
    /// Audit entries newest first, optionally of one action and/or one target, before a sequence number.
    func auditEvents(action: AuditEvent.Action?, target: String?, before sequence: Int64?, limit: Int) async throws -> [AuditEvent]
    /// Entries of these actions whose target starts with `targetPrefix` (such as `user:C1/`,
    /// every user of a contract), made at `since` or later, newest first.
    func auditEvents(
        of actions: Set<AuditEvent.Action>, targetPrefix: String, since: Date, limit: Int
    ) async throws -> [AuditEvent]
}

public protocol AuditWrites: AuditReads {
    /// Appends to the chain; returns the entry with its place and hash.
    @discardableResult
    func appendAudit(_ entry: AuditEntry, at time: Date) async throws -> AuditEvent
}
