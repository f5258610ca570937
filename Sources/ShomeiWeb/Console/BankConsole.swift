import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// What the bank staff console's routes need, passed in explicitly: staff login and sessions,
/// the RA and the desks that change state (contracts, applications, four-eyes) and the read-only
/// console queries.
public struct BankConsole: Sendable {
    let staff: StaffAuthority
    let registration: RegistrationAuthority
    let desk: ApplicationDesk
    let fourEyes: FourEyesDesk
    let queries: ConsoleQueries
    let pages: PageRenderer
    let letterhead: ActivationLetterPage.Letterhead

    /// `portalURL` and `publication` go on the activation letters: where to log in, and the
    /// fingerprint of the root the customer is asked to check.
    public init(
        staff: StaffAuthority, registration: RegistrationAuthority, desk: ApplicationDesk, fourEyes: FourEyesDesk,
        queries: ConsoleQueries, pages: PageRenderer, portalURL: String, publication: CAPublication
    ) {
        self.staff = staff
        self.registration = registration
        self.desk = desk
        self.fourEyes = fourEyes
        self.queries = queries
        self.pages = pages
        letterhead = .init(portalURL: portalURL, rootFingerprintHex: publication.rootFingerprint)
    }

    /// A console page: the frame shows the staff member and carries the session's CSRF token.
    func page(
        _ page: some PageView, title: Label, _ context: ConsoleRequestContext, error: ShomeiError? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try self.page(page, title: title.text(context.language), context, error: error, status: status)
    }

    func page(
        _ page: some PageView, title: String, _ context: ConsoleRequestContext, error: ShomeiError? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var frame = Frame(title: title, csrf: context.session.csrfToken, error: error?.message(context.language))
        frame.staff = .init(name: context.staff.name, role: context.staff.role.rawValue)
        return try pages.response(page, frame: frame, language: context.language, status: status)
    }

    /// A refusal the page that caused it does not show itself: the message and the way back.
    func refusal(_ refusal: ShomeiError, _ context: ConsoleRequestContext) throws -> Response {
        try page(RefusalPage(back: "/bank"), title: Label.consoleTitle, context, error: refusal, status: refusal.httpStatus)
    }
}
