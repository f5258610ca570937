import Foundation
import ShomeiDomain
import ShomeiRA
import ShomeiStorage
import Testing

/// Every 管理 action at the RA, on both databases (issue #17): what it changes, what it refuses
/// before the 確認用パスワード is counted, the stale-form stamp, the forced password change, and
/// the notice to the target and the masters with who, what and from where.
@Suite struct AdministrationActionTests {
    static let confirm = "confirm-pass-2026"

    struct Contract {
        let ca: TestCA
        let master: User
        let general: UserKey

        var ra: RegistrationAuthority { ca.registration }

        init(_ backend: TestBackend) async throws {
            ca = try await TestCA(store: try await backend.makeStore())
            _ = try await ca.registration.addContract(id: try ContractID("TKYM140"), name: "株式会社テスト", loginMethod: .password, actor: "t")
            let masterKey = try await ca.addUser(user: "M1", role: .master, name: "山田 太郎")
            general = try await ca.addUser(user: "G1", role: .general, name: "佐藤 花子")
            _ = try await ca.registration.setConfirmationPassword(AdministrationActionTests.confirm, for: masterKey, actor: "operator:t")
            master = try #require(try await ca.store.read { try await $0.user(masterKey) })
        }

        func user(_ key: UserKey) async throws -> User? { try await ca.store.read { try await $0.user(key) } }

        func key(_ id: String) throws -> UserKey { UserKey(contractID: master.key.contractID, userID: try UserID(id)) }

        /// The action by the master, from 192.0.2.7, with the right 確認用パスワード.
        @discardableResult
        func administer(_ order: AdministrationOrder, on target: UserKey, by actor: User? = nil,
                        password: String = AdministrationActionTests.confirm,
                        stamp: String? = nil) async throws -> AdministrationResult {
            var shown = stamp
            if shown == nil { shown = try await self.stamp(of: target) }
            return try await RequestOrigin.$clientAddress.withValue("192.0.2.7") {
                try await ra.administer(order, on: target, by: actor ?? master, confirmationPassword: password, stamp: shown)
            }
        }

        /// The stamp of the user as a confirmation page would show them now ("" when there is none).
        func stamp(of key: UserKey) async throws -> String {
            guard let (user, status) = try await ra.administeredUser(key, by: master) else { return "" }
            return RegistrationAuthority.administrationStamp(of: user, certificate: status.certificate)
        }

        func tries(of key: UserKey) async throws -> Int? {
            try await ca.store.read { try await $0.confirmationPassword(of: key) }?.failedAttempts
        }

        func mails(to address: String) async throws -> [OutboxMessage] {
            try await ca.store.read { try await $0.outboxMessages(status: nil, limit: 500) }.filter { $0.recipient.rawValue == address }
        }
    }

    @Test(arguments: TestBackend.available)
    func registerChangeStopResumeResetReissueAndDelete(_ backend: TestBackend) async throws {
        let c = try await Contract(backend)
        let g2 = try c.key("G2")

        // 利用者登録 with a typed initial password: changed at the first login; nothing shown back.
        let registered = try await c.administer(
            .register(NewUser(key: g2, name: "鈴木 一郎", role: .general, email: try EmailAddress("g2@example.jp"), password: "initial-pass-2026")),
            on: g2)
        #expect(registered.target.passwordChangeRequired && registered.loginPassword == nil && registered.confirmationPassword == nil)
        #expect(try await c.user(g2)?.lastLoginAt == nil)
        let admitted = try await c.ra.logIn(user: g2, password: "initial-pass-2026")
        #expect(admitted.user.passwordChangeRequired)
        #expect(try await c.user(g2)?.lastLoginAt.map { abs($0.timeIntervalSinceNow) < 60 } == true, "最終ログイン recorded")
        await #expect(throws: ShomeiError.passwordUnchanged) {
            try await c.ra.changeLoginPassword(of: g2, current: "initial-pass-2026", new: "initial-pass-2026")
        }
        try await c.ra.changeLoginPassword(of: g2, current: "initial-pass-2026", new: "my-own-pass-2026")
        #expect(try await c.user(g2)?.passwordChangeRequired == false)

        // A duplicate ID is refused before the 確認用パスワード is even counted.
        await #expect(throws: ShomeiError.userExists(g2)) {
            try await c.administer(.register(NewUser(key: g2, name: "x", role: .general, email: try EmailAddress("x@example.jp"))),
                                   on: g2, password: "wrong")
        }
        #expect(try await c.tries(of: c.master.key) == 0)

        // 利用者情報変更 on a stale page: refused, nothing changed, the right password not counted.
        let before = try #require(try await c.user(g2))
        let stamp = RegistrationAuthority.administrationStamp(of: before, certificate: nil)
        _ = try await c.ra.changeUser(g2, .init(email: try EmailAddress("changed-meanwhile@example.jp")), actor: "operator:t")
        await #expect(throws: ShomeiError.administrationFormStale) {
            try await c.administer(.change(.init(name: "鈴木 次郎")), on: g2, stamp: stamp)
        }
        #expect(try await c.user(g2)?.name == "鈴木 一郎")
        #expect(try await c.tries(of: c.master.key) == 0)
        let fresh = RegistrationAuthority.administrationStamp(of: try #require(try await c.user(g2)), certificate: nil)
        #expect(try await c.administer(.change(.init(name: "鈴木 次郎")), on: g2, stamp: fresh).target.name == "鈴木 次郎")

        // 利用停止 → the user cannot log in; 停止解除 → they can.
        try await c.administer(.stop, on: c.general)
        await #expect(throws: ShomeiError.userDisabled(c.general)) { _ = try await c.ra.logIn(user: c.general, password: TestCA.password) }
        await #expect(throws: ShomeiError.userDisabled(c.general)) { try await c.administer(.stop, on: c.general) }
        try await c.administer(.resume, on: c.general)
        #expect(try await c.user(c.general)?.status == .active)

        // Stopped while locked, then resumed: a fresh count, so the user can log in again.
        for _ in 0..<5 { _ = try? await c.ra.logIn(user: c.general, password: "wrong-password") }
        try await c.administer(.stop, on: c.general)
        try await c.administer(.resume, on: c.general)
        #expect(try await c.ra.logIn(user: c.general, password: TestCA.password).user.key == c.general)

        // ロック解除 after wrong passwords; ログインパスワード初期化 gives a temporary one.
        for _ in 0..<5 { _ = try? await c.ra.logIn(user: c.general, password: "wrong-password") }
        #expect(try await c.user(c.general)?.status == .locked)
        try await c.administer(.unlock, on: c.general)
        #expect(try await c.user(c.general)?.status == .active)
        let reset = try await c.administer(.resetLoginPassword, on: c.general)
        let temporary = try #require(reset.loginPassword)
        #expect(temporary.count == 16 && reset.target.passwordChangeRequired)
        #expect(try await c.ra.logIn(user: c.general, password: temporary).user.passwordChangeRequired)

        // 証明書再発行 with a valid certificate: that one is revoked (superseded), a code made for a day.
        let issued = try await c.ra.issueCertificate(for: c.general, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()),
                                                     medium: .pc, actor: "t")
        let reissued = try await c.administer(.reissueCertificate, on: c.general)
        #expect(reissued.revoked?.serial == issued.record.serial && reissued.revoked?.revocation?.reason == .superseded)
        let code = try #require(reissued.activationCode)
        #expect(code.code.count == c.ra.activationCodePolicy.digits && abs(code.expiresAt.timeIntervalSinceNow - 86_400) < 120)
        // The console's history of that certificate shows the re-issue by the master (not the
        // actions on its holder before it was issued).
        let history = try await ConsoleQueries(store: c.ca.store).certificateHistory(serial: issued.record.serial, limit: 50).events
        #expect(history.filter { $0.action == .userAdministered }.map { $0.details["action"] } == ["reissueCertificate"])
        #expect(history.contains { $0.action == .certificateRevoked && $0.actor == "user:\(c.master.key)" })

        // 利用者削除: gone from the list, and its ID reads at login like one that never existed.
        try await c.administer(.delete, on: g2)
        #expect(try await c.user(g2)?.status == .deleted)
        await #expect(throws: ShomeiError.formFieldMissing("stamp")) {
            _ = try await c.ra.administer(.stop, on: c.general, by: c.master, confirmationPassword: AdministrationActionTests.confirm, stamp: nil)
        }
        await #expect(throws: ShomeiError.nothingChanged) { try await c.administer(.change(.init()), on: c.general) }
        #expect(try await !c.ra.administeredUsers(by: c.master).users.contains { $0.user.key == g2 })
        await #expect(throws: ShomeiError.passwordWrong(remainingAttempts: 4)) { _ = try await c.ra.logIn(user: g2, password: "my-own-pass-2026") }
        await #expect(throws: ShomeiError.userNotFound(g2)) { try await c.administer(.resume, on: g2) }

        // Every action: one user.administered entry, with who and from where, and one notice to
        // the target and one to the master.
        let entries = try await c.ca.store.read { try await $0.auditEvents(action: .userAdministered, target: nil, before: nil, limit: 50) }
        #expect(entries.count == 10 && entries.allSatisfy { $0.actor == "user:\(c.master.key)" && $0.details["ip"] == "192.0.2.7" })
        let toMaster = try await c.mails(to: c.master.email.rawValue).filter { $0.subject.contains("利用者管理の操作") }
        #expect(toMaster.count == 10)
        let toGeneral = try await c.mails(to: "u\(c.general.userID.rawValue.lowercased())@example.co.jp")
            .filter { $0.subject.contains("利用者管理の操作") }
        #expect(toGeneral.count == 7, "stop, resume, stop, resume, unlock, reset, reissue")
        let reissueMail = try #require(toGeneral.first { $0.subject.contains("証明書再発行") })
        #expect(reissueMail.body.contains("山田 太郎") && reissueMail.body.contains("192.0.2.7") && reissueMail.body.contains(issued.record.serial.uppercased()))
    }

    @Test(arguments: TestBackend.available)
    func anAdministratorActsOnGeneralUsersOnlyAndAWrongPasswordIsCounted(_ backend: TestBackend) async throws {
        let c = try await Contract(backend)
        let a1 = try c.key("A1")
        let made = try await c.administer(
            .register(NewUser(key: a1, name: "管理 一郎", role: .admin, email: try EmailAddress("a1@example.jp"))), on: a1)
        let initial = try #require(made.loginPassword)
        let confirmation = try #require(made.confirmationPassword, "a new 管理者 gets a 確認用パスワード")
        let admin = try #require(try await c.user(a1))

        await #expect(throws: ShomeiError.administrationRefused(.outranked)) {
            try await c.administer(.resetLoginPassword, on: c.master.key, by: admin, password: confirmation)
        }
        await #expect(throws: ShomeiError.administrationRefused(.ownAccount)) {
            try await c.administer(.reissueCertificate, on: a1, by: admin, password: confirmation)
        }
        await #expect(throws: ShomeiError.administrationRefused(.outranked)) {
            try await c.administer(.change(.init(role: .admin)), on: c.general, by: admin, password: confirmation)
        }
        #expect(try await c.tries(of: a1) == 0, "refusals by the rule count nothing")

        await #expect(throws: ShomeiError.confirmationPasswordWrong(remainingAttempts: 4)) {
            try await c.administer(.stop, on: c.general, by: admin, password: "not-it-at-all")
        }
        #expect(try await c.tries(of: a1) == 1, "counted")
        #expect(try await c.user(c.general)?.status == .active, "nothing written")
        await #expect(throws: ShomeiError.confirmationPasswordSameAsLogin) {
            try await c.ra.changeConfirmationPassword(of: a1, current: confirmation, new: initial)
        }
        try await c.ra.changeConfirmationPassword(of: a1, current: confirmation, new: "admins-own-2026")
        try await c.administer(.stop, on: c.general, by: admin, password: "admins-own-2026")
        #expect(try await c.user(c.general)?.status == .disabled)
        let audit = try await c.ca.store.read { try await $0.auditEvents(action: .confirmationPasswordChanged, target: nil, before: nil, limit: 5) }
        #expect(audit.map(\.actor) == ["user:\(a1)"])

        // The masters' 重要なお知らせ list the contract's re-issues and revocations; the target's its own actions.
        try await c.administer(.resume, on: c.general, by: admin, password: "admins-own-2026")
        try await c.administer(.reissueCertificate, on: c.general, by: admin, password: "admins-own-2026")
        let queries = PortalQueries(store: c.ca.store)
        let forMaster = try await queries.administrationNotices(for: c.master)
        #expect(forMaster.map(\.action) == [.reissueCertificate] && forMaster.first?.actorName == "管理 一郎")
        let forGeneral = try await queries.administrationNotices(for: try #require(try await c.user(c.general)))
        #expect(forGeneral.map(\.action) == [.reissueCertificate, .resumeUser, .stopUser] && forGeneral.first?.address == "192.0.2.7")
        #expect(try await queries.administrationNotices(for: admin).map(\.action) == [.registerUser])

        // Demoted to 一般 by the master: its 確認用パスワード is gone with the role.
        try await c.administer(.change(.init(role: .general)), on: a1)
        #expect(try await c.ca.store.read { try await $0.confirmationPassword(of: a1) } == nil)
    }
}
