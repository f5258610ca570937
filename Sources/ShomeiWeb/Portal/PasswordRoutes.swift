import Hummingbird
import ShomeiDomain
import ShomeiRA

/// パスワード変更 (every user's login password) and 確認用パスワード変更 (masters' and
/// administrators'): current, new, new again. After an initial or reset password the portal
/// opens nothing else until the login password is changed (`PasswordChangeGate`).
enum PasswordRoutes {
    struct ChangeForm: Decodable {
        let current: String?
        let new: String?
        let repeat_: String?

        enum CodingKeys: String, CodingKey {
            case current, new
            case repeat_ = "repeat"
        }

        /// The current and the new password, once the repetition matches.
        func passwords() throws -> (current: String, new: String) {
            guard let new, !new.isEmpty else { throw ShomeiError.formFieldMissing("new") }
            guard new == repeat_ else { throw ShomeiError.passwordRepeatMismatch }
            return (current ?? "", new)
        }
    }

    static let loginPath = "/portal/password"
    static let confirmationPath = "/portal/confirmation-password"

    static func add(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.get(.init(loginPath)) { _, context in
            try page(context, portal, post: loginPath, title: .passwordChangeTitle)
        }
        group.post(.init(loginPath)) { request, context in
            let form = try await BrowserSupport.form(request, as: ChangeForm.self)
            do {
                let (current, new) = try form.passwords()
                try await portal.registration.changeLoginPassword(of: context.visit.user.key, current: current, new: new)
                return try portal.menu(context, info: Label.passwordChangedText.text(context.language))
            } catch let refusal as ShomeiError {
                return try page(context, portal, post: loginPath, title: .passwordChangeTitle, refusal: refusal)
            }
        }
        group.get(.init(confirmationPath)) { _, context in
            try administrator(context)
            return try page(context, portal, post: confirmationPath, title: .confirmationPasswordChangeTitle)
        }
        group.post(.init(confirmationPath)) { request, context in
            try administrator(context)
            let form = try await BrowserSupport.form(request, as: ChangeForm.self)
            do {
                let (current, new) = try form.passwords()
                try await portal.registration.changeConfirmationPassword(of: context.visit.user.key, current: current, new: new)
                return try portal.menu(context, info: Label.passwordChangedText.text(context.language))
            } catch let refusal as ShomeiError {
                return try page(context, portal, post: confirmationPath, title: .confirmationPasswordChangeTitle, refusal: refusal)
            }
        }
    }

    private static func page(
        _ context: PortalRequestContext, _ portal: Portal, post: String, title: Label, refusal: ShomeiError? = nil
    ) throws -> Response {
        let required = post == loginPath && context.visit.user.passwordChangeRequired
        return try portal.page(PasswordChangePage(post: post, required: required), title: title.text(context.language), context,
                               error: refusal?.message(context.language), status: refusal?.httpStatus ?? .ok)
    }

    /// Only masters and administrators hold a 確認用パスワード; for anyone else the page is not there.
    private static func administrator(_ context: PortalRequestContext) throws {
        guard CustomerAdministration.administers(context.visit.user.role) else { throw ShomeiError.pageNotFound }
    }
}

/// After an initial or reset login password, every portal page but パスワード変更 and logout
/// leads to パスワード変更 (the page script gets the refusal in JSON).
struct PasswordChangeGate: RouterMiddleware {
    typealias Context = PortalRequestContext
    static let open: Set<String> = [PasswordRoutes.loginPath, "/logout"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.visit.user.passwordChangeRequired, !Self.open.contains(request.uri.path) else { return try await next(request, context) }
        if request.isScriptRequest { return BrowserSupport.jsonError(.passwordChangeRequired, context.language) }
        return BrowserSupport.redirect(PasswordRoutes.loginPath)
    }
}
