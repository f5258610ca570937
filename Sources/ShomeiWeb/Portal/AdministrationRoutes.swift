import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The customer's 管理 menu (issue #17): 利用者一覧, and 証明書失効 as list → 確認 (with the
/// 確認用パスワード) → 結果. It exists only for users who administer: for anyone else its URLs are
/// not there (404). What an administrator may do to whom is `CustomerAdministration`'s rule.
enum AdministrationRoutes {
    struct RevokeForm: Decodable {
        let serial: String?
        let reason: String?
        let confirmationPassword: String?
    }

    static func add(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.get("/portal/admin/users") { _, context in
            let actor = try administrator(context)
            let l = context.language
            let (users, policy) = try await portal.registration.administeredUsers(by: actor)
            let rows = users.map { user, status in
                let allowed = CustomerAdministration.refusal(
                    by: (actor.key, actor.role), .revokeCertificate, on: user.key, role: user.role, policy: policy) == nil
                return AdminUsersPage.Row(
                    id: user.key.userID.rawValue, name: user.name, role: Message.roleLabel(user.role).text(l),
                    status: Message.userStatusLabel(user.status).text(l), certificate: Message.lifecycleStateLabel(status.state).text(l),
                    notAfter: status.certificate.map { TokyoTime.formatForCustomer($0.notAfter, l) } ?? "",
                    revokable: allowed && status.certificate.map { $0.revocation == nil } == true)
            }
            return try portal.page(AdminUsersPage(rows: rows), title: Label.adminUsersTitle.text(l), context)
        }
        group.get("/portal/admin/users/:user/revoke") { _, context in
            let (actor, target) = (try administrator(context), try targetKey(context))
            return try await confirmation(context, portal, actor: actor, target: target)
        }
        group.post("/portal/admin/users/:user/revoke") { request, context in
            let (actor, target) = (try administrator(context), try targetKey(context))
            let form = try await BrowserSupport.form(request, as: RevokeForm.self)
            do {
                guard let reason = RevocationReason.offeredToCustomers.first(where: { $0.rfcName == form.reason }) else {
                    throw ShomeiError.unknownRevocationReason(form.reason ?? "")
                }
                let revoked = try await portal.registration.revokeAsAdministrator(
                    target, serial: form.serial ?? "", reason: reason, by: actor, confirmationPassword: form.confirmationPassword ?? "")
                let holder = try await portal.registration.administeredUser(target, by: actor)?.user
                return try portal.page(
                    AdminRevokedPage(userId: target.userID.rawValue, userName: holder?.name ?? "", serial: revoked.serial.uppercased()),
                    title: Label.adminRevokedTitle.text(context.language), context)
            } catch let refusal as ShomeiError {
                return try await confirmation(context, portal, actor: actor, target: target, refusal: refusal)
            }
        }
    }

    /// The logged-in user, if they administer; otherwise the menu is not there.
    private static func administrator(_ context: PortalRequestContext) throws -> User {
        guard CustomerAdministration.administers(context.visit.user.role) else { throw HTTPError(.notFound) }
        return context.visit.user
    }

    /// The user the URL names, in the actor's own contract; a malformed ID is a page that is not there.
    private static func targetKey(_ context: PortalRequestContext) throws -> UserKey {
        guard let id = try? UserID(context.parameters.get("user") ?? "") else { throw HTTPError(.notFound) }
        return UserKey(contractID: context.visit.user.key.contractID, userID: id)
    }

    /// 証明書失効確認 for the target's current certificate; the rule's refusal, or 404 when there is
    /// nothing to revoke. With `refusal` (a wrong 確認用パスワード …): the same page, its message,
    /// its status.
    private static func confirmation(
        _ context: PortalRequestContext, _ portal: Portal, actor: User, target: UserKey, refusal: ShomeiError? = nil
    ) async throws -> Response {
        if let ruled = try await portal.registration.administrationRefusal(by: actor, .revokeCertificate, on: target) { throw ruled }
        let l = context.language
        guard let (user, status) = try await portal.registration.administeredUser(target, by: actor),
              let certificate = status.certificate, certificate.revocation == nil
        else { throw HTTPError(.notFound) }
        let reasons = RevocationReason.offeredToCustomers.map {
            SelectOption(value: $0.rfcName, label: Message.revocationReasonLabel($0).text(l), selected: $0 == .keyCompromise)
        }
        return try portal.page(
            AdminRevokePage(
                userId: target.userID.rawValue, userName: user.name, serial: certificate.serial.uppercased(),
                notAfter: TokyoTime.formatForCustomer(certificate.notAfter, l), reasons: reasons),
            title: Label.adminRevokeTitle.text(l), context, error: refusal?.message(l), status: refusal?.httpStatus ?? .ok)
    }
}
