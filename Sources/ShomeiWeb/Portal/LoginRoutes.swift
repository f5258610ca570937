import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The login screen (SPEC §4): 電子証明書方式 when the browser presented a certificate in the
/// TLS handshake, ID・パスワード方式 otherwise, and the way to 電子証明書発行 / 電子証明書取得.
/// The login form is guarded by the pre-login token (`CSRFMiddleware` on the group).
enum LoginRoutes {
    struct LoginForm: Decodable {
        let password: String?
        let contractId: String?
        let userId: String?
    }

    static func add(to group: RouterGroup<SecureRequestContext>, portal: Portal) {
        group.get("/") { _, _ in BrowserSupport.redirect("/login") }
        group.get("/login") { request, context in
            let ended = request.uri.queryParameters["ended"].flatMap { SessionEnd(rawValue: String($0)) }
            return try await loginPage(request, context, portal: portal, info: ended.map { ShomeiError.sessionEnded($0).message(context.language) })
        }
        group.post("/login") { request, context in
            let form = try await BrowserSupport.form(request, as: LoginForm.self)
            do {
                let admitted = try await admit(form, context, portal: portal)
                let opened = try await portal.sessions.open(for: admitted, previousToken: request.cookies[BrowserSupport.sessionCookie]?.value)
                var response = BrowserSupport.redirect("/portal/notices")
                response.setCookie(BrowserSupport.cookie(BrowserSupport.sessionCookie, opened.token))
                return response
            } catch let error as ShomeiError {
                return try await loginPage(request, context, portal: portal, error: error, typed: form, status: error.httpStatus)
            }
        }
    }

    /// Logout (behind the session, so its form carries the session's token).
    static func addLogout(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.post("/logout") { _, context in
            try await portal.sessions.close(context.visit.session)
            var response = BrowserSupport.redirect("/login?ended=loggedOut")
            response.setCookie(BrowserSupport.cookie(BrowserSupport.sessionCookie, "", maxAge: 0))
            return response
        }
    }

    private static func admit(_ form: LoginForm, _ context: SecureRequestContext, portal: Portal) async throws -> AdmittedUser {
        guard let password = form.password, !password.isEmpty else {
            throw ShomeiError.formFieldMissing(Label.loginPassword.text(context.language))
        }
        if let certificate = context.clientCertificate {
            return try await portal.registration.logIn(presenting: certificate, password: password)
        }
        let key = UserKey(contractID: try ContractID(form.contractId ?? ""), userID: try UserID(form.userId ?? ""))
        return try await portal.registration.logIn(user: key, password: password)
    }

    /// The login page, with the presented certificate's holder (or why it cannot log in).
    static func loginPage(
        _ request: Request, _ context: SecureRequestContext, portal: Portal, info: String? = nil, error: ShomeiError? = nil,
        typed: LoginForm? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = context.language
        let token = BrowserSupport.preLoginToken(request)
        var page = LoginPage()
        var shown = error
        var title = Label.loginTitle
        var status = status
        if let certificate = context.clientCertificate {
            title = Label.loginCertificateTitle
            switch try await portal.registration.certificateHolder(presenting: certificate) {
            case .success(let user):
                page.certificate = .init(contractId: user.key.contractID.rawValue, userId: user.key.userID.rawValue, userName: user.name)
            case .failure(let refusal):
                shown = refusal
                status = refusal.httpStatus
            }
        } else {
            page.passwordLogin = .init(contractId: typed?.contractId ?? "", userId: typed?.userId ?? "")
        }
        let frame = Frame(title: title.text(language), csrf: token.token, error: shown?.message(language), info: info)
        return BrowserSupport.withPreLoginCookie(try portal.pages.response(page, frame: frame, language: language, status: status), token)
    }
}
