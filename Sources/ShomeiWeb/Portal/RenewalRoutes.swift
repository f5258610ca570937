import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// Renewal in the portal (seeds 001–003): 更新通知 (今すぐ更新する / 後で更新する) →
/// 電子証明書の更新前処理中 → 更新開始 with the choice パソコンに保存する / 専用USBに保存する →
/// 発行完了. The key is made in the browser (`enroll.js`); only the CSR comes here.
enum RenewalRoutes {
    static func add(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.get("/portal/renewal") { _, context in
            try inWindow(context, portal) { certificate in
                try portal.page(RenewalPage(notice: Message.renewalNotice(notAfter: certificate.notAfter).text(context.language)),
                                title: Label.renewalTitle.text(context.language), context)
            }
        }
        group.post("/portal/renewal/later") { _, context in
            try await portal.sessions.postponeRenewal(context.visit.session)
            return BrowserSupport.redirect("/portal/menu")
        }
        group.get("/portal/renewal/start") { _, context in
            try inWindow(context, portal) { _ in
                try portal.page(RenewalStartPage(steps: .starting), title: Label.stepStart.text(context.language), context)
            }
        }
        group.get("/portal/renewal/pc") { _, context in
            try inWindow(context, portal) { _ in
                let form = portal.enrollForm(
                    endpoint: "/portal/renewal/csr", key: context.visit.user.key, button: Label.renewButton, credentials: false,
                    activationCode: false, context.language)
                return try portal.page(RenewalPCPage(steps: .starting, enroll: form), title: Label.saveToPC.text(context.language), context)
            }
        }
        group.get("/portal/renewal/usb") { _, context in
            try inWindow(context, portal) { _ in
                try portal.page(
                    RenewalUSBPage(steps: .starting, appCommand: "shomei renew --server \(portal.publicURL) --cert <証明書フォルダ> --token \"pkcs11:token=<専用USBの名前>\" --pkcs11-module <専用USBのモジュール>"),
                    title: Label.saveToUSB.text(context.language), context)
            }
        }
        group.post("/portal/renewal/csr") { request, context in
            try await portal.issue(context.language) {
                guard let serial = context.visit.session.certificateSerial else { throw ShomeiError.clientCertificateRequired }
                let body = try await Portal.CertificateRequestBody.decode(request)
                return try await portal.registration.renewCertificate(presenting: serial, csr: try body.csrDER, medium: .pc)
            }
        }
    }

    /// The renewal pages exist only while renewal is possible; otherwise back to the menu.
    private static func inWindow(
        _ context: PortalRequestContext, _ portal: Portal, _ body: (CertificateRecord) throws -> Response
    ) throws -> Response {
        guard PortalRoutes.canRenew(context.visit), let certificate = context.visit.status.certificate else {
            return try portal.menu(context, refusal: .renewalNotAllowed(context.visit.status.state))
        }
        return try body(certificate)
    }
}
