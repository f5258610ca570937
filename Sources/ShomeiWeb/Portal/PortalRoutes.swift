import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The logged-in customer's pages: 重要なお知らせ (where login lands), メインメニュー and the
/// certificate page.
enum PortalRoutes {
    static func add(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.get("/portal/notices") { _, context in
            let l = context.language
            let administered = try await portal.queries.administrationNotices(for: context.visit.user).map { notice in
                NoticesPage.Notice(
                    id: "administered-\(notice.sequence)", date: TokyoTime.formatDateForCustomer(notice.time, l),
                    subject: Message.administrationNoticeSubject(notice.action).text(l),
                    body: Message.administrationNoticeBody(
                        notice.action, target: notice.targetName, actor: notice.actorName, time: notice.time, address: notice.address).text(l),
                    link: nil)
            }
            return try portal.page(NoticesPage(notices: importantNotices(context.visit, l) + administered), title: Label.noticesTitle.text(l), context)
        }
        group.get("/portal/menu") { _, context in
            try portal.menu(context)
        }
        group.get("/portal/certificate") { _, context in
            let status = context.visit.status
            return try portal.page(
                CertificatePage(record: status.certificate.map { CertificateFacts($0, state: status.state, context.language) },
                                canRenew: canRenew(context.visit)),
                title: Label.certificateInfo.text(context.language), context)
        }
    }

    /// 証明書更新 is offered to a certificate session in the renewal window (seed 002).
    static func canRenew(_ visit: PortalVisit) -> Bool {
        visit.session.certificateSerial != nil && visit.status.actions.contains(.renewNow)
    }

    /// The notices derived from the user's situation; the renewal notice appears from the
    /// first day of the renewal window until the certificate is renewed (seed 002).
    static func importantNotices(_ visit: PortalVisit, _ language: Language) -> [NoticesPage.Notice] {
        guard canRenew(visit), let certificate = visit.status.certificate, let opens = visit.status.renewalOpensAt else { return [] }
        return [.init(
            id: "renewal-notice", date: TokyoTime.formatDateForCustomer(opens, language),
            subject: Label.renewalNoticeSubject.text(language), body: Message.renewalNotice(notAfter: certificate.notAfter).text(language),
            link: .init(href: "/portal/renewal", text: Label.renewalLink.text(language)))]
    }
}
