import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ShomeiDomain

/// A request context that knows the visitor's language, so a refusal can be worded in it.
protocol LanguageContext: RequestContext {
    var language: Language { get }
}

/// Turns what a route group's handlers throw into the group's answer, the same way everywhere:
/// a `ShomeiError` gets its status (`httpStatus`) and its message in the visitor's language, in
/// the surface's own form (a page, JSON for the page script, plain text for EST); anything else
/// is a 500 with a general message (`ShomeiError.internalError`) and a log line with the
/// details — never a made-up reason, never an empty body.
struct RefusalMiddleware<Context: LanguageContext>: RouterMiddleware {
    /// The surface's answer to a refusal.
    let render: @Sendable (ShomeiError, Request, Context) async throws -> Response

    /// What a 503 tells clients to wait before trying again: about the time a database restart takes.
    static var retryAfterSeconds: Int { 30 }

    /// For pages that also serve the page script: JSON to the script, `page` to the browser.
    static func pages(_ page: @escaping @Sendable (ShomeiError, Request, Context) async throws -> Response) -> Self {
        Self { refusal, request, context in
            request.isScriptRequest ? BrowserSupport.jsonError(refusal, context.language) : try await page(refusal, request, context)
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let refusal: ShomeiError
        do {
            return try await next(request, context)
        } catch let error as ShomeiError {
            refusal = error
        } catch let error as HTTPResponseError {
            throw error
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            refusal = .internalError
        }
        var response = try await render(refusal, request, context)
        if refusal == .serviceUnavailable { response.headers[.retryAfter] = String(Self.retryAfterSeconds) }
        return response
    }
}

extension Request {
    /// Sent by the page script (`enroll.js`), which wants JSON back, not a page.
    var isScriptRequest: Bool {
        headers[BrowserSupport.csrfHeader] != nil || headers[.contentType]?.lowercased().hasPrefix("application/json") == true
    }
}
