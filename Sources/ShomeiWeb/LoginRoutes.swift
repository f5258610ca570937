import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The login screen (SPEC §4): 電子証明書方式 when the browser presented a certificate in the
/// TLS handshake, ID・パスワード方式 otherwise, and the way to 電子証明書発行 / 電子証明書取得.
enum LoginRoutes {
    struct LoginForm: Decodable {
        let csrf: String?
        let password: String?
        let contractId: String?
        let userId: String?
    }

    struct TokenForm: Decodable {
        let csrf: String?
    }

    static func add(to router: Router<SecureRequestContext>, portal: Portal) {
        router.get("/") { _, _ in BrowserSupport.redirect("/login") }
        router.get("/login") { request, context in
            let ended = request.uri.queryParameters["ended"].flatMap { SessionEnd(rawValue: String($0)) }
            return try await loginPage(request, context, portal: portal, info: ended.map { ShomeiError.sessionEnded($0).message(context.language) })
        }
        router.post("/login") { request, context in
            let form = try await BrowserSupport.form(request, as: LoginForm.self)
            let token = BrowserSupport.preLoginToken(request)
            guard !token.isNew, BrowserSupport.csrfMatches(form.csrf, expected: token.token) else {
                try await portal.sessions.auditRefusal(.csrfTokenInvalid, session: nil, path: "/login")
                return try await loginPage(request, context, portal: portal, error: .csrfTokenInvalid, status: .forbidden)
            }
            do {
                let admitted = try await admit(form, context, portal: portal)
                let opened = try await portal.sessions.open(for: admitted, previousToken: request.cookies[BrowserSupport.sessionCookie]?.value)
                var response = BrowserSupport.redirect("/portal/notices")
                response.setCookie(BrowserSupport.cookie(BrowserSupport.sessionCookie, opened.token))
                return response
            } catch let error as ShomeiError {
                let status: HTTPResponse.Status = ESTRoutes.status(for: error) == .unauthorized ? .unauthorized : .forbidden
                return try await loginPage(request, context, portal: portal, error: error, typed: form, status: status)
            }
        }
        router.post("/logout") { request, context in
            try await portal.withVisit(request, context) { visit in
                let form = try await BrowserSupport.form(request, as: TokenForm.self)
                if let refusal = try await portal.checkCSRF(form.csrf, visit, path: "/logout") {
                    return portal.menu(visit, context.language, refusal: refusal)
                }
                try await portal.sessions.close(visit.session)
                var response = BrowserSupport.redirect("/login?ended=loggedOut")
                response.setCookie(BrowserSupport.cookie(BrowserSupport.sessionCookie, "", maxAge: 0))
                return response
            }
        }
    }

    private static func admit(_ form: LoginForm, _ context: SecureRequestContext, portal: Portal) async throws -> AdmittedUser {
        guard let password = form.password, !password.isEmpty else {
            throw ShomeiError.formFieldMissing(ScreenText.table(context.language)["loginPassword"]!)
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
        var values: [String: Any] = ["csrf": token.token]
        var shown = error
        var title = ScreenText.table(language)["loginTitle"]!
        var status = status
        if let certificate = context.clientCertificate {
            title = ScreenText.table(language)["loginCertificateTitle"]!
            switch try await portal.registration.certificateHolder(presenting: certificate) {
            case .success(let user):
                values["certificate"] = ["contractId": user.key.contractID.rawValue, "userId": user.key.userID.rawValue, "userName": user.name]
            case .failure(let refusal):
                shown = refusal
                status = .forbidden
            }
        } else {
            values["passwordLogin"] = ["contractId": typed?.contractId ?? "", "userId": typed?.userId ?? ""]
        }
        values["error"] = shown?.message(language)
        values["info"] = info
        return BrowserSupport.withPreLoginCookie(portal.pages.response("login", title: title, language: language, values: values, status: status), token)
    }
}
