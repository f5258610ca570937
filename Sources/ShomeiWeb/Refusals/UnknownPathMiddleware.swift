import HTTPTypes
import Hummingbird
import ShomeiAPI
import ShomeiDomain

/// A path no route serves. Hummingbird answers it with an empty 404 (`HTTPError(.notFound)`
/// from its not-found responder, which the router's own middleware wraps); here it becomes the
/// surface's refusal like any other: problem+json naming the operation under the bank API, the
/// "page not found" page (via `RefusalMiddleware`, outside this one) everywhere else.
struct UnknownPathMiddleware<Context: RequestContext>: RouterMiddleware {
    /// How much of an unknown path the problem repeats.
    static var shownPathLength: Int { 200 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard path == BankAPIRoutes.pathPrefix || path.hasPrefix(BankAPIRoutes.pathPrefix + "/") else { throw ShomeiError.pageNotFound }
            let language = Language(acceptLanguage: request.headers[.acceptLanguage])
            let refusal = ShomeiError.apiOperationNotFound(method: request.method.rawValue, path: String(path.prefix(Self.shownPathLength)))
            return ProblemDetails(refusal, language).response(language)
        }
    }
}
