import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// Renewal in the portal (seeds 001–003): 更新通知 (今すぐ更新する / 後で更新する) →
/// 電子証明書の更新前処理中 → 更新開始 with the choice パソコンに保存する / 専用USBに保存する →
/// 発行完了. The key is made in the browser (`enroll.js`); only the CSR comes here.
enum RenewalRoutes {
    static func add(to router: Router<SecureRequestContext>, portal: Portal) {
        router.get("/portal/renewal") { request, context in
            try await inWindow(request, context, portal) { visit in
                portal.page("renewal", title: PortalRoutes.label("renewalTitle", context), visit, context.language, [
                    "notice": Message.renewalNotice(notAfter: visit.status.certificate!.notAfter).text(context.language),
                ])
            }
        }
        router.post("/portal/renewal/later") { request, context in
            try await portal.withVisit(request, context) { visit in
                let form = try await BrowserSupport.form(request, as: LoginRoutes.TokenForm.self)
                if let refusal = try await portal.checkCSRF(form.csrf, visit, path: "/portal/renewal/later") {
                    return portal.menu(visit, context.language, refusal: refusal)
                }
                try await portal.sessions.postponeRenewal(visit.session)
                return BrowserSupport.redirect("/portal/menu")
            }
        }
        router.get("/portal/renewal/start") { request, context in
            try await inWindow(request, context, portal) { visit in
                portal.page("renewal-start", title: PortalRoutes.label("stepStart", context), visit, context.language,
                            ["steps": ["preparing": "finished", "start": "current"]])
            }
        }
        router.get("/portal/renewal/pc") { request, context in
            try await inWindow(request, context, portal) { visit in
                portal.page("renewal-pc", title: PortalRoutes.label("saveToPC", context), visit, context.language, [
                    "steps": ["preparing": "finished", "start": "current"],
                    "enroll": portal.enrollForm(
                        endpoint: "/portal/renewal/csr", key: visit.user.key, button: PortalRoutes.label("renewButton", context),
                        credentials: false, activationCode: false, context.language),
                ])
            }
        }
        router.get("/portal/renewal/usb") { request, context in
            try await inWindow(request, context, portal) { visit in
                portal.page("renewal-usb", title: PortalRoutes.label("saveToUSB", context), visit, context.language, [
                    "steps": ["preparing": "finished", "start": "current"],
                    "appCommand": "shomei renew --server \(portal.publicURL) --cert <証明書フォルダ> --medium usb",
                ])
            }
        }
        router.post("/portal/renewal/csr") { request, context in
            switch try await portal.visit(request, context) {
            case .failure(let ended):
                return BrowserSupport.jsonError(ended, context.language)
            case .success(let visit):
                if let refusal = try await portal.checkCSRF(request.headers[BrowserSupport.csrfHeader], visit, path: "/portal/renewal/csr") {
                    return BrowserSupport.jsonError(refusal, context.language)
                }
                return await portal.issue(context.language) {
                    guard let serial = visit.session.certificateSerial else { throw ShomeiError.clientCertificateRequired }
                    let body = try await Portal.CertificateRequestBody.decode(request)
                    return try await portal.registration.renewCertificate(presenting: serial, csr: try body.csrDER, medium: .pc)
                }
            }
        }
    }

    /// The renewal pages exist only while renewal is possible; otherwise back to the menu.
    private static func inWindow(
        _ request: Request, _ context: SecureRequestContext, _ portal: Portal, _ body: (PortalVisit) async throws -> Response
    ) async throws -> Response {
        try await portal.withVisit(request, context) { visit in
            guard PortalRoutes.canRenew(visit) else {
                return portal.menu(visit, context.language, refusal: .renewalNotAllowed(visit.status.state))
            }
            return try await body(visit)
        }
    }
}
