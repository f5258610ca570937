import struct Foundation.Date

/// The outbox at a glance, for monitoring: a count per status and the oldest pending message's
/// queueing time (nil when nothing is pending).
public struct OutboxTally: Sendable, Equatable {
    public var counts: [OutboxMessage.Status: Int] = [:]
    public var oldestPending: Date?

    public init(counts: [OutboxMessage.Status: Int] = [:], oldestPending: Date? = nil) {
        self.counts = counts
        self.oldestPending = oldestPending
    }
}
