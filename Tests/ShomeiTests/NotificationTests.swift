import Foundation
import ShomeiDomain
import ShomeiNotifications
import ShomeiRA
import ShomeiStorage
import Testing

@Suite struct NotificationTests {
    // MARK: Message encoding

    @Test func encodedWordsNeverSplitACharacterAndFoldWithin78() {
        var generator = SystemRandomNumberGenerator()
        let pool = Array("あいうえお漢字電子証明書の更新をお願いしますＡＢＣ①ｶﾞ🏦👨‍👩‍👧 abcXYZ019=?_\t")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 1...120, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
            let chunks = InternetMessageProbe.chunks(text)
            #expect(chunks.allSatisfy { $0.count <= 36 })
            #expect(chunks.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
            #expect(chunks.flatMap { $0 } == Array(text.utf8))
            let header = InternetMessageProbe.header(text)
            #expect(("Subject: " + header).components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 })
        }
        #expect(InternetMessageProbe.header("Plain ASCII subject") == "Plain ASCII subject")
    }

    @Test func composerWordsEveryNoticeInBothLanguagesAsPlainText() async throws {
        let composer = try await NoticeComposer.load(signature: TestCA.signature)
        let key = UserKey(contractID: try ContractID("TKYM140"), userID: try UserID("8054"))
        let masterKey = UserKey(contractID: key.contractID, userID: try UserID("M1"))
        let certificate = LifecycleTests.record(serial: "4a3f00aa")
        let kinds: [NoticeKind] = [.renewalDue(daysBefore: 30), .expired, .reissueRequired, .issued, .renewed, .reacquired, .revoked]
        for language in Language.allCases {
            let holder = try User(key: key, name: "山田 太郎", role: .general, email: try EmailAddress("t@example.jp"),
                                  passwordHash: "x", createdAt: Date(), language: language)
            let master = try User(key: masterKey, name: "鈴木 花子", role: .master, email: try EmailAddress("m@example.jp"),
                                  passwordHash: "x", createdAt: Date(), language: language)
            for kind in kinds {
                let mail = try composer.compose(Notice(kind: kind, recipient: holder, holder: holder, certificate: certificate,
                                                       time: Date(), reacquirableUntil: Date()))
                #expect(!mail.subject.isEmpty && !mail.subject.contains("\n"))
                #expect(mail.subject.contains("テスト銀行 & Co"), "TEXT content type: no HTML escaping")
                #expect(mail.body.contains("4A3F00AA") && mail.body.contains("0120-123-456"))
                #expect(!mail.body.contains("{{") && !mail.body.contains("&amp;"))
                #expect(mail.body.contains(language == .japanese ? "山田 太郎 様" : "Dear 山田 太郎"))
                let copy = try composer.compose(Notice(kind: kind, recipient: master, holder: holder, certificate: certificate, time: Date()))
                #expect(copy.body.contains("8054") && copy.body.contains(language == .japanese ? "鈴木 花子 様" : "Dear 鈴木 花子"))
            }
        }
        let renewal = try composer.compose(Notice(
            kind: .renewalDue(daysBefore: 10),
            recipient: try User(key: key, name: "山田 太郎", role: .general, email: try EmailAddress("t@example.jp"),
                                passwordHash: "x", createdAt: Date()),
            holder: try User(key: key, name: "山田 太郎", role: .general, email: try EmailAddress("t@example.jp"),
                             passwordHash: "x", createdAt: Date()),
            certificate: certificate, time: Date()))
        #expect(renewal.subject == "【テスト銀行 & Co】電子証明書の更新をお願いします（有効期限まで10日）")
    }

    @Test func bankTemplateOverridesReplaceBundledOnes() async throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.file("ja"), withIntermediateDirectories: true)
        try "{{% CONTENT_TYPE: TEXT}}\n独自件名 {{serial}}\n\n独自本文\n".write(to: folder.file("ja/issued.mustache"), atomically: true, encoding: .utf8)
        let composer = try await NoticeComposer.load(signature: TestCA.signature, overrides: folder.url)
        let user = try User(key: LifecycleTests.owner, name: "山田", role: .master, email: try EmailAddress("t@example.jp"),
                            passwordHash: "x", createdAt: Date())
        let mail = try composer.compose(Notice(kind: .issued, recipient: user, holder: user,
                                               certificate: LifecycleTests.record(serial: "ab"), time: Date()))
        #expect(mail == MailContent(subject: "独自件名 AB", body: "独自本文\n"))
    }

    // MARK: Delivery to a real SMTP server

    /// One master user with a certificate just issued: one "issued" message in the outbox.
    static func outboxWithOneMessage() async throws -> TestCA {
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore())
        let key = try await ca.addUser()
        _ = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t")
        return ca
    }

    /// A general user's certificate just issued: one message to the user, one to the master.
    static func outboxWithHolderAndMaster() async throws -> TestCA {
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore())
        _ = try await ca.addUser(user: "M1")
        let key = try await ca.addUser(user: "8054", role: .general)
        _ = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t")
        return ca
    }

    static func outbox(_ ca: TestCA) async throws -> [OutboxMessage] {
        try await ca.store.read { try await $0.outboxMessages(status: nil, limit: 100) }
    }

    @Test(.enabled(if: !SMTPSink.available))
    func smtpSinkSkipped() {
        print("NOTE: SMTP delivery tests SKIPPED: python3 cannot import aiosmtpd (bash .ci/run installs it).")
    }

    @Test(.enabled(if: SMTPSink.available))
    func deliversJapaneseMailThatARealServerDecodes() async throws {
        let sink = try SMTPSink()
        let ca = try await Self.outboxWithOneMessage()
        let queued = try await Self.outbox(ca)
        #expect(queued.count == 1 && queued[0].status == .pending)

        let report = try await OutboxSender(store: ca.store, settings: sink.settings(), password: nil).deliverDue(at: Date())
        #expect(report == .init(sent: 1, deferred: 0, failed: 0))
        let received = try sink.received()
        try #require(received.count == 1)
        #expect(received[0].subject == queued[0].subject && received[0].subject.hasPrefix("【テスト銀行 & Co】電子証明書を発行しました"))
        #expect(received[0].body.replacingOccurrences(of: "\r\n", with: "\n") == queued[0].body)
        #expect(received[0].rcpt_tos == ["u8054@example.co.jp"] && received[0].mail_from == "noreply@bank.example")
        #expect(received[0].charset == "utf-8" && received[0].transfer_encoding == "base64")
        #expect(received[0].longest_line <= 78)
        #expect(received[0].message_id.contains(queued[0].id))
        let after = try await Self.outbox(ca)
        #expect(after[0].status == .sent && after[0].sentAt != nil)
        // Delivered messages are not delivered again.
        #expect(try await OutboxSender(store: ca.store, settings: sink.settings(), password: nil).deliverDue(at: Date()) == .init())
        #expect(try sink.received().count == 1)
    }

    @Test(.enabled(if: SMTPSink.available))
    func usesStartTLSAndAuthenticates() async throws {
        let sink = try SMTPSink(tls: true, auth: ("shomei", "s3cret-relay"))
        let ca = try await Self.outboxWithOneMessage()
        let report = try await OutboxSender(
            store: ca.store, settings: sink.settings(tls: .requireStartTLS, username: "shomei"), password: "s3cret-relay"
        ).deliverDue(at: Date())
        #expect(report.sent == 1)
        let received = try sink.received()
        #expect(received.count == 1 && received[0].tls && received[0].authenticated)
    }

    @Test(.enabled(if: SMTPSink.available))
    func wrongRelayPasswordKeepsTheMessageQueuedWithItsError() async throws {
        let sink = try SMTPSink(tls: true, auth: ("shomei", "s3cret-relay"))
        let ca = try await Self.outboxWithOneMessage()
        let now = Date()
        let report = try await OutboxSender(
            store: ca.store, settings: sink.settings(username: "shomei"), password: "wrong").deliverDue(at: now)
        let finished = Date()
        #expect(report == .init(sent: 0, deferred: 1, failed: 0))
        let message = try await Self.outbox(ca)[0]
        #expect(message.status == .pending && message.attempts == 1 && message.lastError?.contains("535") == true, "\(message.lastError ?? "")")
        // One minute after the failed try, however long the try took on a loaded machine.
        let retry = message.nextAttemptAt.timeIntervalSinceReferenceDate
        #expect(retry >= now.timeIntervalSinceReferenceDate + 60 && retry <= finished.timeIntervalSinceReferenceDate + 61,
                "one minute after the failed try")
        #expect(try sink.received().isEmpty)
    }

    @Test(.enabled(if: SMTPSink.available))
    func passwordIsNeverSentWithoutTLS() async throws {
        let sink = try SMTPSink(auth: ("shomei", "s3cret-relay"))
        let ca = try await Self.outboxWithOneMessage()
        let report = try await OutboxSender(store: ca.store, settings: sink.settings(username: "shomei"), password: "s3cret-relay")
            .deliverDue(at: Date())
        #expect(report.deferred == 1 && report.sent == 0)
        let message = try await Self.outbox(ca)[0]
        #expect(message.lastError?.contains("never sent in clear") == true && message.status == .pending)
        #expect(try sink.received().isEmpty)
    }

    @Test(.enabled(if: SMTPSink.available))
    func requiredStartTLSIsNotSilentlyDropped() async throws {
        let sink = try SMTPSink()
        let ca = try await Self.outboxWithOneMessage()
        let report = try await OutboxSender(store: ca.store, settings: sink.settings(tls: .requireStartTLS), password: nil)
            .deliverDue(at: Date())
        #expect(report.deferred == 1)
        #expect(try await Self.outbox(ca)[0].lastError == SMTPError.startTLSRequired.description)
        #expect(try sink.received().isEmpty)
    }

    @Test func unreachableRelayLosesNothingAndBacksOff() async throws {
        let ca = try await Self.outboxWithOneMessage()
        // Port 1 (tcpmux): privileged, never an ephemeral port, nothing listens on it here.
        let sender = OutboxSender(store: ca.store, settings: SMTPSettings(host: "127.0.0.1", port: 1, timeoutSeconds: 2),
                                  password: nil)
        let now = Date()
        #expect(try await sender.deliverDue(at: now).deferred == 1)
        let failedBy = Date()
        var message = try await Self.outbox(ca)[0]
        #expect(message.status == .pending && message.attempts == 1)
        #expect(message.lastError?.contains("cannot connect to the SMTP server") == true)
        // One minute after the failed try (which ended between `now` and `failedBy`), not earlier;
        // then tried again and waiting twice as long, never dropped.
        let retry = message.nextAttemptAt
        #expect((now.addingTimeInterval(59.999)...failedBy.addingTimeInterval(60.001)).contains(retry), "\(retry) \(now) \(failedBy)")
        #expect(try await sender.deliverDue(at: retry.addingTimeInterval(-1)) == .init())
        let secondTry = Date()
        #expect(try await sender.deliverDue(at: retry.addingTimeInterval(1)).deferred == 1)
        let secondTook = Date().timeIntervalSince(secondTry)
        message = try await Self.outbox(ca)[0]
        #expect(message.status == .pending && message.attempts == 2)
        let wait = message.nextAttemptAt.timeIntervalSince(retry.addingTimeInterval(1))
        #expect(wait >= 119.999 && wait <= 120 + secondTook + 0.001, "two minutes after the second try: \(wait)")
    }

    @Test(.enabled(if: SMTPSink.available))
    func busyMailboxDefersOnlyItsMessage() async throws {
        let sink = try SMTPSink(defer: ["u8054@example.co.jp"])
        let ca = try await Self.outboxWithHolderAndMaster()
        let report = try await OutboxSender(store: ca.store, settings: sink.settings(), password: nil).deliverDue(at: Date())
        #expect(report == .init(sent: 1, deferred: 1, failed: 0))
        let pending = try await ca.store.read { try await $0.outboxMessages(status: .pending, limit: 10) }
        #expect(pending.map(\.recipient.rawValue) == ["u8054@example.co.jp"] && pending[0].lastError?.contains("452") == true)
    }

    /// A sender whose lease ran out cannot send, mark or fail a message another sender now holds.
    @Test(arguments: TestBackend.available)
    func staleClaimsArePowerless(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let key = try await ca.addUser()
        _ = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t")
        let now = Date().addingTimeInterval(1)
        let first = try await ca.store.write {
            try await $0.claimOutbox(dueAt: now, leaseUntil: now.addingTimeInterval(300), limit: 10, token: "A")
        }
        #expect(first.count == 1)
        #expect(try await ca.store.write {
            try await $0.claimOutbox(dueAt: now.addingTimeInterval(299), leaseUntil: now.addingTimeInterval(600), limit: 10, token: "B")
        }.isEmpty, "held until the lease ends")
        #expect(try await ca.store.write { try await $0.requeueOutbox(id: nil, at: now) } == 0, "retry leaves held mail alone")
        let second = try await ca.store.write {
            try await $0.claimOutbox(dueAt: now.addingTimeInterval(301), leaseUntil: now.addingTimeInterval(601), limit: 10, token: "B")
        }
        #expect(second.map(\.id) == first.map(\.id) && second[0].attempts == 2)
        let id = first[0].id
        #expect(try await ca.store.write { try await $0.renewOutboxClaim(id: id, token: "A", until: now.addingTimeInterval(900)) } == false)
        try await ca.store.write { try await $0.markOutboxSent(id: id, token: "A", at: now) }
        try await ca.store.write { try await $0.markOutboxFailed(id: id, token: "A", error: "stale", retryAt: nil) }
        var message = try await Self.outbox(ca)[0]
        #expect(message.status == .pending && message.lastError == nil)
        try await ca.store.write { try await $0.markOutboxSent(id: id, token: "B", at: now) }
        message = try await Self.outbox(ca)[0]
        #expect(message.status == .sent)
        try await ca.store.write { try await $0.markOutboxFailed(id: id, token: "B", error: "late", retryAt: now) }
        #expect(try await Self.outbox(ca)[0].status == .sent, "a sent message never goes back to pending")
    }

    @Test(.enabled(if: SMTPSink.available))
    func refusedRecipientFailsAloneAndCanBeRetried() async throws {
        let sink = try SMTPSink(reject: ["u8054@example.co.jp"])
        let ca = try await Self.outboxWithHolderAndMaster()
        let sender = OutboxSender(store: ca.store, settings: sink.settings(), password: nil)
        let report = try await sender.deliverDue(at: Date())
        #expect(report == .init(sent: 1, deferred: 0, failed: 1))
        #expect(try sink.received().map(\.rcpt_tos) == [["um1@example.co.jp"]])
        let failed = try await ca.store.read { try await $0.outboxMessages(status: .failed, limit: 10) }
        #expect(failed.count == 1 && failed[0].recipient.rawValue == "u8054@example.co.jp")
        #expect(failed[0].lastError?.contains("550") == true)
        let sent = try await ca.store.read { try await $0.outboxMessages(status: .sent, limit: 10) }
        #expect(try await ca.store.write { try await $0.requeueOutbox(id: sent[0].id, at: Date()) } == 0, "sent mail is never re-queued")
        let requeued = try await ca.store.write { try await $0.requeueOutbox(id: failed[0].id, at: Date()) }
        #expect(requeued == 1)
        #expect(try await ca.store.read { try await $0.outboxMessages(status: .pending, limit: 10) }.count == 1)
    }
}

/// The encoding helpers, reached through the public rendering.
enum InternetMessageProbe {
    static func header(_ subject: String) -> String {
        let rendered = InternetMessage(from: "a@b.jp", to: "c@d.jp", subject: subject, body: "", date: Date(), messageID: "x")
            .rendered
        let start = rendered.range(of: "Subject: ")!.upperBound
        let end = rendered.range(of: "\r\nDate: ")!.lowerBound
        return String(rendered[start..<end])
    }

    /// The bytes of each encoded-word of the subject.
    static func chunks(_ subject: String) -> [[UInt8]] {
        let header = header(subject)
        guard header.hasPrefix("=?UTF-8?B?") else { return [Array(subject.utf8)] }
        return header.components(separatedBy: "\r\n ").map { word in
            Array(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!)
        }
    }
}
