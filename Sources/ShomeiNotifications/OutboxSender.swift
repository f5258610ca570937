import Foundation
import Logging
import ShomeiDomain
import ShomeiStorage

/// Delivers the outbox over SMTP.
///
/// A batch of due messages is claimed under a fresh token with a lease; just before each
/// message goes out its claim is renewed, and only the token's holder can mark it sent or
/// failed. A sender that stalls past its lease therefore loses the message to another node
/// instead of sending it twice, and a node that dies leaves its messages to be retried. A relay
/// that is down leaves every message pending with its error and a growing wait; a 5xx refusal
/// of one message's recipient or content marks that message failed (`shomei outbox list`,
/// `shomei outbox retry`); a 4xx for one recipient defers that message alone.
///
/// The one gap no protocol closes: a crash after the relay's "250" and before "sent" commits
/// sends that message again after the lease.
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
    /// Long enough for one message's four commands at the SMTP timeout, with room to spare.
    var lease: TimeInterval { TimeInterval(settings.timeoutSeconds * 10) }
    let batchSize: Int
    let logger: Logger

    public init(
        store: any Store, settings: SMTPSettings, password: String?, batchSize: Int = 50,
        logger: Logger = Logger(label: "shomei.outbox")
    ) {
        self.store = store
        self.settings = settings
        self.password = password
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Sends everything due at `now`, batch by batch, until nothing due is left or the relay
    /// fails. Later batches and claim renewals use `now` plus the time spent since.
    @discardableResult
    public func deliverDue(at now: Date) async throws -> Report {
        let started = ContinuousClock.now
        let clock = { now.addingTimeInterval((ContinuousClock.now - started).inSeconds) }
        var report = Report()
        while true {
            let token = UUID().uuidString
            let batchTime = clock()
            let batch = try await store.write { [lease, batchSize] tx in
                try await tx.claimOutbox(dueAt: batchTime, leaseUntil: batchTime.addingTimeInterval(lease),
                                         limit: batchSize, token: token)
            }
            guard !batch.isEmpty else { return report }
            let outcome = await deliver(batch, token: token, clock: clock)
            report.sent += outcome.sent
            report.deferred += outcome.deferred
            report.failed += outcome.failed
            if outcome.deferred > 0 || batch.count < batchSize { return report }
        }
    }

    private func deliver(_ batch: [OutboxMessage], token: String, clock: () -> Date) async -> Report {
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.open(settings, password: password)
        } catch {
            await settle(batch[...], token: token, error: error, at: clock())
            return Report(deferred: batch.count)
        }
        var report = Report()
        for (index, message) in batch.enumerated() {
            let now = clock()
            guard (try? await store.write({ [lease] tx in
                try await tx.renewOutboxClaim(id: message.id, token: token, until: now.addingTimeInterval(lease))
            })) == true else { continue }
            do {
                try await connection.deliver(from: settings.from, to: message.recipient.rawValue, message: rendered(message))
            } catch let error as SMTPError where error.concernsMessage {
                await settle([message], token: token, error: error, at: now)
                if error.isPermanent { report.failed += 1 } else { report.deferred += 1 }
                if (try? await connection.reset()) == nil { break }
                continue
            } catch {
                await settle(batch[index...], token: token, error: error, at: now)
                report.deferred += batch.count - index
                break
            }
            do {
                try await store.write { tx in try await tx.markOutboxSent(id: message.id, token: token, at: now) }
                report.sent += 1
            } catch {
                // Delivered, but not recorded: leave the claim to expire rather than defer (and
                // re-send) the rest on a database error.
                logger.error("outbox \(message.id) delivered but not marked sent: \(error)")
                break
            }
        }
        await connection.quit()
        return report
    }

    /// Records a failed try: permanent refusals fail, everything else waits longer after each try.
    private func settle(_ messages: ArraySlice<OutboxMessage>, token: String, error: any Error, at now: Date) async {
        let permanent = (error as? SMTPError)?.isPermanent == true
        logger.warning("outbox: \(messages.count) message(s) \(permanent ? "refused" : "deferred"): \(error)")
        do {
            try await store.write { tx in
                for message in messages {
                    let retryAt = permanent ? nil : now.addingTimeInterval(OutboxMessage.backoff(afterAttempts: message.attempts))
                    try await tx.markOutboxFailed(id: message.id, token: token, error: "\(error)", retryAt: retryAt)
                }
            }
        } catch {
            logger.error("outbox: could not record the failure (the lease will expire and they are retried): \(error)")
        }
    }

    private func rendered(_ message: OutboxMessage) -> String {
        InternetMessage(
            from: settings.from, to: message.recipient.rawValue, subject: message.subject, body: message.body,
            date: message.createdAt, messageID: message.id
        ).rendered
    }
}
