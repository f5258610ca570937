import struct Foundation.TimeInterval

/// The dates a bank sets around a certificate's expiry, with the seeds' defaults.
///
/// Seeds 002 and 003 send e-mail 30 and 10 days before expiry, seed 004 40 days before (a bank
/// on seed 004's rules sets a 40-day window and `[40]`): the offsets are configuration, as are
/// the renewal window and the re-acquisition grace period.
/// Validity itself and the activation-code rules live with the certificate profile and
/// `ActivationCodePolicy`; `validated(validityDays:)` checks this policy against the former.
public struct LifecyclePolicy: Sendable, Codable, Equatable {
    /// Renewal (更新) is offered from this many days before expiry until expiry.
    public var renewalWindowDays: Int
    /// Days before expiry on which the renewal e-mail (更新案内) goes out.
    public var noticeOffsetsDays: [Int]
    /// After expiry the user may re-acquire (電子証明書取得) with ID and password for this long;
    /// after that the bank must re-issue with a new activation code.
    public var reacquisitionGraceDays: Int

    public init(renewalWindowDays: Int = 30, noticeOffsetsDays: [Int] = [30, 10], reacquisitionGraceDays: Int = 90) {
        self.renewalWindowDays = renewalWindowDays
        self.noticeOffsetsDays = noticeOffsetsDays
        self.reacquisitionGraceDays = reacquisitionGraceDays
    }

    /// Refuses a policy that cannot work, naming the field, before anything runs on it.
    public func validated(validityDays: Int) throws(ShomeiError) -> LifecyclePolicy {
        guard (1...max(1, validityDays)).contains(renewalWindowDays) else {
            throw .invalidPolicy("lifecycle.renewalWindowDays must be between 1 and the validity (\(validityDays) days)")
        }
        // A renewal notice says "renew now": it must not come before renewal is possible.
        guard noticeOffsetsDays.allSatisfy({ (1...renewalWindowDays).contains($0) }) else {
            throw .invalidPolicy("lifecycle.noticeOffsetsDays must each be between 1 and renewalWindowDays (\(renewalWindowDays))")
        }
        guard Set(noticeOffsetsDays).count == noticeOffsetsDays.count else {
            throw .invalidPolicy("lifecycle.noticeOffsetsDays must not repeat a day")
        }
        guard reacquisitionGraceDays >= 0 else {
            throw .invalidPolicy("lifecycle.reacquisitionGraceDays must not be negative")
        }
        return self
    }

    static let day: TimeInterval = 86_400
    public var renewalWindow: TimeInterval { TimeInterval(renewalWindowDays) * Self.day }
    public var reacquisitionGrace: TimeInterval { TimeInterval(reacquisitionGraceDays) * Self.day }
}
