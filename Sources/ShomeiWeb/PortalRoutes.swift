import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The logged-in customer's pages: 重要なお知らせ (where login lands), メインメニュー and the
/// certificate page.
enum PortalRoutes {
    static func add(to router: Router<SecureRequestContext>, portal: Portal) {
        router.get("/portal/notices") { request, context in
            try await portal.withVisit(request, context) { visit in
                let notices = importantNotices(visit, context.language)
                return portal.page("notices", title: label("noticesTitle", context), visit, context.language,
                                   ["notices": notices, "hasNotices": !notices.isEmpty])
            }
        }
        router.get("/portal/menu") { request, context in
            try await portal.withVisit(request, context) { visit in
                portal.menu(visit, context.language)
            }
        }
        router.get("/portal/certificate") { request, context in
            try await portal.withVisit(request, context) { visit in
                portal.page("certificate", title: label("certificateInfo", context), visit, context.language, [
                    "record": visit.status.certificate.map { describe($0, state: visit.status.state, context.language) } as Any,
                    "canRenew": canRenew(visit),
                ])
            }
        }
    }

    static func label(_ key: String, _ context: SecureRequestContext) -> String {
        ScreenText.table(context.language)[key] ?? key
    }

    /// 証明書更新 is offered to a certificate session in the renewal window (seed 002).
    static func canRenew(_ visit: PortalVisit) -> Bool {
        visit.session.certificateSerial != nil && visit.status.actions.contains(.renewNow)
    }

    /// The notices derived from the user's situation; the renewal notice appears from the
    /// first day of the renewal window until the certificate is renewed (seed 002).
    static func importantNotices(_ visit: PortalVisit, _ language: Language) -> [[String: Any]] {
        guard canRenew(visit), let certificate = visit.status.certificate, let opens = visit.status.renewalOpensAt else { return [] }
        let table = ScreenText.table(language)
        return [[
            "id": "renewal-notice",
            "date": TokyoTime.formatDateForCustomer(opens, language),
            "subject": table["renewalNoticeSubject"]!,
            "body": Message.renewalNotice(notAfter: certificate.notAfter).text(language),
            "link": ["href": "/portal/renewal", "text": table["renewalLink"]!],
        ]]
    }

    static func describe(_ record: CertificateRecord, state: LifecycleStatus.State, _ language: Language) -> [String: Any] {
        [
            "serial": record.serial.uppercased(),
            "subject": record.subject,
            "notBefore": TokyoTime.formatForCustomer(record.notBefore, language),
            "notAfter": TokyoTime.formatForCustomer(record.notAfter, language),
            "medium": Message.mediumLabel(record.medium).text(language),
            "state": Message.lifecycleStateLabel(state).text(language),
        ]
    }
}
