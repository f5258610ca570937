import Foundation
import ShomeiDomain
import Testing

@Suite struct LifecycleTests {
    static let notAfter = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: TimeInterval = 86_400
    static let owner = UserKey(contractID: try! ContractID("TKYM140"), userID: try! UserID("8054"))

    static func record(serial: String = "01", issuedAt: Date = notAfter.addingTimeInterval(-365 * day),
                       notAfter: Date = notAfter, revoked: RevocationReason? = nil) -> CertificateRecord {
        CertificateRecord(
            serial: serial, owner: owner, der: [], fingerprint: serial, keySHA256: nil, subject: "CN=x", notBefore: issuedAt,
            notAfter: notAfter, medium: .pc, issuedAt: issuedAt,
            revocation: revoked.map { .init(time: issuedAt.addingTimeInterval(60), reason: $0) })
    }

    static func state(at offset: TimeInterval, _ certificates: [CertificateRecord] = [record()]) -> LifecycleStatus {
        CertificateLifecycle.status(of: certificates, policy: LifecyclePolicy(), at: notAfter.addingTimeInterval(offset))
    }

    @Test func boundariesOfWindowExpiryAndGrace() {
        let cases: [(TimeInterval, LifecycleStatus.State, [LifecycleStatus.Action])] = [
            (-30 * Self.day - 0.001, .valid, []),
            (-30 * Self.day, .renewalWindow, [.renewNow, .renewLater]),
            (0, .renewalWindow, [.renewNow, .renewLater]),
            (0.001, .expiredReacquirable, [.reacquire]),
            (90 * Self.day, .expiredReacquirable, [.reacquire]),
            (90 * Self.day + 0.001, .reissueRequired, [.bankReissue]),
        ]
        for (offset, state, actions) in cases {
            let status = Self.state(at: offset)
            #expect(status.state == state, "at notAfter \(offset >= 0 ? "+" : "")\(offset)s")
            #expect(status.actions == actions)
            #expect(status.admitsLogin == (state == .valid || state == .renewalWindow))
        }
        let status = Self.state(at: 0)
        #expect(status.renewalOpensAt == Self.notAfter.addingTimeInterval(-30 * Self.day))
        #expect(status.reacquirableUntil == Self.notAfter.addingTimeInterval(90 * Self.day))
    }

    @Test func noCertificateRevokedAndHistory() {
        #expect(Self.state(at: 0, []).state == .noCertificate)
        #expect(Self.state(at: 0, []).actions == [.firstIssuance])
        #expect(Self.state(at: -100 * Self.day, [Self.record(revoked: .keyCompromise)]).state == .revoked)
        #expect(Self.state(at: -100 * Self.day, [Self.record(revoked: .keyCompromise)]).actions == [.bankReissue])
        // A superseded certificate next to the valid one: the valid one decides.
        let old = Self.record(serial: "01", issuedAt: Self.notAfter.addingTimeInterval(-400 * Self.day),
                              notAfter: Self.notAfter.addingTimeInterval(-35 * Self.day), revoked: .superseded)
        let status = Self.state(at: -100 * Self.day, [old, Self.record(serial: "02")])
        #expect(status.state == .valid && status.certificate?.serial == "02")
        // Only revoked ones: the newest decides.
        let newest = Self.record(serial: "03", issuedAt: Self.notAfter.addingTimeInterval(-200 * Self.day), revoked: .keyCompromise)
        #expect(Self.state(at: 0, [old, newest]).certificate?.serial == "03")
    }

    @Test func refusesMalformedPolicies() {
        let bad: [LifecyclePolicy] = [
            LifecyclePolicy(noticeOffsetsDays: [30, -1]),
            LifecyclePolicy(noticeOffsetsDays: [10, 10]),
            LifecyclePolicy(noticeOffsetsDays: [400]),
            LifecyclePolicy(noticeOffsetsDays: [40]), // before renewal is possible (window 30)
            LifecyclePolicy(renewalWindowDays: 366),
            LifecyclePolicy(renewalWindowDays: 0),
            LifecyclePolicy(reacquisitionGraceDays: -1),
        ]
        for policy in bad {
            #expect(throws: ShomeiError.self) { try policy.validated(validityDays: 365) }
        }
        #expect(throws: Never.self) {
            try LifecyclePolicy(renewalWindowDays: 40, noticeOffsetsDays: [40]).validated(validityDays: 365) // seed 004
        }
        #expect(throws: Never.self) { try LifecyclePolicy(reacquisitionGraceDays: 0).validated(validityDays: 365) }
    }

    @Test func noticeScheduleAndCatchUp() {
        let policy = LifecyclePolicy()
        let schedule = ExpiryNotices.schedule(notAfter: Self.notAfter, policy: policy)
        #expect(schedule.map(\.kind) == [.renewalDue(daysBefore: 30), .renewalDue(daysBefore: 10), .expired, .reissueRequired])
        #expect(ExpiryNotices.firstDue(notAfter: Self.notAfter, policy: policy) == Self.notAfter.addingTimeInterval(-30 * Self.day))
        let first = schedule[0].due
        // On time: the 30-day notice, next due at 10 days.
        let onTime = ExpiryNotices.step(notAfter: Self.notAfter, policy: policy, storedDue: first, now: first)
        #expect(onTime == .init(notice: .renewalDue(daysBefore: 30), nextDue: schedule[1].due))
        // Down from before 30 days until 5 days: only the 10-day notice, never the stale 30-day one.
        let late = Self.notAfter.addingTimeInterval(-5 * Self.day)
        #expect(ExpiryNotices.step(notAfter: Self.notAfter, policy: policy, storedDue: first, now: late)
                == .init(notice: .renewalDue(daysBefore: 10), nextDue: schedule[2].due))
        // Past everything: the re-issue notice, and nothing after it.
        let end = Self.notAfter.addingTimeInterval(200 * Self.day)
        #expect(ExpiryNotices.step(notAfter: Self.notAfter, policy: policy, storedDue: first, now: end)
                == .init(notice: .reissueRequired, nextDue: nil))
        // Seed 004's single 40-day notice.
        let seed004 = ExpiryNotices.schedule(notAfter: Self.notAfter, policy: LifecyclePolicy(noticeOffsetsDays: [40]))
        #expect(seed004.map(\.kind) == [.renewalDue(daysBefore: 40), .expired, .reissueRequired])
    }

    @Test func recipientsOfLifeEventsIncludeActiveMastersOnce() throws {
        func user(_ id: String, _ role: Role, _ status: User.Status = .active) throws -> User {
            try User(key: UserKey(contractID: Self.owner.contractID, userID: try UserID(id)), name: id, role: role,
                     email: try EmailAddress("\(id)@example.jp"), passwordHash: "x", status: status, createdAt: Date())
        }
        let holder = try user("G1", .general)
        let masters = [try user("M1", .master), try user("M2", .master)]
        #expect(Notice.recipients(for: .issued, holder: holder, masters: masters).map(\.key.userID.rawValue) == ["G1", "M1", "M2"])
        #expect(Notice.recipients(for: .renewalDue(daysBefore: 30), holder: holder, masters: masters).count == 1)
        #expect(Notice.recipients(for: .revoked, holder: masters[0], masters: masters).map(\.key.userID.rawValue) == ["M1", "M2"])
    }

    @Test func tokyoTimeFormatsForPeopleAndOutboxBacksOff() {
        let date = Date(timeIntervalSince1970: 1_795_395_600) // 2026-11-23T01:00:00Z
        #expect(TokyoTime.format(date) == "2026-11-23 10:00:00 JST")
        #expect(TokyoTime.formatForCustomer(date, .japanese) == "2026年11月23日 10時00分")
        #expect(TokyoTime.formatForCustomer(date, .english) == "23 Nov 2026 10:00 JST")
        #expect((1...20).map(OutboxMessage.backoff(afterAttempts:)).prefix(3) == [60, 120, 240])
        #expect(OutboxMessage.backoff(afterAttempts: 50) == 3600)
    }
}
