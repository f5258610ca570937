import Hummingbird
import ShomeiDomain
import ShomeiRA

/// A context whose forms and scripts carry a CSRF token: the session's, or before login the
/// pre-login cookie's (double submit).
protocol CSRFGuardedContext: RequestContext {
    /// The token this request must send back; nil when none was handed out yet.
    func expectedCSRFToken(for request: Request) -> String?
    /// Who a refusal is audited as.
    var refusalActor: String { get }
}

/// Every state-changing request (POST) of a guarded group must send the token back, in the
/// `X-CSRF-Token` header (page script) or the form's `csrf` field; a missing or wrong one is
/// refused with `csrfTokenInvalid` and audited (`RefusedRequests`), the same on every surface.
/// Cookies are also SameSite=Strict; this is the second, independent guard.
struct CSRFMiddleware<Context: CSRFGuardedContext>: RouterMiddleware {
    let refusals: RefusedRequests

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let sent = try await Self.sentToken(&request)
        guard BrowserSupport.csrfMatches(sent, expected: context.expectedCSRFToken(for: request)) else {
            try await refusals.record(.csrfTokenInvalid, actor: context.refusalActor, path: request.uri.path)
            throw ShomeiError.csrfTokenInvalid
        }
        return try await next(request, context)
    }

    /// The header, or the form field; reading the form keeps its body for the handler.
    private static func sentToken(_ request: inout Request) async throws -> String? {
        if let header = request.headers[BrowserSupport.csrfHeader] { return header }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        // A body that is not valid form encoding is refused as such (400) before anything else.
        return try FormFields.parse(try await BrowserSupport.collect(&request, upTo: BrowserSupport.maximumFormSize))["csrf"]
    }
}

/// Before login the token is the pre-login cookie's, and a refusal is anonymous.
extension SecureRequestContext: CSRFGuardedContext {
    func expectedCSRFToken(for request: Request) -> String? {
        let token = BrowserSupport.preLoginToken(request)
        return token.isNew ? nil : token.token
    }

    var refusalActor: String { "anonymous" }
}
