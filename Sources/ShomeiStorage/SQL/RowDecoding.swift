import Foundation
import ShomeiDomain
import SQLKit

/// Times are stored as BIGINT milliseconds since the Unix epoch, UTC, in both databases.
extension Date {
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    init(millis: Int64) { self.init(timeIntervalSince1970: TimeInterval(millis) / 1000) }
}

/// A stored value that no longer parses (e.g. edited by hand): reported, never guessed at.
public struct CorruptRowError: Error, CustomStringConvertible {
    public let table: String
    public let detail: String
    public var description: String { "corrupt row in \(table): \(detail)" }
}

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func date(_ column: String) throws -> Date { Date(millis: try decode(column: column, as: Int64.self)) }
    func optionalDate(_ column: String) throws -> Date? {
        try decode(column: column, as: Int64?.self).map(Date.init(millis:))
    }

    func userKey() throws -> UserKey {
        UserKey(contractID: try ContractID(string("contract_id")), userID: try UserID(string("user_id")))
    }

    func enumValue<E: RawRepresentable>(_ column: String, table: String) throws -> E where E.RawValue == String {
        let raw = try string(column)
        guard let value = E(rawValue: raw) else { throw CorruptRowError(table: table, detail: "\(column)=\(raw)") }
        return value
    }
}

extension Contract {
    init(row: any SQLRow) throws {
        try self.init(
            id: try ContractID(row.string("id")), name: try row.string("name"), createdAt: try row.date("created_at"),
            loginMethod: try row.enumValue("login_method", table: "contracts"),
            administration: try row.decode(column: "administration", as: String?.self).map {
                try JSONText.decode(AdministrationSwitches.self, $0, table: "contracts")
            })
    }
}

extension User {
    init(row: any SQLRow) throws {
        try self.init(
            key: try row.userKey(), name: try row.string("name"), role: try row.enumValue("role", table: "users"),
            email: try EmailAddress(row.string("email")), passwordHash: try row.string("password_hash"),
            status: try row.enumValue("status", table: "users"), createdAt: try row.date("created_at"),
            language: try row.enumValue("language", table: "users"),
            passwordChangeRequired: try row.decode(column: "password_change_required", as: Int64.self) != 0,
            lastLoginAt: try row.optionalDate("last_login_at"))
    }
}

/// Answers and target lists are stored as JSON text (both dialects read and write it alike).
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String) throws -> T {
        guard let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw CorruptRowError(table: table, detail: "JSON \(text.prefix(40))")
        }
        return value
    }

    /// A flat object of strings (an audit entry's details) through JSONSerialization: the event
    /// feed reads one per entry, and `decode` (Codable) took twice as long here (6 µs against
    /// 3 µs for a five-key object).
    static func strings(_ text: String, table: String) throws -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else {
            throw CorruptRowError(table: table, detail: "JSON \(text.prefix(40))")
        }
        return object
    }
}

extension ApplicationActor {
    init(row: any SQLRow, prefix: String, table: String) throws {
        self.init(side: try row.enumValue("\(prefix)side", table: table), id: try row.string("\(prefix)id"),
                  name: try row.string("\(prefix)name"))
    }
}

extension Application {
    init(row: any SQLRow) throws {
        let targets = try JSONText.decode([String].self, try row.string("targets"), table: "applications").map { text in
            guard let key = UserKey(text) else { throw CorruptRowError(table: "applications", detail: "target \(text)") }
            return key
        }
        self.init(
            id: try row.string("id"), formID: try row.string("form_id"), contractID: try ContractID(row.string("contract_id")),
            status: try row.enumValue("status", table: "applications"),
            answers: try JSONText.decode([String: String].self, try row.string("answers"), table: "applications"),
            targets: targets, createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            updatedBy: try ApplicationActor(row: row, prefix: "updated_by_", table: "applications"),
            bankComment: try row.decode(column: "bank_comment", as: String?.self),
            effect: try row.decode(column: "effect", as: String?.self).map {
                guard let effect = FormDefinition.Effect(rawValue: $0) else { throw CorruptRowError(table: "applications", detail: "effect \($0)") }
                return effect
            },
            effectiveAt: try row.optionalDate("effective_at"), carriedOutAt: try row.optionalDate("carried_out_at"))
    }
}

extension ApplicationHistoryEntry {
    init(row: any SQLRow) throws {
        self.init(
            applicationID: try row.string("application_id"), time: try row.date("time"),
            actor: try ApplicationActor(row: row, prefix: "actor_", table: "application_history"),
            before: try row.decode(column: "status_before", as: String?.self).map { raw in
                guard let status = ApplicationStatus(rawValue: raw) else { throw CorruptRowError(table: "application_history", detail: raw) }
                return status
            },
            after: try row.enumValue("status_after", table: "application_history"), comment: try row.decode(column: "comment", as: String?.self))
    }
}

extension Staff {
    init(row: any SQLRow) throws {
        try self.init(
            id: try row.string("id"), name: try row.string("name"), role: try row.enumValue("role", table: "staff"),
            passwordHash: try row.string("password_hash"), status: try row.enumValue("status", table: "staff"),
            createdAt: try row.date("created_at"))
    }
}

extension DirectAction {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), kind: try JSONText.decode(DirectAction.Kind.self, try row.string("kind"), table: "direct_actions"),
            reason: try row.string("reason"), requestedBy: try row.string("requested_by"), requestedAt: try row.date("requested_at"),
            status: try row.enumValue("status", table: "direct_actions"), decidedBy: try row.decode(column: "decided_by", as: String?.self),
            decidedAt: try row.optionalDate("decided_at"))
    }
}

extension StaffSession {
    init(row: any SQLRow) throws {
        self.init(id: try row.string("id"), staffID: try row.string("staff_id"), csrfToken: try row.string("csrf_token"),
                  createdAt: try row.date("created_at"), lastSeenAt: try row.date("last_seen_at"))
    }
}

extension PortalSession {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), user: try row.userKey(),
            certificateSerial: try row.decode(column: "certificate_serial", as: String?.self),
            csrfToken: try row.string("csrf_token"), createdAt: try row.date("created_at"),
            lastSeenAt: try row.date("last_seen_at"),
            renewalPostponed: try row.decode(column: "renewal_postponed", as: Int64.self) != 0)
    }
}

extension OutboxMessage {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), dedupeKey: try row.string("dedupe_key"),
            recipient: try EmailAddress(row.string("recipient")), subject: try row.string("subject"),
            body: try row.string("body"), createdAt: try row.date("created_at"),
            status: try row.enumValue("status", table: "outbox"),
            attempts: Int(try row.decode(column: "attempts", as: Int64.self)),
            nextAttemptAt: try row.date("next_attempt_at"), lastError: try row.decode(column: "last_error", as: String?.self),
            sentAt: try row.optionalDate("sent_at"))
    }
}

extension CertificateRecord.Revocation {
    init?(row: any SQLRow) throws {
        guard let time = try row.optionalDate("revoked_at") else { return nil }
        let code = try row.decode(column: "revocation_reason", as: Int64.self)
        guard let reason = RevocationReason(rawValue: Int(code)) else {
            throw CorruptRowError(table: "certificates", detail: "revocation_reason=\(code)")
        }
        self.init(time: time, reason: reason)
    }
}

extension RevokedSerial {
    init(row: any SQLRow) throws {
        guard let revocation = try CertificateRecord.Revocation(row: row) else {
            throw CorruptRowError(table: "certificates", detail: "revoked without revoked_at")
        }
        self.init(serial: try row.string("serial"), revocation: revocation)
    }
}

extension CertificateRecord {
    init(row: any SQLRow) throws {
        let revocation = try Revocation(row: row)
        self.init(
            serial: try row.string("serial"), owner: try row.userKey(),
            der: Array(try row.decode(column: "der", as: Data.self)), fingerprint: try row.string("fingerprint"),
            keySHA256: try row.decode(column: "key_sha256", as: String?.self),
            subject: try row.string("subject"), notBefore: try row.date("not_before"),
            notAfter: try row.date("not_after"), medium: try row.enumValue("medium", table: "certificates"),
            issuedAt: try row.date("issued_at"), revocation: revocation)
    }
}

extension ActivationCode {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.string("id"), owner: try row.userKey(), codeHash: try row.string("code_hash"),
            issuedAt: try row.date("issued_at"), expiresAt: try row.date("expires_at"),
            failedAttempts: Int(try row.decode(column: "failed_attempts", as: Int64.self)),
            usedAt: try row.optionalDate("used_at"))
    }
}

extension AuditEvent {
    init(row: any SQLRow) throws {
        let details = try JSONText.strings(try row.string("details"), table: "audit_events")
        self.init(
            sequence: try row.decode(column: "sequence", as: Int64.self), actor: try row.string("actor"),
            action: try row.enumValue("action", table: "audit_events"), target: try row.string("target"),
            time: try row.date("time"), details: details, previousHash: try row.string("previous_hash"),
            hash: try row.string("hash"))
    }
}

extension BankEvent {
    /// A feed row (`bankEvents`), whose action the query chose from the feed's own.
    init(row: any SQLRow) throws {
        let action: AuditEvent.Action = try row.enumValue("action", table: "audit_events")
        guard let event = BankEvent(
            sequence: try row.decode(column: "sequence", as: Int64.self), action: action, actor: try row.string("actor"),
            target: try row.string("target"), time: try row.date("time"),
            details: try JSONText.strings(try row.string("details"), table: "audit_events"))
        else { throw CorruptRowError(table: "audit_events", detail: "action=\(action.rawValue) is not in the feed") }
        self = event
    }
}
