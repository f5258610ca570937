import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// 電子証明書発行 (first issuance with the activation code) and 電子証明書取得 (re-acquisition
/// after expiry) from the login screen, for customers who cannot log in with a certificate yet.
/// The page makes the key in the browser; the script posts the CSR with the credentials, and
/// the pre-login double-submit token guards the post (`CSRFMiddleware` on the group).
enum CertificateRequestRoutes {
    enum Kind: String, CaseIterable {
        case issue, acquire

        /// The page's title, introduction and button.
        var labels: (title: Label, intro: Label, button: Label) {
            switch self {
            case .issue: (Label.issueTitle, Label.issueIntro, Label.issueButton)
            case .acquire: (Label.acquireTitle, Label.acquireIntro, Label.acquireButton)
            }
        }
    }

    static func add(to group: RouterGroup<SecureRequestContext>, portal: Portal) {
        for kind in Kind.allCases {
            group.get("/certificate/\(kind.rawValue)") { request, context in
                let token = BrowserSupport.preLoginToken(request)
                let l = context.language
                let page = CertificateRequestPage(
                    intro: kind.labels.intro.text(l),
                    enroll: portal.enrollForm(
                        endpoint: "/certificate/\(kind.rawValue)/csr", key: nil, button: kind.labels.button, credentials: true,
                        activationCode: kind == .issue, l),
                    appCommand: "shomei enroll --server \(portal.publicURL) --contract <ご契約先ID> --user <利用者ID>"
                        + (kind == .issue ? " --code <アクティベーションコード>" : "") + " --out <保存先フォルダ>")
                let frame = Frame(title: kind.labels.title.text(l), csrf: token.token)
                return BrowserSupport.withPreLoginCookie(try portal.pages.response(page, frame: frame, language: l), token)
            }
            group.post("/certificate/\(kind.rawValue)/csr") { request, context in
                try await portal.issue(context.language) {
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
