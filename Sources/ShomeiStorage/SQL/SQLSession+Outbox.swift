import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: OutboxWrites {
    func enqueue(_ message: OutboxMessage) async throws -> Bool {
        try await enqueue([message]) == 1
    }

    func outboxMessages(status: OutboxMessage.Status?, limit: Int) async throws -> [OutboxMessage] {
        try await database.raw("""
            SELECT * FROM outbox WHERE (\(bind: status?.rawValue) IS NULL OR status = \(bind: status?.rawValue))
            ORDER BY created_at DESC, id LIMIT \(bind: Int64(limit))
            """).all().map(OutboxMessage.init(row:))
    }

    func outboxTally() async throws -> OutboxTally {
        var tally = OutboxTally()
        let rows = try await database.raw("""
            SELECT status, count(*) AS messages, min(created_at) AS oldest FROM outbox GROUP BY status
            """).all()
        for row in rows {
            let status: OutboxMessage.Status = try row.enumValue("status", table: "outbox")
            tally.counts[status] = Int(try row.decode(column: "messages", as: Int64.self))
            if status == .pending { tally.oldestPending = try row.date("oldest") }
        }
        return tally
    }

    func claimOutbox(dueAt now: Date, leaseUntil: Date, limit: Int, token: String) async throws -> [OutboxMessage] {
        let candidates = try await database.raw("""
            SELECT id, next_attempt_at FROM outbox WHERE status = \(literal: OutboxMessage.Status.pending)
            AND next_attempt_at <= \(bind: now.millis)
            ORDER BY next_attempt_at LIMIT \(bind: Int64(limit))\(unsafeRaw: flavor.forUpdateSkipLocked)
            """).all()
        var claimed: [OutboxMessage] = []
        for candidate in candidates {
            let row = try await database.raw("""
                UPDATE outbox SET next_attempt_at = \(bind: leaseUntil.millis), attempts = attempts + 1,
                       claim_token = \(bind: token)
                WHERE id = \(bind: try candidate.string("id")) AND status = \(bind: OutboxMessage.Status.pending.rawValue)
                AND next_attempt_at = \(bind: try candidate.decode(column: "next_attempt_at", as: Int64.self))
                RETURNING *
                """).first()
            if let row { claimed.append(try OutboxMessage(row: row)) }
        }
        return claimed
    }

    func renewOutboxClaim(id: String, token: String, until: Date) async throws -> Bool {
        try await database.raw("""
            UPDATE outbox SET next_attempt_at = \(bind: until.millis)
            WHERE \(Self.isClaimed(id, by: token)) RETURNING id
            """).first() != nil
    }

    func markOutboxSent(id: String, token: String, at time: Date) async throws {
        try await database.raw("""
            UPDATE outbox SET status = \(bind: OutboxMessage.Status.sent.rawValue), sent_at = \(bind: time.millis), last_error = NULL,
                   claim_token = NULL
            WHERE \(Self.isClaimed(id, by: token))
            """).run()
    }

    func markOutboxFailed(id: String, token: String, error: String, retryAt: Date?) async throws {
        let status: OutboxMessage.Status = retryAt == nil ? .failed : .pending
        try await database.raw("""
            UPDATE outbox SET status = \(bind: status.rawValue), last_error = \(bind: error), claim_token = NULL,
                   next_attempt_at = COALESCE(\(bind: retryAt?.millis), next_attempt_at)
            WHERE \(Self.isClaimed(id, by: token))
            """).run()
    }

    func requeueOutbox(id: String?, at now: Date) async throws -> Int {
        let unheld: SQLQueryString = """
            (status = \(bind: OutboxMessage.Status.failed.rawValue)
             OR (status = \(bind: OutboxMessage.Status.pending.rawValue) AND claim_token IS NULL))
            """
        // One message by its key, or all of them: two statements, so the first is a key lookup.
        let which: SQLQueryString = id.map { "id = \(bind: $0) AND \(unheld)" } ?? unheld
        return try await database.raw("""
            UPDATE outbox SET status = \(bind: OutboxMessage.Status.pending.rawValue), next_attempt_at = \(bind: now.millis)
            WHERE \(which) RETURNING id
            """).all().count
    }

    /// The message, still pending and still claimed by `token`.
    private static func isClaimed(_ id: String, by token: String) -> SQLQueryString {
        "id = \(bind: id) AND claim_token = \(bind: token) AND status = \(bind: OutboxMessage.Status.pending.rawValue)"
    }

    // MARK: Multi-row changes (one INSERT for a whole issuance batch's mail)

    static let outboxRowsPerStatement = 2_000

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
}
