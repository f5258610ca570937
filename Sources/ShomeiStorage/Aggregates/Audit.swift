import struct Foundation.Date
import ShomeiDomain

/// The append-only, hash-chained audit trail (`AuditChain`).
public protocol AuditReads: Sendable {
    func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent]
    /// Audit entries newest first, optionally of one action and/or one target, before a sequence number.
    func auditEvents(action: AuditEvent.Action?, target: String?, before sequence: Int64?, limit: Int) async throws -> [AuditEvent]
}

public protocol AuditWrites: AuditReads {
    /// Appends to the chain; returns the entry with its place and hash.
    @discardableResult
    func appendAudit(_ entry: AuditEntry, at time: Date) async throws -> AuditEvent
}
