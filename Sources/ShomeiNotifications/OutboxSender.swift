import Foundation
import Logging
import ShomeiDomain
import ShomeiStorage

/// Delivers the outbox over SMTP.
///
/// Messages are claimed with a lease (other nodes skip them until it runs out), sent over one
/// connection per batch, and marked sent or failed one by one. A relay that is down leaves
/// every message pending with its error recorded and a growing wait; a 5xx refusal of one
/// message marks that message failed (shown by `shomei outbox list`, re-queued by `retry`).
/// A node that dies mid-batch leaves its claimed messages to be retried after the lease: the
/// only way a message could go twice is a crash between the relay's "250" and the "sent" commit.
public struct OutboxSender: Sendable {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var deferred = 0
        public var failed = 0

        public init(sent: Int = 0, deferred: Int = 0, failed: Int = 0) {
            self.sent = sent
            self.deferred = deferred
            self.failed = failed
        }
    }

    let store: any Store
    let settings: SMTPSettings
    let password: String?
    let lease: TimeInterval
    let batchSize: Int
    let logger: Logger

    public init(
        store: any Store, settings: SMTPSettings, password: String?, lease: TimeInterval = 300, batchSize: Int = 50,
        logger: Logger = Logger(label: "shomei.outbox")
    ) {
        self.store = store
        self.settings = settings
        self.password = password
        self.lease = lease
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Sends everything due at `now`, batch by batch, until nothing due is left or the relay fails.
    @discardableResult
    public func deliverDue(at now: Date) async throws -> Report {
        var report = Report()
        while true {
            let batch = try await store.write { [lease, batchSize] tx in
                try await tx.claimOutbox(dueAt: now, leaseUntil: now.addingTimeInterval(lease), limit: batchSize)
            }
            guard !batch.isEmpty else { return report }
            let outcome = try await deliver(batch, at: now)
            report.sent += outcome.sent
            report.deferred += outcome.deferred
            report.failed += outcome.failed
            if outcome.deferred > 0 || batch.count < batchSize { return report }
        }
    }

    private func deliver(_ batch: [OutboxMessage], at now: Date) async throws -> Report {
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.open(settings, password: password)
        } catch {
            try await deferAll(batch[...], error: error, at: now)
            return Report(deferred: batch.count)
        }
        var report = Report()
        for (index, message) in batch.enumerated() {
            do {
                try await connection.deliver(from: settings.from, to: message.recipient.rawValue, message: rendered(message))
                try await store.write { tx in try await tx.markOutboxSent(id: message.id, at: now) }
                report.sent += 1
            } catch let error as SMTPError where error.isPermanent {
                logger.error("outbox \(message.id) to \(message.recipient) refused: \(error)")
                try await store.write { tx in try await tx.markOutboxFailed(id: message.id, error: "\(error)", retryAt: nil) }
                report.failed += 1
                try? await connection.reset()
            } catch {
                try await deferAll(batch[index...], error: error, at: now)
                report.deferred += batch.count - index
                break
            }
        }
        await connection.quit()
        return report
    }

    /// Keeps the messages pending, records why, and waits longer after each failed try.
    private func deferAll(_ messages: ArraySlice<OutboxMessage>, error: any Error, at now: Date) async throws {
        logger.warning("outbox delivery deferred for \(messages.count) message(s): \(error)")
        try await store.write { tx in
            for message in messages {
                let retryAt = now.addingTimeInterval(OutboxMessage.backoff(afterAttempts: message.attempts))
                try await tx.markOutboxFailed(id: message.id, error: "\(error)", retryAt: retryAt)
            }
        }
    }

    private func rendered(_ message: OutboxMessage) -> String {
        InternetMessage(
            from: settings.from, to: message.recipient.rawValue, subject: message.subject, body: message.body,
            date: message.createdAt, messageID: message.id
        ).rendered
    }
}
