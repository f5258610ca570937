import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// 電子証明書発行 (first issuance with the activation code) and 電子証明書取得 (re-acquisition
/// after expiry) from the login screen, for customers who cannot log in with a certificate yet.
/// The page makes the key in the browser; the script posts the CSR with the credentials, and
/// the pre-login double-submit token guards the post.
enum CertificateRequestRoutes {
    enum Kind: String, CaseIterable {
        case issue, acquire

        /// Label keys of the page (in `ScreenText`).
        var labels: (title: String, intro: String, button: String) {
            switch self {
            case .issue: ("issueTitle", "issueIntro", "issueButton")
            case .acquire: ("acquireTitle", "acquireIntro", "acquireButton")
            }
        }
    }

    static func add(to router: Router<SecureRequestContext>, portal: Portal) {
        for kind in Kind.allCases {
            router.get("/certificate/\(kind.rawValue)") { request, context in
                let token = BrowserSupport.preLoginToken(request)
                let table = ScreenText.table(context.language)
                let response = portal.pages.response(
                    "certificate-request", title: table[kind.labels.title]!, language: context.language,
                    values: [
                        "csrf": token.token,
                        "intro": table[kind.labels.intro]!,
                        "enroll": portal.enrollForm(
                            endpoint: "/certificate/\(kind.rawValue)/csr", key: nil, button: table[kind.labels.button]!,
                            credentials: true, activationCode: kind == .issue, context.language),
                        "appCommand": "shomei enroll --server \(portal.publicURL) --contract <ご契約先ID> --user <利用者ID>"
                            + (kind == .issue ? " --code <アクティベーションコード>" : "") + " --out <保存先フォルダ>",
                    ])
                return BrowserSupport.withPreLoginCookie(response, token)
            }
            router.post("/certificate/\(kind.rawValue)/csr") { request, context in
                let token = BrowserSupport.preLoginToken(request)
                guard !token.isNew, BrowserSupport.csrfMatches(request.headers[BrowserSupport.csrfHeader], expected: token.token) else {
                    try await portal.sessions.auditRefusal(.csrfTokenInvalid, session: nil, path: "/certificate/\(kind.rawValue)/csr")
                    return BrowserSupport.jsonError(.csrfTokenInvalid, context.language)
                }
                return await portal.issue(context.language) {
                    let body = try await Portal.CertificateRequestBody.decode(request)
                    let key = try body.userKey
                    let password = body.password ?? ""
                    switch kind {
                    case .issue:
                        return try await portal.registration.issueCertificate(
                            for: key, password: password, activationCode: body.activationCode ?? "", csr: try body.csrDER, medium: .pc)
                    case .acquire:
                        return try await portal.registration.reacquireCertificate(for: key, password: password, csr: try body.csrDER, medium: .pc)
                    }
                }
            }
        }
    }
}
