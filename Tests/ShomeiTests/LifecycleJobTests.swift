import Foundation
import ShomeiDomain
import ShomeiNotifications
import ShomeiRA
import ShomeiStorage
import Testing

@Suite struct LifecycleJobTests {
    static let day: TimeInterval = 86_400

    /// A contract with a master (M1) and a general user (8054) holding a certificate issued at the clock's start.
    struct World {
        let ca: TestCA
        let clock: TestClock
        let holder: UserKey
        let certificate: CertificateRecord
        let jobs: ExpiryNoticeJob

        init(backend: TestBackend = .sqlite, lifecycle: LifecyclePolicy = .init()) async throws {
            clock = TestClock(Date(timeIntervalSince1970: 1_795_395_600))
            ca = try await TestCA(store: try await backend.makeStore(), lifecycle: lifecycle, clock: clock.read)
            _ = try await ca.addUser(user: "M1", name: "鈴木 花子")
            holder = try await ca.addUser(user: "8054", role: .general)
            certificate = try await ca.registration.issueCertificate(
                for: holder, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t").record
            jobs = ExpiryNoticeJob(store: ca.store, composer: ca.composer, policy: lifecycle)
        }

        func at(_ offsetFromExpiry: TimeInterval) {
            clock.advance(certificate.notAfter.addingTimeInterval(offsetFromExpiry).timeIntervalSince(clock.read()))
        }

        func runJobs() async throws -> Int { try await jobs.run(at: clock.read()).messages }

        func outbox() async throws -> [OutboxMessage] {
            try await ca.store.read { try await $0.outboxMessages(status: nil, limit: 1000) }.reversed()
        }
    }

    @Test(.enabled(if: SMTPSink.available))
    func noticesArriveInARealSMTPServerAsTheClockAdvances() async throws {
        let sink = try SMTPSink()
        let world = try await World()
        let sender = OutboxSender(store: world.ca.store, settings: sink.settings(), password: nil)
        func deliver() async throws { _ = try await sender.deliverDue(at: world.clock.read()) }

        try await deliver()
        #expect(try sink.received().map(\.rcpt_tos) == [["u8054@example.co.jp"], ["um1@example.co.jp"]],
                "issuance goes to the holder and the contract's master")
        let steps: [(TimeInterval, String?, LifecycleStatus.State)] = [
            (-30 * Self.day - 1, nil, .valid),
            (-30 * Self.day, "電子証明書の更新をお願いします（有効期限まで30日）", .renewalWindow),
            (-20 * Self.day, nil, .renewalWindow),
            (-10 * Self.day, "電子証明書の更新をお願いします（有効期限まで10日）", .renewalWindow),
            (0, nil, .renewalWindow),
            (1, "電子証明書の有効期限が切れました", .expiredReacquirable),
            (90 * Self.day, nil, .expiredReacquirable),
            (90 * Self.day + 1, "電子証明書の再発行手続きが必要です", .reissueRequired),
            (400 * Self.day, nil, .reissueRequired),
        ]
        var expected = 2
        for (offset, subject, state) in steps {
            world.at(offset)
            let queued = try await world.runJobs()
            #expect(queued == (subject == nil ? 0 : 1), "at expiry \(offset)s")
            #expect(try await world.runJobs() == 0, "running again at the same moment sends nothing")
            try await deliver()
            let received = try sink.received()
            if let subject {
                expected += 1
                #expect(received.last?.subject.hasSuffix(subject) == true)
                #expect(received.last?.rcpt_tos == ["u8054@example.co.jp"])
            }
            #expect(received.count == expected)
            #expect(try await world.ca.registration.lifecycleStatus(of: world.holder).state == state)
        }
        let audit = try await world.ca.store.read { try await $0.auditEvents(after: 0, limit: 100) }.map(\.action)
        #expect(audit.filter { $0 == .noticeQueued }.count == 2)
        #expect(audit.contains(.certificateExpired) && audit.contains(.certificateReissueRequired))
    }

    @Test(arguments: TestBackend.available)
    func noticeDueDuringDowntimeIsSentOnceAndStaleOnesSkipped(_ backend: TestBackend) async throws {
        let world = try await World(
            backend: backend, lifecycle: LifecyclePolicy(renewalWindowDays: 40, noticeOffsetsDays: [40, 30, 10]))
        world.at(-5 * Self.day)
        #expect(try await world.runJobs() == 1)
        #expect(try await world.runJobs() == 0)
        let notices = try await world.outbox().filter { $0.dedupeKey.hasPrefix("renewal-due") }
        #expect(notices.map { $0.dedupeKey.components(separatedBy: ":")[0] } == ["renewal-due-10"])
    }

    @Test(arguments: TestBackend.available)
    func renewalOnlyInTheWindowWithANewKeyAndMailed(_ backend: TestBackend) async throws {
        let world = try await World(backend: backend)
        let folder = TemporaryFolder()
        let csr = try OpenSSL.csr(OpenSSL.p256, in: folder)
        await #expect(throws: ShomeiError.renewalNotAllowed(.valid)) {
            _ = try await world.ca.registration.renewCertificate(presenting: world.certificate.serial, csr: csr, medium: .pc)
        }
        world.at(-29 * Self.day)
        let renewed = try await world.ca.registration.renewCertificate(presenting: world.certificate.serial, csr: csr, medium: .usb)
        #expect(renewed.superseded?.serial == world.certificate.serial && renewed.superseded?.revocation?.reason == .superseded)
        let mails = try await world.outbox().filter { $0.dedupeKey.hasPrefix("renewed:") }
        #expect(Set(mails.map(\.recipient.rawValue)) == ["u8054@example.co.jp", "um1@example.co.jp"])
        #expect(try await world.ca.registration.lifecycleStatus(of: world.holder).state == .valid)
        // The superseded certificate cannot renew again.
        await #expect(throws: ShomeiError.renewalNotAllowed(.revoked)) {
            _ = try await world.ca.registration.renewCertificate(presenting: world.certificate.serial, csr: csr, medium: .pc)
        }
        // A renewal that reuses the current key is refused.
        world.at(326 * Self.day) // ten days before the renewed certificate expires
        try run(["openssl", "req", "-new", "-key", folder.file("req.key").path, "-subj", "/CN=x", "-out", folder.file("same.csr").path])
        let sameKey = Array(try Data(contentsOf: folder.file("same.csr")))
        await #expect(throws: ShomeiError.keyReused) {
            _ = try await world.ca.registration.renewCertificate(presenting: renewed.record.serial, csr: sameKey, medium: .pc)
        }
    }

    /// Renewals decided at once on the same presented certificate: as one at a time, one renews
    /// and the others find it superseded (none supersedes the new certificate instead).
    @Test(arguments: TestBackend.available)
    func oneCertificatePresentedForRenewalAtOnceRenewsOnce(_ backend: TestBackend) async throws {
        let world = try await World(backend: backend)
        world.at(-29 * Self.day)
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        let outcomes = await withTaskGroup(of: ShomeiError?.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        _ = try await world.ca.registration.renewCertificate(presenting: world.certificate.serial, csr: csr, medium: .pc)
                        return nil
                    } catch { return error as? ShomeiError ?? .csrNotDecodable }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .renewalNotAllowed(.revoked) }, "\(outcomes)")
        let certificates = try await world.ca.store.read { try await $0.certificates(ofUser: world.holder) }
        #expect(certificates.count == 2 && certificates.filter { $0.revocation == nil }.count == 1)
    }

    @Test(arguments: TestBackend.available)
    func reacquisitionOnlyWithinTheGracePeriod(_ backend: TestBackend) async throws {
        let world = try await World(backend: backend)
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        await #expect(throws: ShomeiError.reacquisitionNotAllowed(.valid)) {
            _ = try await world.ca.registration.reacquireCertificate(for: world.holder, password: TestCA.password, csr: csr, medium: .pc)
        }
        world.at(91 * Self.day)
        await #expect(throws: ShomeiError.reacquisitionNotAllowed(.reissueRequired)) {
            _ = try await world.ca.registration.reacquireCertificate(for: world.holder, password: TestCA.password, csr: csr, medium: .pc)
        }
        let world2 = try await World(backend: backend)
        world2.at(89 * Self.day)
        let again = try await world2.ca.registration.reacquireCertificate(for: world2.holder, password: TestCA.password, csr: csr, medium: .pc)
        #expect(again.superseded?.serial == world2.certificate.serial)
        #expect(try await world2.outbox().contains { $0.dedupeKey.hasPrefix("reacquired:") && $0.subject.contains("再取得") })
        #expect(try await world2.ca.registration.lifecycleStatus(of: world2.holder).state == .valid)
    }

    @Test(arguments: TestBackend.available)
    func revocationMailsHolderAndMasterInItsTransaction(_ backend: TestBackend) async throws {
        let world = try await World(backend: backend)
        _ = try await world.ca.registration.revokeCertificate(serial: world.certificate.serial, reason: .keyCompromise, actor: "operator:t")
        let mails = try await world.outbox().filter { $0.dedupeKey.hasPrefix("revoked:") }
        #expect(mails.count == 2 && mails.allSatisfy { $0.body.contains("秘密鍵の危殆化") })
        // A revoked certificate gets no expiry notices.
        world.at(-30 * Self.day)
        #expect(try await world.runJobs() == 0)
    }

    /// Two Shomei nodes on one PostgreSQL database: each notice queued once, each message sent once.
    @Test(.enabled(if: TestBackend.postgresURL != nil && SMTPSink.available))
    func twoSchedulersOnOnePostgreSQLSendEachNoticeExactlyOnce() async throws {
        let schema = "t_" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20)).lowercased()
        let nodeA = try await SQLStore.postgres(url: TestBackend.postgresURL!, schema: schema, maxConnections: 4)
        let nodeB = try await SQLStore.postgres(url: TestBackend.postgresURL!, schema: schema, maxConnections: 4)
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_395_600))
        let ca = try await TestCA(store: nodeA, clock: clock.read)
        let users = 24
        for index in 0..<users {
            let key = try await ca.addUser(user: "U\(index)", role: .general)
            _ = try await ca.registration.issueCertificate(
                for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t")
        }
        clock.advance(365 * Self.day - 30 * Self.day + 60)
        let now = clock.read()
        let jobs = [nodeA, nodeB].map { ExpiryNoticeJob(store: $0, composer: ca.composer, policy: .init(), batchSize: 5) }
        let reports = try await withThrowingTaskGroup(of: ExpiryNoticeJob.Report.self) { group in
            for job in jobs + jobs { group.addTask { try await job.run(at: now) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.map(\.messages).reduce(0, +) == users)
        #expect(reports.map(\.certificates).reduce(0, +) == users, "each certificate handled by exactly one node")
        let queuedAudit = try await nodeA.read { try await $0.auditEvents(after: 0, limit: 10_000) }.filter { $0.action == .noticeQueued }
        #expect(queuedAudit.count == users)
        let all = try await nodeB.read { try await $0.outboxMessages(status: nil, limit: 1000) }
        #expect(all.filter { $0.dedupeKey.hasPrefix("renewal-due-30") }.count == users)

        let sink = try SMTPSink()
        let senders = [nodeA, nodeB].map { OutboxSender(store: $0, settings: sink.settings(), password: nil, batchSize: 4) }
        try await withThrowingTaskGroup(of: OutboxSender.Report.self) { group in
            for sender in senders + senders { group.addTask { try await sender.deliverDue(at: now) } }
            try await group.waitForAll()
        }
        let received = try sink.received()
        #expect(received.count == all.count, "every message once: \(received.count) of \(all.count)")
        #expect(Set(received.map(\.message_id)).count == received.count)
        #expect(try await nodeA.read { try await $0.outboxMessages(status: .pending, limit: 1000) }.isEmpty)
        try await nodeA.shutdown()
        try await nodeB.shutdown()
    }
}
