import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The context of every console route behind the staff login: the live session and its active
/// staff account, typed, so a handler cannot run without one.
struct ConsoleRequestContext: ChildRequestContext, LanguageContext, CSRFGuardedContext {
    var coreContext: CoreRequestContextStorage
    let language: Language
    let session: StaffSession
    let staff: Staff

    init(context: SecureRequestContext) throws {
        guard case .staff(let session, let staff) = context.signedIn else { throw ShomeiError.sessionEnded(.loggedOut) }
        coreContext = context.coreContext
        language = context.language
        self.session = session
        self.staff = staff
    }

    func expectedCSRFToken(for request: Request) -> String? { session.csrfToken }
    var refusalActor: String { "staff:\(staff.id)" }
}

/// Resumes the staff session from its own cookie (a customer session never opens the console);
/// without a live one the browser goes to the console's login page.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = SecureRequestContext
    static let cookie = "__Host-shomei-staff"
    let staff: StaffAuthority

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[Self.cookie]?.value else { return BrowserSupport.redirect("/bank/login") }
        switch try await staff.resume(token: token) {
        case .success(let (session, staff)):
            var context = context
            context.signedIn = .staff(session, staff)
            return try await next(request, context)
        case .failure(.sessionEnded(let end)):
            return BrowserSupport.redirect("/bank/login?ended=\(end.rawValue)")
        case .failure:
            return BrowserSupport.redirect("/bank/login")
        }
    }
}
