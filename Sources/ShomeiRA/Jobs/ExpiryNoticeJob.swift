import Foundation
import Logging
import ShomeiDomain
import ShomeiStorage

/// The scheduled job behind renewal notices (更新案内), expiry notices and the re-issue-required
/// transition.
///
/// Each certificate carries the due time of its next notice (indexed), so finding what is due is
/// a range scan however many certificates exist. A notice is queued in the same transaction that
/// moves the due time on, and only if the due time was still the one read (compare-and-set): two
/// Shomei nodes running this job on one database queue each notice exactly once.
public struct ExpiryNoticeJob: Sendable {
    public struct Report: Sendable, Equatable {
        public var certificates = 0
        public var messages = 0
        /// Certificates whose notice could not be queued this time (logged; tried again next tick).
        public var failures = 0
    }

    let store: any Store
    let notices: NoticeQueue
    let policy: LifecyclePolicy
    let batchSize: Int
    let logger: Logger

    public init(
        store: any Store, composer: any NoticeComposing, policy: LifecyclePolicy, batchSize: Int = 500,
        logger: Logger = Logger(label: "shomei.notices")
    ) {
        self.store = store
        self.notices = NoticeQueue(composer: composer)
        self.policy = policy
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Handles everything due at `now`, including what fell due while the server was down. One
    /// certificate that fails (a corrupt row) is logged and skipped, never blocking the others.
    @discardableResult
    public func run(at now: Date) async throws -> Report {
        var report = Report()
        while true {
            let batch = try await store.read { try await $0.dueNotices(at: now, limit: batchSize) }
            var failures = 0
            for due in batch {
                do {
                    let queued = try await process(due, at: now)
                    report.certificates += queued == nil ? 0 : 1
                    report.messages += queued ?? 0
                } catch {
                    failures += 1
                    logger.error("expiry notice for certificate \(due.certificate.serial) failed: \(error)")
                }
            }
            report.failures += failures
            // Stop when the batch was the last, or when it held nothing but failures (which
            // stay due and would come back first forever).
            if batch.count < batchSize || failures == batch.count { return report }
        }
    }

    /// What `run(at:)` would queue, without queuing it: for `shomei notices preview`.
    public func preview(at now: Date, limit: Int) async throws -> [(certificate: CertificateRecord, notice: NoticeKind)] {
        let due = try await store.read { try await $0.dueNotices(at: now, limit: limit) }
        return due.compactMap { due in
            step(for: due, at: now).notice.map { (due.certificate, $0) }
        }
    }

    /// Returns the number of messages queued, or nil when another node had already handled it.
    private func process(_ due: DueNotice, at now: Date) async throws -> Int? {
        let step = step(for: due, at: now)
        let certificate = due.certificate
        return try await store.write { tx in
            guard try await tx.advanceNotice(serial: certificate.serial, from: due.due, to: step.nextDue) else { return nil }
            guard let kind = step.notice, let holder = try await tx.user(certificate.owner), holder.status == .active else {
                return 0
            }
            let until = certificate.notAfter.addingTimeInterval(policy.reacquisitionGrace)
            let added = try await notices.enqueue(
                kind, holder: holder, certificate: certificate, time: now, reacquirableUntil: until, in: tx)
            try await tx.appendAudit(
                AuditEntry(actor: "system", action: Self.auditAction(kind), target: "certificate:\(certificate.serial)",
                           details: ["notice": "\(kind)", "user": "\(holder.key)"]),
                at: now)
            return added
        }
    }

    private func step(for due: DueNotice, at now: Date) -> ExpiryNotices.Step {
        ExpiryNotices.step(notAfter: due.certificate.notAfter, policy: policy, storedDue: due.due, now: now)
    }

    static func auditAction(_ kind: NoticeKind) -> AuditEvent.Action {
        switch kind {
        case .expired: .certificateExpired
        case .reissueRequired: .certificateReissueRequired
        default: .noticeQueued
        }
    }
}
