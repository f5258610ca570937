import struct Foundation.Date
import struct Foundation.TimeInterval

/// A message in the durable outbox: written in the transaction of the event that causes it,
/// delivered later by the sender, kept after delivery as the record of what was sent.
public struct OutboxMessage: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending
        case sent
        /// The SMTP server refused it permanently (5xx); `shomei outbox retry` queues it again.
        case failed
    }

    public let id: String
    public let dedupeKey: String
    public let recipient: EmailAddress
    public let subject: String
    public let body: String
    public let createdAt: Date
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var sentAt: Date?

    public init(
        id: String, dedupeKey: String, recipient: EmailAddress, subject: String, body: String, createdAt: Date,
        status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil,
        sentAt: Date? = nil
    ) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.lastError = lastError
        self.sentAt = sentAt
    }

    /// Wait before the next try after `attempts` failures: 1, 2, 4 … minutes, at most an hour.
    /// A message is never dropped for having failed often; it waits for the server to return.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(3600, 60 * pow2(max(0, attempts - 1)))
    }

    private static func pow2(_ n: Int) -> TimeInterval { TimeInterval(1 << min(n, 12)) }
}
