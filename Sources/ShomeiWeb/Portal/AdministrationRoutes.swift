import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The customer's 管理 menu (issue #17): 利用者一覧, and every action as 入力 → 確認 (with the
/// 確認用パスワード) → 結果. It exists only for users who administer: for anyone else its URLs are
/// not there (404). Who may do what to whom is `CustomerAdministration`'s rule and how an action
/// is carried out `RegistrationAuthority.administer`; these routes read forms (refusing early
/// what the RA would refuse, so the 入力 page can say so) and show pages.
enum AdministrationRoutes {
    /// Every field a 管理 form posts (each page posts some of them).
    struct Fields: Decodable {
        let userId: String?
        let userName: String?
        let role: String?
        let email: String?
        let password: String?
        let serial: String?
        let reason: String?
        let stamp: String?
        let confirmationPassword: String?
    }

    /// The actions on an existing user, by their URL's last part.
    static let actions: [(slug: String, action: AdministrationAction)] = [
        ("change", .changeUser), ("stop", .stopUser), ("resume", .resumeUser), ("unlock", .unlockUser),
        ("reset-password", .resetLoginPassword), ("revoke", .revokeCertificate), ("reissue", .reissueCertificate),
        ("delete", .deleteUser),
    ]

    static func add(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.get("/portal/admin/users") { _, context in
            try await userList(context, portal)
        }
        group.get("/portal/admin/register") { _, context in
            let actor = try administrator(context)
            if let refusal = CustomerAdministration.refusal(
                by: (actor.key, actor.role), .registerUser, on: UserKey(contractID: actor.key.contractID, userID: try UserID("NEW")),
                role: .general, policy: try await portal.registration.administrationPolicy(for: actor)) {
                throw ShomeiError.administrationRefused(refusal)
            }
            return try userForm(context, portal, registering: true, fields: nil, stamp: "")
        }
        group.post("/portal/admin/register") { request, context in
            let actor = try administrator(context)
            let fields = try await BrowserSupport.form(request, as: Fields.self)
            do {
                return try registrationConfirmation(try await registration(fields, by: actor, portal).user, context, portal, fields: fields)
            } catch let refusal as ShomeiError {
                return try userForm(context, portal, registering: true, fields: fields, stamp: "", refusal: refusal)
            }
        }
        group.post("/portal/admin/register/execute") { request, context in
            let actor = try administrator(context)
            let fields = try await BrowserSupport.form(request, as: Fields.self)
            let (new, user) = try await registration(fields, by: actor, portal)
            return try await execute(.register(new), on: new.key, fields, context, portal) {
                try registrationConfirmation(user, context, portal, fields: fields, refusal: $0)
            }
        }
        group.get("/portal/admin/users/:user/:action") { request, context in
            let action = try actionNamed(context)
            let target = try await targetUser(context, portal, for: action)
            if action == .changeUser {
                return try userForm(context, portal, registering: false, fields: nil, target: target.user, stamp: stamp(target))
            }
            return try confirmation(action, of: target, context, portal, fields: nil, post: request.uri.path)
        }
        group.post("/portal/admin/users/:user/:action") { request, context in
            let action = try actionNamed(context)
            let target = try await targetUser(context, portal, for: action)
            let fields = try await BrowserSupport.form(request, as: Fields.self)
            let path = request.uri.path
            if action == .changeUser {
                do {
                    _ = try change(fields, of: target.user, by: context.visit.user)
                    return try confirmation(.changeUser, of: target, context, portal, fields: fields, post: path + "/execute")
                } catch let refusal as ShomeiError {
                    return try userForm(context, portal, registering: false, fields: fields, target: target.user, stamp: stamp(target), refusal: refusal)
                }
            }
            return try await execute(try order(action, fields), on: target.user.key, fields, context, portal) {
                try confirmation(action, of: try await targetUser(context, portal, for: action), context, portal, fields: fields, post: path,
                                 refusal: $0)
            }
        }
        // Only 利用者情報変更 has an 入力 page before its 確認, so only it has a step after.
        group.post("/portal/admin/users/:user/:action/execute") { request, context in
            guard try actionNamed(context) == .changeUser else { throw ShomeiError.pageNotFound }
            let target = try await targetUser(context, portal, for: .changeUser)
            let fields = try await BrowserSupport.form(request, as: Fields.self)
            let path = request.uri.path
            return try await execute(.change(try change(fields, of: target.user, by: context.visit.user)), on: target.user.key, fields, context, portal) {
                try confirmation(.changeUser, of: try await targetUser(context, portal, for: .changeUser), context, portal, fields: fields,
                                 post: path, refusal: $0)
            }
        }
    }

    // MARK: Pages

    /// 利用者一覧, each row with the actions the rule and the user's state offer.
    private static func userList(_ context: PortalRequestContext, _ portal: Portal) async throws -> Response {
        let actor = try administrator(context)
        let l = context.language
        let (users, policy) = try await portal.registration.administeredUsers(by: actor)
        let rows = users.map { user, status in
            let links = actions.filter { slug, action in
                CustomerAdministration.refusal(by: (actor.key, actor.role), action, on: user.key, role: user.role, policy: policy) == nil
                    && action.applies(to: user.status, validCertificate: status.certificate.map { $0.revocation == nil } == true)
            }.map { slug, action in
                AdminUsersPage.ActionLink(
                    href: "/portal/admin/users/\(user.key.userID)/\(slug)", slug: slug, label: Message.administrationActionLabel(action).text(l))
            }
            return AdminUsersPage.Row(
                id: user.key.userID.rawValue, name: user.name, role: Message.roleLabel(user.role).text(l),
                status: Message.userStatusLabel(user.status).text(l), certificate: Message.lifecycleStateLabel(status.state).text(l),
                notAfter: status.certificate.map { TokyoTime.formatForCustomer($0.notAfter, l) } ?? "",
                lastLogin: user.lastLoginAt.map { TokyoTime.formatForCustomer($0, l) } ?? "", actions: links)
        }
        let register = policy.offers(.registerUser)
            ? AdminUsersPage.ActionLink(href: "/portal/admin/register", slug: "register", label: Message.administrationActionLabel(.registerUser).text(l))
            : nil
        return try portal.page(AdminUsersPage(rows: rows, register: register), title: Label.adminUsersTitle.text(l), context)
    }

    /// 利用者登録入力 or 利用者情報変更入力, with what was typed (and why it was refused).
    private static func userForm(
        _ context: PortalRequestContext, _ portal: Portal, registering: Bool, fields: Fields?, target: User? = nil, stamp: String,
        refusal: ShomeiError? = nil
    ) throws -> Response {
        let l = context.language
        let actor = context.visit.user
        let chosen = fields?.role.flatMap(Role.init(rawValue:)) ?? target?.role ?? .general
        let roles = Role.allCases.filter(actor.role.outranks).map {
            SelectOption(value: $0.rawValue, label: Message.roleLabel($0).text(l), selected: $0 == chosen)
        }
        let action: AdministrationAction = registering ? .registerUser : .changeUser
        let page = AdminUserFormPage(
            post: registering ? "/portal/admin/register" : "/portal/admin/users/\(target?.key.userID.rawValue ?? "")/change",
            registering: registering, userId: fields?.userId ?? target?.key.userID.rawValue ?? "",
            userName: fields?.userName ?? target?.name ?? "", email: fields?.email ?? target?.email.rawValue ?? "", roles: roles,
            stamp: fields?.stamp ?? stamp)
        return try portal.page(page, title: Message.administrationTitle(action, .input).text(l), context,
                               error: refusal?.message(l), status: refusal?.httpStatus ?? .ok)
    }

    /// The 確認 page of `action` on `target` (the stored user; for a registration, the user to
    /// be): the facts, the form's values carried on, the reasons of a revocation. With `refusal`
    /// (a wrong 確認用パスワード …): the same page as it reads now, its message, its status.
    private static func confirmation(
        _ action: AdministrationAction, of target: (user: User, status: LifecycleStatus), _ context: PortalRequestContext, _ portal: Portal,
        fields: Fields?, post: String, refusal: ShomeiError? = nil
    ) throws -> Response {
        let l = context.language
        let (user, status) = target
        var facts = userFacts(user, status, l)
        // The stamp of the user as the actor first saw them (the 入力 page's), unless the page
        // is shown again after a refusal: then as they are now.
        let shown = refusal == nil ? fields?.stamp.flatMap { $0.isEmpty ? nil : $0 } : nil
        var hidden = [AdminConfirmPage.Hidden(name: "stamp", value: shown ?? stamp(target))]
        var reasons: [SelectOption] = []
        switch action {
        case .changeUser:
            let changed = try change(fields ?? Fields.empty, of: user, by: context.visit.user)
            facts += [
                AdminFact(id: "newName", label: Label.userName.text(l) + " → ", value: changed.name ?? user.name),
                AdminFact(id: "newRole", label: Label.authority.text(l) + " → ", value: Message.roleLabel(changed.role ?? user.role).text(l)),
                AdminFact(id: "newEmail", label: Label.email.text(l) + " → ", value: changed.email?.rawValue ?? user.email.rawValue),
            ]
            hidden += [("userName", fields?.userName ?? ""), ("role", fields?.role ?? ""), ("email", fields?.email ?? "")]
                .map { .init(name: $0, value: $1) }
        case .revokeCertificate:
            guard let certificate = status.certificate, certificate.revocation == nil else { throw ShomeiError.pageNotFound }
            hidden.append(.init(name: "serial", value: certificate.serial.uppercased()))
            let chosen = fields?.reason.flatMap { name in RevocationReason.offeredToCustomers.first { $0.rfcName == name } } ?? .keyCompromise
            reasons = RevocationReason.offeredToCustomers.map {
                SelectOption(value: $0.rfcName, label: Message.revocationReasonLabel($0).text(l), selected: $0 == chosen)
            }
        default:
            guard action.applies(to: user.status, validCertificate: status.certificate.map { $0.revocation == nil } == true) else {
                throw ShomeiError.pageNotFound
            }
        }
        let page = AdminConfirmPage(
            note: Message.administrationNote(action).text(l), facts: facts, post: post, hidden: hidden, reasons: reasons,
            hasReasons: !reasons.isEmpty, asksInitialPassword: false)
        return try portal.page(page, title: Message.administrationTitle(action, .confirm).text(l), context,
                               error: refusal?.message(l), status: refusal?.httpStatus ?? .ok)
    }

    /// 利用者登録確認: the user to be, the typed values carried on to the execute step.
    private static func registrationConfirmation(
        _ user: User, _ context: PortalRequestContext, _ portal: Portal, fields: Fields, refusal: ShomeiError? = nil
    ) throws -> Response {
        let l = context.language
        let facts = Array(userFacts(user, nil, l).prefix(4))
        // The initial password is typed here, beside the 確認用パスワード: it never travels in a page.
        let hidden = [("userId", user.key.userID.rawValue), ("userName", user.name), ("role", user.role.rawValue),
                      ("email", user.email.rawValue)].map { AdminConfirmPage.Hidden(name: $0, value: $1) }
        let page = AdminConfirmPage(
            note: Message.administrationNote(.registerUser).text(l), facts: facts, post: "/portal/admin/register/execute", hidden: hidden,
            reasons: [], hasReasons: false, asksInitialPassword: true)
        return try portal.page(page, title: Message.administrationTitle(.registerUser, .confirm).text(l), context,
                               error: refusal?.message(l), status: refusal?.httpStatus ?? .ok)
    }

    private static func stamp(_ target: (user: User, status: LifecycleStatus)) -> String {
        RegistrationAuthority.administrationStamp(of: target.user, certificate: target.status.certificate)
    }

    /// What the 確認 and 結果 pages show of a user.
    private static func userFacts(_ user: User, _ status: LifecycleStatus?, _ l: Language) -> [AdminFact] {
        var facts = [
            AdminFact(id: "userId", label: Label.userId.text(l), value: user.key.userID.rawValue),
            AdminFact(id: "userName", label: Label.userName.text(l), value: user.name),
            AdminFact(id: "role", label: Label.authority.text(l), value: Message.roleLabel(user.role).text(l)),
            AdminFact(id: "email", label: Label.email.text(l), value: user.email.rawValue),
            AdminFact(id: "status", label: Label.status.text(l), value: Message.userStatusLabel(user.status).text(l)),
        ]
        guard let status else { return facts }
        facts.append(AdminFact(id: "certificateState", label: Label.certificateState.text(l), value: Message.lifecycleStateLabel(status.state).text(l)))
        if let certificate = status.certificate {
            facts += [AdminFact(id: "serial", label: Label.serial.text(l), value: certificate.serial.uppercased()),
                      AdminFact(id: "notAfter", label: Label.notAfter.text(l), value: TokyoTime.formatForCustomer(certificate.notAfter, l))]
        }
        return facts
    }

    /// Runs the order with the 確認用パスワード the form carries; the 結果 page, or `again` (the
    /// 確認 page) with the refusal.
    private static func execute(
        _ order: AdministrationOrder, on target: UserKey, _ fields: Fields, _ context: PortalRequestContext, _ portal: Portal,
        again: (ShomeiError) async throws -> Response
    ) async throws -> Response {
        let l = context.language
        let done: AdministrationResult
        do {
            done = try await portal.registration.administer(
                order, on: target, by: context.visit.user, confirmationPassword: fields.confirmationPassword ?? "", stamp: fields.stamp)
        } catch let refusal as ShomeiError {
            return try await again(refusal)
        }
        var facts = [AdminFact(id: "userId", label: Label.userId.text(l), value: done.target.key.userID.rawValue),
                     AdminFact(id: "userName", label: Label.userName.text(l), value: done.target.name)]
        if let revoked = done.revoked { facts.append(.init(id: "serial", label: Label.serial.text(l), value: revoked.serial.uppercased())) }
        var secrets: [AdminFact] = []
        if let password = done.loginPassword { secrets.append(.init(id: "loginPassword", label: Label.temporaryPassword.text(l), value: password)) }
        if let confirmation = done.confirmationPassword {
            secrets.append(.init(id: "newConfirmationPassword", label: Label.newConfirmationPassword.text(l), value: confirmation))
        }
        if let code = done.activationCode {
            secrets += [.init(id: "activationCode", label: Label.activationCode.text(l), value: code.code),
                        .init(id: "codeExpires", label: Label.letterExpires.text(l), value: TokyoTime.formatForCustomer(code.expiresAt, l))]
        }
        let page = AdminResultPage(
            action: order.action.rawValue, text: Message.administrationDone(order.action).text(l), facts: facts, secrets: secrets,
            hasSecrets: !secrets.isEmpty, reissued: done.activationCode != nil)
        return try portal.page(page, title: Message.administrationTitle(order.action, .result).text(l), context)
    }

    // MARK: Reading forms

    /// The order of an action on an existing user, from its 確認 form.
    private static func order(_ action: AdministrationAction, _ fields: Fields) throws -> AdministrationOrder {
        switch action {
        case .stopUser: return .stop
        case .resumeUser: return .resume
        case .unlockUser: return .unlock
        case .resetLoginPassword: return .resetLoginPassword
        case .reissueCertificate: return .reissueCertificate
        case .deleteUser: return .delete
        case .revokeCertificate:
            guard let reason = RevocationReason.offeredToCustomers.first(where: { $0.rfcName == fields.reason }) else {
                throw ShomeiError.unknownRevocationReason(fields.reason ?? "")
            }
            return .revokeCertificate(serial: fields.serial ?? "", reason: reason)
        case .registerUser, .changeUser: throw ShomeiError.pageNotFound
        }
    }

    /// The user a 利用者登録 form describes, checked as the RA will check it, and how its
    /// 確認 page shows it.
    private static func registration(
        _ fields: Fields, by actor: User, _ portal: Portal
    ) async throws -> (NewUser, user: User) {
        let key = UserKey(contractID: actor.key.contractID, userID: try UserID(fields.userId ?? ""))
        let role = try role(fields.role)
        let new = NewUser(
            key: key, name: try DisplayName.checked(fields.userName ?? ""), role: role, email: try EmailAddress(fields.email ?? ""),
            password: fields.password?.isEmpty == false ? fields.password : nil, language: actor.language)
        if let refusal = try await portal.registration.administrationRefusal(by: actor, .registerUser, on: key, newRole: role) {
            throw refusal
        }
        let user = try User(key: key, name: new.name, role: role, email: new.email, passwordHash: "", createdAt: Date(), language: new.language)
        return (new, user)
    }

    /// What a 利用者情報変更 form changes (nil where it keeps the field); a role the actor does
    /// not outrank is refused here and again by the RA.
    private static func change(_ fields: Fields, of user: User, by actor: User) throws -> RegistrationAuthority.UserChange {
        let name = try DisplayName.checked(fields.userName ?? "")
        let role = try role(fields.role)
        guard actor.role.outranks(role) else { throw ShomeiError.administrationRefused(.outranked) }
        let email = try EmailAddress(fields.email ?? "")
        let change = RegistrationAuthority.UserChange(
            name: name == user.name ? nil : name, role: role == user.role ? nil : role, email: email == user.email ? nil : email)
        guard change != .init() else { throw ShomeiError.nothingChanged }
        return change
    }

    private static func role(_ text: String?) throws -> Role {
        guard let role = text.flatMap(Role.init(rawValue:)) else { throw ShomeiError.formFieldMissing("role") }
        return role
    }

    // MARK: Who and whom

    /// The logged-in user, if they administer; otherwise the menu is not there.
    private static func administrator(_ context: PortalRequestContext) throws -> User {
        guard CustomerAdministration.administers(context.visit.user.role) else { throw ShomeiError.pageNotFound }
        return context.visit.user
    }

    /// The action the URL names; an unknown one is a page that is not there.
    private static func actionNamed(_ context: PortalRequestContext) throws -> AdministrationAction {
        _ = try administrator(context)
        guard let named = actions.first(where: { $0.slug == context.parameters.get("action") }) else { throw ShomeiError.pageNotFound }
        return named.action
    }

    /// The user the URL names, in the actor's own contract, if the rule lets the actor act on
    /// them at all; a malformed ID, another contract's or a deleted user is a page that is not there.
    private static func targetUser(
        _ context: PortalRequestContext, _ portal: Portal, for action: AdministrationAction
    ) async throws -> (user: User, status: LifecycleStatus) {
        let actor = try administrator(context)
        guard let id = try? UserID(context.parameters.get("user") ?? "") else { throw ShomeiError.pageNotFound }
        let key = UserKey(contractID: actor.key.contractID, userID: id)
        guard let found = try await portal.registration.administeredUser(key, by: actor) else { throw ShomeiError.pageNotFound }
        if let refusal = try await portal.registration.administrationRefusal(by: actor, action, on: key) { throw refusal }
        return found
    }
}

extension AdministrationRoutes.Fields {
    static let empty = Self(
        userId: nil, userName: nil, role: nil, email: nil, password: nil, serial: nil, reason: nil, stamp: nil, confirmationPassword: nil)
}
