import Foundation
import ShomeiDomain
import ShomeiStorage

/// The applications service (各種申込サービス, SPEC §5): customers draft, submit, resubmit and
/// withdraw applications; bank staff accept them or send them back; an accepted application
/// whose form has an effect (05 revokes, 03 changes the login method) is carried out on the next
/// bank business day, exactly once.
///
/// Every method is one store transaction that changes the application, appends its history
/// line and its audit entry together; the state machine (`ApplicationWorkflow`) decides what is
/// allowed, the form definition what is valid.
public struct ApplicationDesk: Sendable {
    let registration: RegistrationAuthority
    /// The forms offered (`ApplicationFormFiles`): who may file what, and what each one does.
    public let forms: FormCatalog
    public let calendar: BankCalendar
    let clock: @Sendable () -> Date

    public init(
        registration: RegistrationAuthority, forms: FormCatalog, calendar: BankCalendar, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.registration = registration
        self.forms = forms
        self.calendar = calendar
        self.clock = clock
    }

    var store: any Store { registration.store }

    // MARK: Customer

    /// 一時保存: a new draft, or new answers for the user's editable application `id`.
    public func saveDraft(form formID: String, answers: [String: String], id: String?, by user: User) async throws -> Application {
        try await file(.saveDraft, form: formID, answers: answers, id: id, by: user)
    }

    /// 提出 → 確定: the answers must pass the form's rules and what its effect needs of the
    /// contract (`checkAgainstContract`); otherwise every problem is reported
    /// (`applicationInvalid`) and nothing is written.
    public func submit(form formID: String, answers: [String: String], id: String?, by user: User) async throws -> Application {
        try await file(.submit, form: formID, answers: answers, id: id, by: user)
    }

    /// 提出's first step (回答内容確認 is shown only for answers that would be accepted): the
    /// same checks as `submit`, writing nothing. Throws `applicationInvalid` with every problem.
    public func check(form formID: String, answers: [String: String], by user: User) async throws {
        let form = try fileable(formID, by: user, .submit)
        let problems = form.validate(answers)
        guard problems.isEmpty else { throw ShomeiError.applicationInvalid(problems) }
        _ = try await store.read { try await Self.checkAgainstContract(form, answers, contract: user.key.contractID, in: $0) }
    }

    /// 削除: withdraws the user's contract's application while the bank has not decided.
    public func withdraw(id: String, by user: User) async throws -> Application {
        let now = clock()
        return try await store.write { tx in
            var application = try await Self.owned(id, by: user, in: tx)
            let before = application.status
            application.status = try ApplicationWorkflow.next(after: .withdraw, from: before)
            try await record(&application, before: before, actor: .customer(user), comment: nil, action: .applicationWithdrawn, at: now, in: tx)
            return application
        }
    }

    private func file(
        _ action: ApplicationAction, form formID: String, answers: [String: String], id: String?, by user: User
    ) async throws -> Application {
        let form = try fileable(formID, by: user, action)
        if action == .submit, case let problems = form.validate(answers), !problems.isEmpty { throw ShomeiError.applicationInvalid(problems) }
        let now = clock()
        return try await store.write { tx in
            var existing: Application?
            if let id { existing = try await Self.owned(id, by: user, in: tx) }
            guard existing == nil || existing?.formID == formID else { throw ShomeiError.applicationNotFound(id ?? "") }
            let before = existing?.status
            let targets = action == .submit ? try await Self.checkAgainstContract(form, answers, contract: user.key.contractID, in: tx) : []
            var application = existing ?? Application(
                id: GeneratedSecret.identifier(), formID: formID, contractID: user.key.contractID, status: .draft, answers: [:],
                createdAt: now, updatedAt: now, updatedBy: .customer(user))
            application.status = try ApplicationWorkflow.next(after: action, from: before)
            application.answers = answers
            application.targets = targets
            let audit: AuditEvent.Action = action == .submit ? .applicationSubmitted : .applicationSaved
            try await record(&application, before: before, actor: .customer(user), comment: nil, action: audit, at: now, in: tx,
                             isNew: existing == nil)
            return application
        }
    }

    // MARK: Bank

    /// 受付済 (comment optional). A form with an effect is scheduled for the start of the next
    /// bank business day (`EffectiveDay`), and the effect is stored with the application. A 03
    /// is refused when the contract already logs in the asked way or another accepted 03 of it
    /// is still to be carried out (`checkBeforeAcceptance`).
    public func accept(id: String, by staff: ApplicationActor, comment: String?) async throws -> Application {
        try await decide(.accept, id: id, by: staff, comment: comment)
    }

    /// 再提出要 with the comment the customer reads.
    public func requestResubmission(id: String, by staff: ApplicationActor, comment: String) async throws -> Application {
        try await decide(.requestResubmission, id: id, by: staff, comment: comment)
    }

    private func decide(_ action: ApplicationAction, id: String, by staff: ApplicationActor, comment: String?) async throws -> Application {
        let now = clock()
        let comment = comment.map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.flatMap { $0.isEmpty ? nil : $0 }
        if let comment, let character = TextRules.forbiddenCharacter(in: comment, allowingLineBreaks: true) {
            throw ShomeiError.characterNotAllowed(character)
        }
        return try await store.write { tx in
            guard var application = try await tx.lockApplication(id: id) else { throw ShomeiError.applicationNotFound(id) }
            let before = application.status
            application.status = try ApplicationWorkflow.next(after: action, from: before, comment: comment)
            application.bankComment = comment
            if action == .accept, let effect = forms.definition(application.formID)?.effect, effect != .manual {
                try await Self.checkBeforeAcceptance(application, effect: effect, in: tx)
                application.effect = effect
                application.effectiveAt = EffectiveDay.time(acceptedAt: now, calendar: calendar)
            }
            let audit: AuditEvent.Action = action == .accept ? .applicationAccepted : .applicationReturned
            try await record(&application, before: before, actor: staff, comment: comment, action: audit, at: now, in: tx)
            return application
        }
    }

    /// The console's 受付済 / 再提出要: only roles that decide applications (not auditors).
    public func decide(accept: Bool, id: String, by staff: Staff, comment: String?) async throws -> Application {
        guard staff.role.decidesApplications, staff.status == .active else { throw ShomeiError.staffNotPermitted }
        return try await decide(accept ? .accept : .requestResubmission, id: id, by: staff.actor, comment: comment)
    }

    // MARK: Scheduled effects

    /// Carries out the accepted applications that are due: each in one transaction that marks it
    /// done (compare-and-set, so two nodes never both act) and does its form's effect — 05
    /// revokes the targets' valid certificates, 03 switches the contract's login method — with
    /// its mail. Returns the applications done.
    @discardableResult
    public func runDueApplications(limit: Int = 100) async throws -> [Application] {
        let now = clock()
        let due = try await store.read { try await $0.dueApplications(at: now, limit: limit) }
        var done: [Application] = [], revoked = 0
        do {
            for application in due {
                guard let carried = try await carryOut(application, at: now) else { continue }
                done.append(application)
                revoked += carried
            }
        } catch {
            // What committed before the failure is counted and reaches the observer all the same.
            await committed(revoked)
            throw error
        }
        await committed(revoked)
        return done
    }

    /// One application's effect, as stored at 受付済, in one transaction; how many certificates
    /// it revoked, or nil when another node carried it out first.
    private func carryOut(_ application: Application, at now: Date) async throws -> Int? {
        try await store.write { tx in
            guard try await tx.markCarriedOut(applicationID: application.id, at: now) else { return nil }
            switch application.effect {
            case .manual, nil: return 0
            case .revokeCertificates: return try await revokeTargets(of: application, at: now, in: tx)
            case .changeLoginMethod:
                try await changeLoginMethod(of: application, at: now, in: tx)
                return 0
            }
        }
    }

    private func revokeTargets(of application: Application, at now: Date, in tx: any StoreTransaction) async throws -> Int {
        var serials: [String] = []
        for target in application.targets {
            guard let certificate = try await tx.validCertificate(of: target) else { continue }
            _ = try await registration.revoke(
                serial: certificate.serial, reason: .cessationOfOperation, actor: "application:\(application.id)", at: now, in: tx)
            serials.append(certificate.serial)
        }
        try await tx.appendAudit(
            AuditEntry(actor: "system", action: .applicationRevocationsDone, target: "application:\(application.id)",
                       details: ["certificates": serials.joined(separator: ",")]),
            at: now)
        return serials.count
    }

    /// 03: the contract logs in the chosen way from now, and every user is told what to do. A
    /// contract the bank already switched meanwhile is left as it is, and nobody is mailed.
    private func changeLoginMethod(of application: Application, at now: Date, in tx: any StoreTransaction) async throws {
        guard let method = application.answers[FormDefinition.Effect.loginMethodField].flatMap(Contract.LoginMethod.init),
              let contract = try await tx.contract(application.contractID) else { return }
        guard let changed = try await RegistrationAuthority.changeLoginMethod(
            of: contract, to: method, actor: "application:\(application.id)", at: now, in: tx) else { return }
        try await registration.notices.enqueueLoginMethodChange(of: changed, applicationID: application.id, time: now, in: tx)
    }

    private func committed(_ revoked: Int) async {
        guard revoked > 0 else { return }
        await registration.revocationsCommitted(Array(repeating: .cessationOfOperation, count: revoked))
    }

    // MARK: Shared steps

    /// The form, if it is offered and the user's role may file it (`FormCatalog.fileable`).
    func fileable(_ formID: String, by user: User, _ action: ApplicationAction) throws -> FormDefinition {
        guard forms.definition(formID)?.available == true else { throw ShomeiError.applicationTypeUnavailable(formID) }
        guard let form = forms.fileable(formID, by: user.role), user.status == .active else {
            throw ShomeiError.applicationActionNotAllowed(action, nil)
        }
        return form
    }

    /// The caller's contract's application, or not found (another contract's reads the same).
    private static func owned(_ id: String, by user: User, in tx: any StoreTransaction) async throws -> Application {
        guard let application = try await tx.lockApplication(id: id), application.contractID == user.key.contractID else {
            throw ShomeiError.applicationNotFound(id)
        }
        return application
    }

    /// Stamps the change, stores it, and appends its history line and audit entry.
    private func record(
        _ application: inout Application, before: ApplicationStatus?, actor: ApplicationActor, comment: String?,
        action: AuditEvent.Action, at now: Date, in tx: any StoreTransaction, isNew: Bool = false
    ) async throws {
        application.updatedAt = now
        application.updatedBy = actor
        if isNew { try await tx.insert(application) } else { try await tx.update(application) }
        if before != application.status {
            try await tx.append(ApplicationHistoryEntry(
                applicationID: application.id, time: now, actor: actor, before: before, after: application.status, comment: comment))
        }
        try await tx.appendAudit(
            AuditEntry(actor: actor.side == .bank ? "staff:\(actor.id)" : "user:\(actor.id)", action: action,
                       target: "application:\(application.id)",
                       details: ["status": application.status.rawValue, "form": application.formID, "comment": comment ?? ""]),
            at: now)
    }

    /// What the form's effect needs of the contract, checked against it: 05's rows name its
    /// users (the targets, returned), 03 asks for the method it does not log in with yet.
    static func checkAgainstContract(
        _ form: FormDefinition, _ answers: [String: String], contract: ContractID, in tx: any StoreReader
    ) async throws -> [UserKey] {
        switch form.effect {
        case .manual: return []
        case .revokeCertificates: return try await resolveTargets(form, answers, contract: contract, in: tx)
        case .changeLoginMethod:
            let field = FormDefinition.Effect.loginMethodField
            guard let current = try await tx.contract(contract)?.loginMethod else { throw ShomeiError.contractNotFound(contract) }
            if answers[field] == current.rawValue { throw ShomeiError.applicationInvalid([FieldProblem(field, .loginMethodUnchanged)]) }
            return []
        }
    }

    /// 受付済 of a 03 that would switch nothing: the contract was switched meanwhile (by the bank,
    /// or by another 03), or another accepted 03 of it is still due, so the two cannot both hold.
    /// The bank returns such an application (再提出要) instead. The contract stays locked to the
    /// end of the transaction, so of two 03s accepted at once the second sees the first.
    private static func checkBeforeAcceptance(
        _ application: Application, effect: FormDefinition.Effect, in tx: any StoreTransaction
    ) async throws {
        guard effect == .changeLoginMethod else { return }
        guard let contract = try await tx.lockContract(application.contractID) else { throw ShomeiError.contractNotFound(application.contractID) }
        if application.answers[FormDefinition.Effect.loginMethodField] == contract.loginMethod.rawValue {
            throw ShomeiError.loginMethodAlreadyInUse(contract.loginMethod)
        }
        let pending = try await tx.applications(of: application.contractID, form: nil)
            .first { $0.id != application.id && $0.effect == .changeLoginMethod && $0.carriedOutAt == nil }
        if let pending { throw ShomeiError.loginMethodChangePending(applicationID: pending.id) }
    }

    /// 05's user rows → the contract's users: each row must name a user (利用者名) of the
    /// contract, with that authority, holding a valid certificate, and no user twice.
    private static func resolveTargets(
        _ form: FormDefinition, _ answers: [String: String], contract: ContractID, in tx: any StoreReader
    ) async throws -> [UserKey] {
        let field = FormDefinition.Effect.targetUsersField
        let users = try await tx.users(in: contract)
        var problems: [FieldProblem] = []
        var targets: [UserKey] = []
        for row in form.userRows(field, in: answers) {
            let named = users.filter { JapaneseText.normalised($0.name).trimmingCharacters(in: .whitespaces) == row.name }
            let problem: FieldProblem.Kind?
            if named.isEmpty {
                problem = .userNotFound
            } else if let user = named.first(where: { $0.role == row.role }) {
                if targets.contains(user.key) {
                    problem = .duplicateUser
                } else if try await tx.validCertificate(of: user.key) == nil {
                    problem = .certificateNotValid
                } else {
                    problem = nil
                    targets.append(user.key)
                }
            } else {
                problem = .authorityMismatch
            }
            if let problem { problems.append(FieldProblem(field, row: row.row, problem)) }
        }
        guard problems.isEmpty else { throw ShomeiError.applicationInvalid(problems) }
        return targets
    }
}
