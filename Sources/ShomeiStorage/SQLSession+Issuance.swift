import Foundation
import ShomeiDomain
import SQLKit

/// Writing prepared issuances in bulk: a batch costs the same dozen statements whether it holds
/// one issuance or a hundred, which is what lets one SQLite writer keep up with parallel signing.
extension SQLSession {
    func record(_ issuances: [IssuanceWrite]) async throws -> [Bool] {
        precondition(issuances.count <= IssuanceWrite.maximumPerBatch, "split the batch")
        guard !issuances.isEmpty else { return [] }
        let owners = Array(Set(issuances.map(\.owner)))
        let active = try await lockActiveUsers(owners)
        let unrevoked = try await unrevokedSerials(of: owners)
        let taken = try await storedFingerprints(among: issuances.map(\.certificate.serial))
        let unusedCodes = try await lockUnusedActivationCodes(among: issuances.compactMap(\.spentActivationCode))
        var claimed = Set<UserKey>()
        let applies = issuances.map { write in
            active.contains(write.owner) && unrevoked[write.owner] == write.superseded?.serial
                && taken[write.certificate.serial] == nil
                && (write.spentActivationCode.map(unusedCodes.contains) ?? true)
                && claimed.insert(write.owner).inserted
        }
        // Written by an earlier call whose commit succeeded but whose answer was lost: done, not
        // stale (which would make the RA issue a second certificate).
        let outcomes = zip(issuances, applies).map { write, applies in
            applies || taken[write.certificate.serial] == write.certificate.fingerprint
        }
        let applied = zip(issuances, applies).filter(\.1).map(\.0)
        guard !applied.isEmpty else { return outcomes }
        try await revoke(applied.compactMap { write in
            write.superseded.flatMap { old in old.revocation.map { (old.serial, $0) } }
        })
        try await insert(applied.map { ($0.certificate, $0.firstNoticeAt) })
        try await markActivationCodesUsed(applied.compactMap { write in write.spentActivationCode.map { ($0, write.time) } })
        try await enqueue(applied.flatMap(\.messages))
        try await appendAudit(applied.flatMap { write in write.audit.map { ($0, write.time) } })
        return outcomes
    }

    // MARK: Expectations, read under lock (on PostgreSQL a row a concurrent transaction changes
    // is waited for and read again, so a certificate revoked meanwhile is not superseded too)

    /// Locks in key order, which every batch shares, so two nodes' batches cannot deadlock.
    private func lockActiveUsers(_ keys: [UserKey]) async throws -> Set<UserKey> {
        let rows = try await database.raw("""
            SELECT contract_id, user_id, status FROM users WHERE \(Self.anyOf(keys))
            ORDER BY contract_id, user_id\(unsafeRaw: flavor.forUpdate)
            """).all()
        return Set(try rows.filter { try $0.string("status") == User.Status.active.rawValue }.map { try $0.userKey() })
    }

    private func unrevokedSerials(of keys: [UserKey]) async throws -> [UserKey: String] {
        let rows = try await database.raw("""
            SELECT serial, contract_id, user_id FROM certificates
            WHERE status = 'valid' AND \(Self.anyOf(keys))\(unsafeRaw: flavor.forUpdate)
            """).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.userKey(), try $0.string("serial")) })
    }

    /// The fingerprints of the certificates already stored under these serials.
    private func storedFingerprints(among serials: [String]) async throws -> [String: String] {
        let rows = try await database.raw("SELECT serial, fingerprint FROM certificates WHERE serial IN (\(binds: serials))").all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("serial"), try $0.string("fingerprint")) })
    }

    private func lockUnusedActivationCodes(among ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.raw("""
            SELECT id FROM activation_codes WHERE used_at IS NULL AND id IN (\(binds: ids))\(unsafeRaw: flavor.forUpdate)
            """).all()
        return Set(try rows.map { try $0.string("id") })
    }

    // MARK: Multi-row changes (the single-row `StoreTransaction` methods call these with one)

    /// Revokes the ones still valid; returns how many that was.
    @discardableResult
    func revoke(_ revocations: [(serial: String, revocation: CertificateRecord.Revocation)]) async throws -> Int {
        guard !revocations.isEmpty else { return 0 }
        let revoked = try await database.raw("""
            UPDATE certificates SET status = 'revoked',
                   revoked_at = \(Self.cases("serial", revocations.map { ($0.serial, $0.revocation.time.millis) })),
                   revocation_reason = \(Self.cases("serial", revocations.map { ($0.serial, Int64($0.revocation.reason.rawValue)) }))
            WHERE status = 'valid' AND serial IN (\(binds: revocations.map(\.serial))) RETURNING serial
            """).all().count
        try await database.raw("UPDATE revocation_state SET revision = revision + 1 WHERE id = 1").run()
        return revoked
    }

    func insert(_ certificates: [(record: CertificateRecord, firstNoticeAt: Date?)]) async throws {
        guard !certificates.isEmpty else { return }
        let rows: [SQLQueryString] = certificates.map { certificate, noticeAt in
            """
            (\(bind: certificate.serial), \(bind: certificate.owner.contractID.rawValue), \(bind: certificate.owner.userID.rawValue),
             \(bind: Data(certificate.der)), \(bind: certificate.fingerprint), \(bind: certificate.subject),
             \(bind: certificate.notBefore.millis), \(bind: certificate.notAfter.millis), \(bind: certificate.medium.rawValue),
             \(bind: certificate.issuedAt.millis), \(bind: certificate.status.rawValue), \(bind: certificate.revocation?.time.millis),
             \(bind: certificate.revocation.map { Int64($0.reason.rawValue) }), \(bind: noticeAt?.millis))
            """
        }
        try await database.raw("""
            INSERT INTO certificates (serial, contract_id, user_id, der, fingerprint, subject, not_before, not_after,
                                      medium, issued_at, status, revoked_at, revocation_reason, next_notice_at)
            VALUES \(rows.joined(separator: ", "))
            """).run()
    }

    func markActivationCodesUsed(_ codes: [(id: String, time: Date)]) async throws {
        guard !codes.isEmpty else { return }
        try await database.raw("""
            UPDATE activation_codes SET used_at = \(Self.cases("id", codes.map { ($0.id, $0.time.millis) }))
            WHERE id IN (\(binds: codes.map(\.id)))
            """).run()
    }

    /// Adds the messages whose dedupe key is new; returns how many were added. A batch whose
    /// users' contracts have many masters is split, keeping each statement's 11 values a row
    /// under PostgreSQL's 65,535 bound values.
    @discardableResult
    func enqueue(_ messages: [OutboxMessage]) async throws -> Int {
        guard messages.count <= Self.outboxRowsPerStatement else {
            var added = 0
            for start in stride(from: 0, to: messages.count, by: Self.outboxRowsPerStatement) {
                added += try await enqueue(Array(messages[start..<min(start + Self.outboxRowsPerStatement, messages.count)]))
            }
            return added
        }
        guard !messages.isEmpty else { return 0 }
        let rows: [SQLQueryString] = messages.map { message in
            """
            (\(bind: message.id), \(bind: message.dedupeKey), \(bind: message.recipient.rawValue), \(bind: message.subject),
             \(bind: message.body), \(bind: message.createdAt.millis), \(bind: message.status.rawValue),
             \(bind: Int64(message.attempts)), \(bind: message.nextAttemptAt.millis), \(bind: message.lastError),
             \(bind: message.sentAt?.millis))
            """
        }
        return try await database.raw("""
            INSERT INTO outbox (id, dedupe_key, recipient, subject, body, created_at, status, attempts,
                                next_attempt_at, last_error, sent_at)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """).all().count
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

    // MARK: Pieces of statements

    static let outboxRowsPerStatement = 2_000

    /// `((contract_id = ? AND user_id = ?) OR …)`: rows of any of these users. Both databases
    /// look each term up in the (contract_id, user_id) index; SQLite scans the whole table for
    /// the row-value form `(contract_id, user_id) IN (VALUES …)`.
    private static func anyOf(_ keys: [UserKey]) -> SQLQueryString {
        let terms: [SQLQueryString] = keys.map {
            "(contract_id = \(bind: $0.contractID.rawValue) AND user_id = \(bind: $0.userID.rawValue))"
        }
        return "(\(terms.joined(separator: " OR ")))"
    }

    /// `CASE column WHEN ? THEN ? … END`: a different value for each row of one UPDATE.
    private static func cases(_ column: String, _ pairs: [(String, Int64)]) -> SQLQueryString {
        let arms: [SQLQueryString] = pairs.map { "WHEN \(bind: $0.0) THEN \(bind: $0.1)" }
        return "CASE \(ident: column) \(arms.joined(separator: " ")) END"
    }
}
