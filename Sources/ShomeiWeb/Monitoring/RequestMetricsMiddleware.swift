import Hummingbird

/// Counts every request of the HTTPS (or proxied) listener in `RequestMetrics`, outermost, so
/// it sees the status the client gets: a refusal page's, or the status of an error that no
/// inner middleware turned into a page (404 for an unknown path, counted as `other`). Hummingbird's own
/// `MetricsMiddleware` reports to the process-wide `MetricsSystem` and labels by path; this
/// one writes to the server's own registry, by route class.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let routeClass = RequestMetrics.RouteClass(path: request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.record(routeClass, status: response.status.code, after: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(routeClass, status: status, after: ContinuousClock.now - started)
            throw error
        }
    }
}
