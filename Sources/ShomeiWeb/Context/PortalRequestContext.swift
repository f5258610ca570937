import Hummingbird
import ShomeiDomain
import ShomeiRA
import X509

/// The context of every route behind the customer's login: the live session, its user and their
/// certificate situation (`PortalVisit`), typed, so a handler cannot run without one.
struct PortalRequestContext: ChildRequestContext, LanguageContext, CSRFGuardedContext {
    var coreContext: CoreRequestContextStorage
    let clientCertificate: Certificate?
    let language: Language
    let visit: PortalVisit

    init(context: SecureRequestContext) throws {
        guard case .customer(let visit) = context.signedIn else { throw ShomeiError.sessionEnded(.loggedOut) }
        coreContext = context.coreContext
        clientCertificate = context.clientCertificate
        language = context.language
        self.visit = visit
    }

    func expectedCSRFToken(for request: Request) -> String? { visit.session.csrfToken }
    var refusalActor: String { "user:\(visit.user.key)" }
}

/// Resumes the customer's session from its cookie before a portal route runs; without a live
/// one the browser goes to the login page, which says why (the page script gets JSON).
struct PortalSessionMiddleware: RouterMiddleware {
    typealias Context = SecureRequestContext
    let sessions: PortalSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let found: Result<PortalVisit, ShomeiError> = if let token = request.cookies[BrowserSupport.sessionCookie]?.value {
            try await sessions.resume(token: token, presenting: context.clientCertificate)
        } else {
            .failure(.sessionEnded(.loggedOut))
        }
        switch found {
        case .success(let visit):
            var context = context
            context.signedIn = .customer(visit)
            return try await next(request, context)
        case .failure(let refusal) where request.isScriptRequest:
            return BrowserSupport.jsonError(refusal, context.language)
        case .failure(.sessionEnded(let end)):
            return BrowserSupport.redirect("/login?ended=\(end.rawValue)")
        case .failure:
            return BrowserSupport.redirect("/login")
        }
    }
}
