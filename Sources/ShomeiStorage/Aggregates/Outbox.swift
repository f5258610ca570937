import struct Foundation.Date
import ShomeiDomain

/// The durable mail outbox: messages are added in the transaction of the event that causes
/// them and claimed, sent and marked by the senders.
public protocol OutboxReads: Sendable {
    /// Outbox messages, newest first, optionally of one status.
    func outboxMessages(status: OutboxMessage.Status?, limit: Int) async throws -> [OutboxMessage]
    /// How many messages are in each status, and when the oldest pending one was queued.
    func outboxTally() async throws -> OutboxTally
}

public protocol OutboxWrites: OutboxReads {
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
}
