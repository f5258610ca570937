import HTTPTypes
import Hummingbird
import ShomeiAPI
import ShomeiDomain

/// A path no route serves. Hummingbird answers it with an empty 404 (`HTTPError(.notFound)`
/// from its not-found responder, which the router's own middleware wraps); here it becomes the
/// surface's refusal like any other: under the bank API problem+json — 405 with `Allow` for a
/// path the document lists with other methods, 404 naming the operation otherwise — and the
/// "page not found" page (via `RefusalMiddleware`, outside this one) everywhere else.
struct UnknownPathMiddleware<Context: RequestContext>: RouterMiddleware {
    /// How much of an unknown path the problem repeats.
    static var shownPathLength: Int { 200 }

    let apiOperations: APIOperations

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard path == BankAPIRoutes.pathPrefix || path.hasPrefix(BankAPIRoutes.pathPrefix + "/") else { throw ShomeiError.pageNotFound }
            let language = Language(acceptLanguage: request.headers[.acceptLanguage])
            let shown = String(path.prefix(Self.shownPathLength))
            let allowed = apiOperations.methods(at: path).map(\.rawValue)
            guard !allowed.isEmpty else {
                return ProblemDetails(.apiOperationNotFound(method: request.method.rawValue, path: shown), language).response(language)
            }
            var response = ProblemDetails(.apiMethodNotAllowed(method: request.method.rawValue, path: shown, allowed: allowed), language)
                .response(language)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
