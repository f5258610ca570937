import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: AuditWrites {
    func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent] {
        try await database.raw("""
            SELECT * FROM audit_events WHERE sequence > \(bind: sequence) ORDER BY sequence LIMIT \(bind: Int64(limit))
            """).all().map(AuditEvent.init(row:))
    }

    func bankEvents(after sequence: Int64, through last: Int64, limit: Int) async throws -> [BankEvent] {
        let names: [SQLQueryString] = BankEvent.Kind.actions.map(\.rawValue).sorted().map { "\(bind: $0)" }
        return try await database.raw("""
            SELECT sequence, actor, action, target, time, details FROM audit_events
            WHERE sequence > \(bind: sequence) AND sequence <= \(bind: last) AND action IN (\(names.joined(separator: ", ")))
            ORDER BY sequence LIMIT \(bind: Int64(limit))
            """).all().map(BankEvent.init(row:))
    }

    func auditHead() async throws -> Int64 {
        try await database.raw("SELECT sequence FROM audit_events ORDER BY sequence DESC LIMIT 1").first()?
            .decode(column: "sequence", as: Int64.self) ?? 0
    }

    func auditEvents(action: AuditEvent.Action?, target: String?, before sequence: Int64?, limit: Int) async throws -> [AuditEvent] {
        try await database.raw("""
            SELECT * FROM audit_events
            WHERE (\(bind: action?.rawValue) IS NULL OR action = \(bind: action?.rawValue))
            AND (\(bind: target) IS NULL OR target = \(bind: target))
            AND (\(bind: sequence) IS NULL OR sequence < \(bind: sequence))
            ORDER BY sequence DESC LIMIT \(bind: Int64(limit))
            """).all().map(AuditEvent.init(row:))
    }

    func auditEvents(
        of actions: Set<AuditEvent.Action>, targetPrefix: String, since: Date, limit: Int
    ) async throws -> [AuditEvent] {
        guard !actions.isEmpty, let last = targetPrefix.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) else { return [] }
        // The prefix as a range of the target index: [prefix, prefix with its last scalar + 1).
        let upper = String(targetPrefix.unicodeScalars.dropLast()) + String(next)
        let names: [SQLQueryString] = actions.map(\.rawValue).sorted().map { "\(bind: $0)" }
        return try await database.raw("""
            SELECT * FROM audit_events
            WHERE target\(unsafeRaw: flavor.byteOrder) >= \(bind: targetPrefix) AND target\(unsafeRaw: flavor.byteOrder) < \(bind: upper)
            AND time >= \(bind: since.millis)
            AND action IN (\(names.joined(separator: ", ")))
            ORDER BY sequence DESC LIMIT \(bind: Int64(limit))
            """).all().map(AuditEvent.init(row:))
    }

    func appendAudit(_ entry: AuditEntry, at time: Date) async throws -> AuditEvent {
        try await appendAudit([(entry, time)])[0]
    }

    /// Links the entries onto the chain's head in order and appends them with one statement.
    @discardableResult
    func appendAudit(_ entries: [(entry: AuditEntry, time: Date)]) async throws -> [AuditEvent] {
        guard !entries.isEmpty else { return [] }
        if let lock = flavor.lockAuditChain { try await database.raw("\(unsafeRaw: lock)").run() }
        let head = try await database.raw("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1").first()
        var previous = (sequence: try head?.decode(column: "sequence", as: Int64.self) ?? 0,
                        hash: try head?.decode(column: "hash", as: String.self) ?? AuditChain.genesisHash)
        let events = try entries.map { entry, time in
            let event = try AuditChain.link(entry, time: time, sequence: previous.sequence + 1, previousHash: previous.hash)
            previous = (event.sequence, event.hash)
            return event
        }
        let rows: [SQLQueryString] = try events.map { event in
            """
            (\(bind: event.sequence), \(bind: event.actor), \(bind: event.action.rawValue), \(bind: event.target),
             \(bind: event.time.millis), \(bind: try AuditChain.canonicalDetails(event.details)),
             \(bind: event.previousHash), \(bind: event.hash))
            """
        }
        try await database.raw("""
            INSERT INTO audit_events (sequence, actor, action, target, time, details, previous_hash, hash)
            VALUES \(rows.joined(separator: ", "))
            """).run()
        return events
    }
}
