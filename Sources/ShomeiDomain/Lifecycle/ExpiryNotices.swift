import struct Foundation.Date
import struct Foundation.TimeInterval

/// The notices a certificate's expiry brings, and which one is due at a moment.
///
/// The scheduler keeps, per certificate, the due time of its next notice; processing a
/// certificate sends only the latest notice that has come due and moves the due time on. A
/// notice due while the server was down is therefore sent once when it comes back, and an older
/// notice overtaken by a newer one (a 30-day notice found only at 9 days) is skipped, never
/// sent late next to the newer one.
public enum ExpiryNotices {
    public struct Step: Sendable, Equatable {
        /// The notice to send now, if any came due.
        public let notice: NoticeKind?
        /// When the next notice is due; nil when the certificate has none left.
        public let nextDue: Date?

        public init(notice: NoticeKind?, nextDue: Date?) {
            self.notice = notice
            self.nextDue = nextDue
        }
    }

    /// Every expiry-related notice of a certificate, in the order they fall due.
    public static func schedule(notAfter: Date, policy: LifecyclePolicy) -> [(due: Date, kind: NoticeKind)] {
        let renewals = policy.noticeOffsetsDays.sorted(by: >).map { days in
            (due: notAfter.addingTimeInterval(-TimeInterval(days) * LifecyclePolicy.day), kind: NoticeKind.renewalDue(daysBefore: days))
        }
        // "Expired" means after notAfter (inclusive per RFC 5280): due one second later.
        return renewals + [
            (notAfter.addingTimeInterval(1), .expired),
            (notAfter.addingTimeInterval(policy.reacquisitionGrace + 1), .reissueRequired),
        ]
    }

    /// The first due time, stored when the certificate is issued.
    public static func firstDue(notAfter: Date, policy: LifecyclePolicy) -> Date? {
        schedule(notAfter: notAfter, policy: policy).first?.due
    }

    /// What processing at `now` does, given the due time the scheduler had stored.
    public static func step(notAfter: Date, policy: LifecyclePolicy, storedDue: Date, now: Date) -> Step {
        let events = schedule(notAfter: notAfter, policy: policy)
        let reached = events.filter { $0.due >= storedDue && $0.due <= now }
        return Step(notice: reached.last?.kind, nextDue: events.first { $0.due > now }?.due)
    }
}
