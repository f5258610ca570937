import Foundation
import ShomeiDomain
import ShomeiRA
import ShomeiStorage
import Testing

/// The applications service on both databases: filing 05 and 03, the bank's decisions, the
/// history, and their effects carried out on the next business day, exactly once.
@Suite struct ApplicationDeskTests {
    /// Contract TKYM140: master 山田 太郎 (M1) and general 佐藤 花子 (G1), both holding certificates;
    /// the clock starts on Wednesday 2026-12-30 10:00 JST.
    struct World {
        let ca: TestCA
        let clock = TestClock(ISO8601DateFormatter().date(from: "2026-12-30T10:00:00+09:00")!)
        let desk: ApplicationDesk
        let master: User
        let general: User
        let staff = ApplicationActor(side: .bank, id: "op1", name: "IT統括部 1")

        init(_ backend: TestBackend) async throws {
            ca = try await TestCA(store: try await backend.makeStore(), clock: clock.read)
            let masterKey = try await ca.addUser(user: "M1", role: .master, name: "山田 太郎")
            let generalKey = try await ca.addUser(user: "G1", role: .general, name: "佐藤 花子")
            for key in [masterKey, generalKey] {
                _ = try await ca.registration.issueCertificate(
                    for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t")
            }
            master = try #require(try await ca.store.read { try await $0.user(masterKey) })
            general = try #require(try await ca.store.read { try await $0.user(generalKey) })
            desk = ApplicationDesk(registration: ca.registration, forms: try ApplicationFormFiles.load(bankFolder: nil),
                                   calendar: BankCalendar(), clock: clock.read)
        }

        func answers(_ rows: [(String, Role)]) -> [String: String] {
            var answers = ApplicationDomainTests.validAnswers
            answers["targetUsers.1.name"] = nil
            answers["targetUsers.1.role"] = nil
            for (index, row) in rows.enumerated() {
                answers["targetUsers.\(index + 1).name"] = row.0
                answers["targetUsers.\(index + 1).role"] = row.1.rawValue
            }
            return answers
        }

        func validCertificate(_ user: User) async throws -> CertificateRecord? {
            try await ca.store.read { try await $0.validCertificate(of: user.key) }
        }
    }

    @Test(arguments: TestBackend.available)
    func draftSubmitReturnResubmitAcceptRevokeOnTheNextBusinessDay(_ backend: TestBackend) async throws {
        let world = try await World(backend)
        let desk = world.desk
        // 一時保存 keeps incomplete answers as a draft; 提出 checks them.
        let draft = try await desk.saveDraft(form: "05", answers: ["department": "経理部"], id: nil, by: world.master)
        #expect(draft.status == .draft)
        await #expect(throws: ShomeiError.self) { _ = try await desk.submit(form: "05", answers: ["department": "経理部"], id: draft.id, by: world.master) }
        // A row that names nobody, the wrong authority, or a duplicate is reported by row.
        let wrongRows = world.answers([("佐藤 花子", .master), ("誰か", .general), ("山田 太郎", .master), ("山田 太郎", .master)])
        do {
            _ = try await desk.submit(form: "05", answers: wrongRows, id: draft.id, by: world.master)
            Issue.record("refused rows were accepted")
        } catch ShomeiError.applicationInvalid(let problems) {
            #expect(problems == [
                FieldProblem("targetUsers", row: 1, .authorityMismatch), FieldProblem("targetUsers", row: 2, .userNotFound),
                FieldProblem("targetUsers", row: 4, .duplicateUser),
            ])
        }
        #expect(try await world.ca.store.read { try await $0.application(id: draft.id) }?.status == .draft, "a refused submit writes nothing")
        // A general user may not file.
        await #expect(throws: ShomeiError.self) { _ = try await desk.saveDraft(form: "05", answers: [:], id: nil, by: world.general) }

        let submitted = try await desk.submit(form: "05", answers: world.answers([("佐藤 花子", .general)]), id: draft.id, by: world.master)
        #expect(submitted.status == .submitted && submitted.targets == [world.general.key])
        await #expect(throws: ShomeiError.bankCommentRequired) { _ = try await desk.requestResubmission(id: submitted.id, by: world.staff, comment: " ") }
        let returned = try await desk.requestResubmission(id: submitted.id, by: world.staff, comment: "電話番号をご確認ください")
        #expect(returned.status == .resubmissionRequired && returned.bankComment == "電話番号をご確認ください")
        let resubmitted = try await desk.submit(form: "05", answers: world.answers([("佐藤 花子", .general)]), id: draft.id, by: world.master)
        #expect(resubmitted.status == .resubmitted)
        let accepted = try await desk.accept(id: draft.id, by: world.staff, comment: "受け付けました")
        #expect(accepted.status == .accepted)
        // Accepted on Wednesday 30 December: due at the start of Monday 4 January.
        #expect(accepted.effectiveAt == ISO8601DateFormatter().date(from: "2027-01-04T00:00:00+09:00"))
        await #expect(throws: ShomeiError.applicationActionNotAllowed(.withdraw, .accepted)) { _ = try await desk.withdraw(id: draft.id, by: world.master) }

        // Nothing happens before it is due; at the time, once.
        world.clock.advance(4 * 86_400)
        #expect(try await desk.runDueApplications().isEmpty)
        #expect(try await world.validCertificate(world.general) != nil)
        world.clock.advance(14 * 3600 + 1)
        let doneNow = try await desk.runDueApplications()
        #expect(doneNow.map(\.id) == [draft.id])
        #expect(try await world.validCertificate(world.general) == nil)
        #expect(try await world.validCertificate(world.master) != nil, "only the listed user's certificate")
        #expect(try await desk.runDueApplications().isEmpty, "exactly once")
        let revoked = try await world.ca.store.read { try await $0.certificates(ofUser: world.general.key) }.first
        #expect(revoked?.revocation?.reason == .cessationOfOperation)

        // The history has every status change with who, when and the comment.
        let history = try await world.ca.store.read { try await $0.applicationHistory(id: draft.id) }
        #expect(history.map(\.after) == [.draft, .submitted, .resubmissionRequired, .resubmitted, .accepted])
        #expect(history.map(\.before) == [nil, .draft, .submitted, .resubmissionRequired, .resubmitted])
        #expect(history[2].actor == world.staff && history[2].comment == "電話番号をご確認ください")
        #expect(history[1].actor.name == "山田 太郎" && history[1].actor.side == .customer)
        // The customer and the masters are mailed about the revocation; every step is audited.
        let mail = try await world.ca.store.read { try await $0.outboxMessages(status: nil, limit: 100) }
        #expect(mail.contains { $0.subject.contains("失効") })
        let audit = try await world.ca.store.read { try await $0.auditEvents(after: 0, limit: 1000) }.map(\.action)
        #expect(audit.filter { $0.rawValue.hasPrefix("application.") }
            == [.applicationSaved, .applicationSubmitted, .applicationReturned, .applicationSubmitted, .applicationAccepted, .applicationRevocationsDone])
        try await world.ca.store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func otherContractsWithdrawalAndTwoNodes(_ backend: TestBackend) async throws {
        let world = try await World(backend)
        let answers = world.answers([("佐藤 花子", .general)])
        let first = try await world.desk.submit(form: "05", answers: answers, id: nil, by: world.master)
        // Another contract's master cannot see or touch it.
        let strangerKey = try await world.ca.addUser(contract: "OTHER1", user: "X1", role: .master, name: "他社 太郎")
        let stranger = try #require(try await world.ca.store.read { try await $0.user(strangerKey) })
        await #expect(throws: ShomeiError.applicationNotFound(first.id)) { _ = try await world.desk.withdraw(id: first.id, by: stranger) }
        #expect(try await world.ca.store.read { try await $0.applications(of: strangerKey.contractID, form: "05") }.isEmpty)
        // Withdrawn before the bank decides: final.
        let withdrawn = try await world.desk.withdraw(id: first.id, by: world.master)
        #expect(withdrawn.status == .withdrawn)
        await #expect(throws: ShomeiError.applicationActionNotAllowed(.accept, .withdrawn)) { _ = try await world.desk.accept(id: first.id, by: world.staff, comment: nil) }
        // Unavailable types are refused.
        await #expect(throws: ShomeiError.applicationTypeUnavailable("01")) { _ = try await world.desk.saveDraft(form: "01", answers: [:], id: nil, by: world.master) }

        // Two desks (two nodes) run the due job at once: the certificate is revoked once.
        let second = try await world.desk.submit(form: "05", answers: answers, id: nil, by: world.master)
        _ = try await world.desk.accept(id: second.id, by: world.staff, comment: nil)
        world.clock.advance(6 * 86_400)
        let other = ApplicationDesk(registration: world.ca.registration, forms: world.desk.forms, calendar: BankCalendar(), clock: world.clock.read)
        async let a = world.desk.runDueApplications()
        async let b = other.runDueApplications()
        let (doneA, doneB) = try await (a, b)
        #expect(doneA.count + doneB.count == 1)
        let revocations = try await world.ca.store.read { try await $0.auditEvents(after: 0, limit: 1000) }
            .filter { $0.action == .certificateRevoked && $0.actor.hasPrefix("application:") }
        #expect(revocations.count == 1)
        #expect(try await world.ca.store.read { try await $0.applications(matching: ApplicationFilter(status: .accepted, form: "05"), limit: 10) }.map(\.application.id) == [second.id])
        try await world.ca.store.shutdown()
    }
}

extension ApplicationDeskTests {
    static let methodAnswers = [
        "allUsersConfirmed": "yes", "effectiveConfirmed": "yes", "loginMethod": "password",
        "department": "経理部", "person": "山田　太郎", "phone": "0312345678",
    ]

    /// 03_本人確認方式の変更: only a master files it, for the method the contract does not use
    /// yet; on the business day after 受付済 the contract logs in the new way and every user who
    /// is not deleted is mailed once, saying whether they still need a certificate.
    @Test(arguments: TestBackend.available)
    func loginMethodChangeTakesEffectOnTheNextBusinessDayAndMailsEveryUser(_ backend: TestBackend) async throws {
        let world = try await World(backend)
        let desk = world.desk
        let contract = world.master.key.contractID
        let adminKey = try await world.ca.addUser(user: "A1", role: .admin, name: "管理 一郎")
        let admin = try #require(try await world.ca.store.read { try await $0.user(adminKey) })
        await #expect(throws: ShomeiError.applicationActionNotAllowed(.submit, nil)) {
            _ = try await desk.submit(form: "03", answers: Self.methodAnswers, id: nil, by: admin)
        }
        // The contract already logs in with certificates: asking for them again is refused.
        var same = Self.methodAnswers
        same["loginMethod"] = "certificate"
        await #expect(throws: ShomeiError.applicationInvalid([FieldProblem("loginMethod", .loginMethodUnchanged)])) {
            _ = try await desk.submit(form: "03", answers: same, id: nil, by: world.master)
        }
        var unconfirmed = Self.methodAnswers
        unconfirmed["allUsersConfirmed"] = nil
        await #expect(throws: ShomeiError.applicationInvalid([FieldProblem("allUsersConfirmed", .notConfirmed)])) {
            _ = try await desk.submit(form: "03", answers: unconfirmed, id: nil, by: world.master)
        }
        let submitted = try await desk.submit(form: "03", answers: Self.methodAnswers, id: nil, by: world.master)
        let accepted = try await desk.accept(id: submitted.id, by: world.staff, comment: nil)
        #expect(accepted.effectiveAt == ISO8601DateFormatter().date(from: "2027-01-04T00:00:00+09:00"))

        world.clock.advance(4 * 86_400)
        #expect(try await desk.runDueApplications().isEmpty)
        #expect(try await world.ca.store.read { try await $0.contract(contract) }?.loginMethod == .certificate)
        world.clock.advance(14 * 3600 + 1)
        #expect(try await desk.runDueApplications().map(\.id) == [submitted.id])
        #expect(try await desk.runDueApplications().isEmpty, "exactly once")
        #expect(try await world.ca.store.read { try await $0.contract(contract) }?.loginMethod == .password)
        #expect(try await world.validCertificate(world.general) != nil, "certificates are left valid")

        let mail = try await world.ca.store.read { try await $0.outboxMessages(status: nil, limit: 100) }
            .filter { $0.subject.contains("本人確認方式") }
        #expect(Set(mail.map(\.recipient)) == Set([world.master, world.general, admin].map(\.email)) && mail.count == 3)
        #expect(mail.allSatisfy { $0.body.contains("ID・パスワード方式") && $0.body.contains("電子証明書は不要") })
        let audit = try await world.ca.store.read { try await $0.auditEvents(after: 0, limit: 1000) }
            .filter { $0.action == .contractLoginMethodChanged }
        #expect(audit.map(\.actor) == ["application:\(submitted.id)"] && audit.first?.details["to"] == "password")

        // Back to certificates: the user without one is told to obtain it, the holders are not.
        let back = try await desk.submit(form: "03", answers: same, id: nil, by: world.master)
        _ = try await desk.accept(id: back.id, by: world.staff, comment: nil)
        world.clock.advance(86_400)
        #expect(try await desk.runDueApplications().map(\.id) == [back.id])
        let told = try await world.ca.store.read { try await $0.outboxMessages(status: nil, limit: 100) }
            .filter { $0.subject.contains("本人確認方式") && $0.body.contains("「電子証明書方式」") }
        #expect(told.count == 3)
        #expect(told.filter { $0.body.contains("電子証明書発行") }.map(\.recipient) == [admin.email])
        try await world.ca.store.shutdown()
    }

    /// What an accepted application does is fixed at 受付済: a bank that afterwards removes 05's
    /// file and makes 03 manual changes nothing already accepted (a revocation is never dropped).
    @Test func anAcceptedApplicationDoesWhatItsFormSaidAtAcceptance() async throws {
        let world = try await World(.sqlite)
        let revocation = try await world.desk.submit(form: "05", answers: world.answers([("佐藤 花子", .general)]), id: nil, by: world.master)
        _ = try await world.desk.accept(id: revocation.id, by: world.staff, comment: nil)
        let method = try await world.desk.submit(form: "03", answers: Self.methodAnswers, id: nil, by: world.master)
        world.clock.advance(60)
        #expect(try await world.desk.accept(id: method.id, by: world.staff, comment: nil).effect == .changeLoginMethod)
        world.clock.advance(6 * 86_400)
        let edited = try FormCatalog(world.desk.forms.all.compactMap { form in
            form.id == "05" ? nil : (source: "test", form: form.id != "03" ? form : FormDefinition(
                id: form.id, title: form.title, available: form.available, fileableBy: form.fileableBy, effect: .manual, sections: form.sections))
        })
        let desk = ApplicationDesk(registration: world.ca.registration, forms: edited, calendar: BankCalendar(), clock: world.clock.read)
        #expect(Set(try await desk.runDueApplications().map(\.id)) == [revocation.id, method.id], "both due at the same business-day start")
        #expect(try await world.validCertificate(world.general) == nil)
        #expect(try await world.ca.store.read { try await $0.contract(world.master.key.contractID) }?.loginMethod == .password)
        try await world.ca.store.shutdown()
    }

    /// 受付済 of a 03 checks the contract again: not while another accepted 03 of it is still due,
    /// and not once the contract already logs in the asked way; the bank returns it instead.
    @Test(arguments: TestBackend.available)
    func a03ThatNoLongerAppliesCannotBeAccepted(_ backend: TestBackend) async throws {
        let world = try await World(backend)
        let first = try await world.desk.submit(form: "03", answers: Self.methodAnswers, id: nil, by: world.master)
        let second = try await world.desk.submit(form: "03", answers: Self.methodAnswers, id: nil, by: world.master)
        _ = try await world.desk.accept(id: first.id, by: world.staff, comment: nil)
        await #expect(throws: ShomeiError.loginMethodChangePending(applicationID: first.id)) {
            _ = try await world.desk.accept(id: second.id, by: world.staff, comment: nil)
        }
        world.clock.advance(6 * 86_400)
        #expect(try await world.desk.runDueApplications().map(\.id) == [first.id])
        await #expect(throws: ShomeiError.loginMethodAlreadyInUse(.password)) {
            _ = try await world.desk.accept(id: second.id, by: world.staff, comment: nil)
        }
        let unchanged = try #require(try await world.ca.store.read { try await $0.application(id: second.id) })
        #expect(unchanged.status == .submitted && unchanged.effect == nil && unchanged.effectiveAt == nil, "nothing written")
        let returned = try await world.desk.requestResubmission(id: second.id, by: world.staff, comment: "すでにID・パスワード方式です。")
        #expect(returned.status == .resubmissionRequired)
        try await world.ca.store.shutdown()
    }

    /// Two 03s of one contract accepted at the same moment by two staff: one is accepted, the
    /// other refused, on PostgreSQL too (its row locks, not a write lock, keep the two apart).
    @Test(arguments: TestBackend.available)
    func two03sAcceptedAtOnceAreDecidedOneAfterTheOther(_ backend: TestBackend) async throws {
        let world = try await World(backend)
        for round in 0..<8 {
            // The contract starts on certificates; each round's accepted 03 switches it over.
            var answers = Self.methodAnswers
            answers["loginMethod"] = round.isMultiple(of: 2) ? "password" : "certificate"
            let first = try await world.desk.submit(form: "03", answers: answers, id: nil, by: world.master)
            let second = try await world.desk.submit(form: "03", answers: answers, id: nil, by: world.master)
            func accept(_ id: String) async -> Result<Application, any Error> {
                do { return .success(try await world.desk.accept(id: id, by: world.staff, comment: nil)) } catch { return .failure(error) }
            }
            async let a = accept(first.id)
            async let b = accept(second.id)
            let outcomes = await [a, b]
            let accepted = outcomes.compactMap { try? $0.get() }
            try #require(accepted.count == 1, "round \(round): \(outcomes)")
            let refused = outcomes.compactMap { outcome -> ShomeiError? in
                if case .failure(let error) = outcome { return error as? ShomeiError } else { return nil }
            }
            #expect(refused == [.loginMethodChangePending(applicationID: accepted[0].id)], "round \(round): \(outcomes)")
            let other = accepted[0].id == first.id ? second.id : first.id
            _ = try await world.desk.requestResubmission(id: other, by: world.staff, comment: "同時に受け付けた別の申込があります。")
            world.clock.advance(6 * 86_400)
            #expect(try await world.desk.runDueApplications().map(\.id) == [accepted[0].id])
        }
        try await world.ca.store.shutdown()
    }
}

/// The console's queries with and without each filter, on both databases (a NULL parameter must
/// mean "no filter" in both dialects).
@Suite struct ConsoleQueryTests {
    @Test(arguments: TestBackend.available)
    func searchAuditAndInboxFilters(_ backend: TestBackend) async throws {
        let world = try await ApplicationDeskTests.World(backend)
        let store = world.ca.store
        let now = world.clock.read()
        let all = try await store.read { try await $0.searchCertificates(CertificateSearch(), at: now, limit: 100) }
        #expect(all.count == 2)
        let general = try await store.read { try await $0.searchCertificates(CertificateSearch(user: world.general.key.userID), at: now, limit: 100) }
        #expect(general.map(\.record.owner) == [world.general.key])
        let bySerial = try await store.read { try await $0.searchCertificates(CertificateSearch(serial: all[0].record.serial), at: now, limit: 100) }
        #expect(bySerial.map(\.record.serial) == [all[0].record.serial])
        let expiringSoon = try await store.read { try await $0.searchCertificates(CertificateSearch(expiringWithinDays: 30), at: now, limit: 100) }
        let expiringInAYear = try await store.read { try await $0.searchCertificates(CertificateSearch(expiringWithinDays: 366), at: now, limit: 100) }
        #expect(expiringSoon.isEmpty && expiringInAYear.count == 2)
        #expect(try await store.read { try await $0.searchCertificates(CertificateSearch(status: .revoked), at: now, limit: 100) }.isEmpty)
        // By part of a name: the holder's (Japanese, as staff hear it) or the contract's; LIKE's own
        // wildcards in the input match only themselves.
        func named(_ text: String) async throws -> [UserKey] {
            try await store.read { try await $0.searchCertificates(CertificateSearch(name: text), at: now, limit: 100) }.map(\.record.owner)
        }
        #expect(try await named("花子") == [world.general.key])
        #expect(try await Set(named("テスト")) == [world.general.key, world.master.key])
        let wildcards = (try await named("%"), try await named("_"), try await named("佐藤%"))
        #expect(wildcards.0.isEmpty && wildcards.1.isEmpty && wildcards.2.isEmpty)

        let newest = try await store.read { try await $0.auditEvents(action: nil, target: nil, before: nil, limit: 5) }
        #expect(newest.count == 5 && newest.map(\.sequence) == newest.map(\.sequence).sorted(by: >))
        let issued = try await store.read { try await $0.auditEvents(action: .certificateIssued, target: nil, before: nil, limit: 100) }
        #expect(issued.count == 2)
        let one = try await store.read { try await $0.auditEvents(action: nil, target: "certificate:\(all[0].record.serial)", before: nil, limit: 100) }
        #expect(!one.isEmpty && one.allSatisfy { $0.target == "certificate:\(all[0].record.serial)" })
        let older = try await store.read { try await $0.auditEvents(action: nil, target: nil, before: newest.last!.sequence, limit: 100) }
        #expect(older.allSatisfy { $0.sequence < newest.last!.sequence })

        _ = try await world.desk.submit(form: "05", answers: world.answers([("佐藤 花子", .general)]), id: nil, by: world.master)
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(), limit: 10) }.count == 1)
        let today = CivilDate.tokyo(world.clock.read())
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(form: "05", from: today, through: today), limit: 10) }.count == 1)
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(from: today.adding(days: 1)), limit: 10) }.isEmpty)
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(through: today.adding(days: -1)), limit: 10) }.isEmpty)
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(form: "01"), limit: 10) }.isEmpty)
        _ = try await world.desk.saveDraft(form: "05", answers: [:], id: nil, by: world.master)
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(), limit: 10) }.count == 1, "drafts stay the customer's")
        #expect(try await store.read { try await $0.applications(matching: ApplicationFilter(includeDrafts: true), limit: 10) }.count == 2)
        // Paging: three more drafts, read two at a time after the last row of each page, give every
        // application once, newest first, whatever their times tie on.
        for _ in 0..<3 { _ = try await world.desk.saveDraft(form: "05", answers: [:], id: nil, by: world.master) }
        let everything = try await store.read { try await $0.applications(matching: ApplicationFilter(includeDrafts: true), limit: 10) }.map(\.application)
        var paged: [Application] = []
        var filter = ApplicationFilter(includeDrafts: true)
        while true {
            let page = try await store.read { [filter] in try await $0.applications(matching: filter, limit: 2) }.map(\.application)
            paged += page
            guard page.count == 2, let last = page.last else { break }
            filter.after = ApplicationCursor(String(describing: ApplicationCursor(after: last)))
        }
        #expect(everything.count == 5 && paged.map(\.id) == everything.map(\.id))
        #expect(ApplicationCursor("x.y") == nil && ApplicationCursor("12.") == nil && ApplicationCursor("12.a.b")?.id == "a.b")
        #expect(try await store.read { try await $0.applications(of: world.master.key.contractID, form: nil) }.count == 5, "the customer sees its drafts")
        #expect(try await store.read { try await $0.directActions(status: nil, limit: 10) }.isEmpty)
        try await store.shutdown()
    }
}
