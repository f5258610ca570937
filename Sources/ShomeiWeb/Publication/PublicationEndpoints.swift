import Foundation
import NIOCore
import NIOHTTP1
import ShomeiRevocation

/// What relying parties fetch over plain HTTP without logging in: the CA certificates, the CRL at
/// the distribution point (`/crl/issuing.crl`) and the OCSP responder at the AIA URL (`/ocsp`:
/// POST with `application/ocsp-request`, or GET with the base64 request as the rest of the path,
/// RFC 6960 Appendix A.1); and what monitoring asks (`/health`, `/health/live`, `/health/ready`,
/// `/metrics`, see `Monitoring`).
///
/// A cached OCSP answer or a fixed document is answered at once, on the connection's event loop;
/// only an OCSP request that needs the store or a signature is answered later.
package struct PublicationEndpoints: Sendable {
    enum Answer: Sendable {
        case now(PublicationResponse)
        case later(@Sendable () async -> PublicationResponse)
    }

    /// An OCSP request is a few hundred bytes; a body near this is not one.
    static let maximumBodySize = 8 * 1024
    static let crlPath = "/crl/issuing.crl"

    /// The fixed documents, their responses built once.
    let documents: [String: PublicationResponse]
    let crlPublisher: CRLPublisher
    let ocspResponder: OCSPResponder
    let keptOCSPAnswers = KeptOCSPAnswers()
    let monitoring: Monitoring

    init(publication: CAPublication?, crlPublisher: CRLPublisher, ocspResponder: OCSPResponder, monitoring: Monitoring) {
        documents = CAPublication.documents(of: publication).mapValues(PublicationResponse.init)
        self.crlPublisher = crlPublisher
        self.ocspResponder = ocspResponder
        self.monitoring = monitoring
    }

    /// The answer to one request, counted in `RequestMetrics` when it is ready.
    func answer(_ head: HTTPRequestHead, body: ByteBuffer?) -> Answer {
        // Searched as bytes: a Character search walks graphemes and cost a tenth of a cached answer.
        let path = head.uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(head.uri[..<$0]) } ?? head.uri
        let (started, routeClass, metrics) = (ContinuousClock.now, RequestMetrics.RouteClass(path: path), monitoring.requests)
        switch answer(head, path: path, body: body) {
        case .now(let response):
            metrics.record(routeClass, status: Int(response.status.code), after: ContinuousClock.now - started)
            return .now(response)
        case .later(let work):
            return .later {
                let response = await work()
                metrics.record(routeClass, status: Int(response.status.code), after: ContinuousClock.now - started)
                return response
            }
        }
    }

    private func answer(_ head: HTTPRequestHead, path: String, body: ByteBuffer?) -> Answer {
        let reads = head.method == .GET || head.method == .HEAD
        if head.method == .GET && path.hasPrefix("/ocsp/") { return ocspGET(path: path) }
        if head.method == .POST && path == "/ocsp" {
            return ocspPOST(contentType: head.headers.first(name: "Content-Type"), body: body)
        }
        if reads && path == Self.crlPath { return .now(crl(ifNoneMatch: head.headers[canonicalForm: "If-None-Match"])) }
        if head.method == .GET && path == "/health/ready" { return .later { [monitoring] in await Self.readiness(monitoring) } }
        if head.method == .GET && path == "/metrics" { return .later { [monitoring] in await Self.metrics(monitoring) } }
        if reads, let document = documents[path] { return .now(document) }
        guard let allowed = allowedMethods(path) else { return .now(.plain(.notFound, "Not found")) }
        var refusal = PublicationResponse.plain(.methodNotAllowed, "Method not allowed; this path takes \(allowed)")
        refusal.headers.append(("Allow", allowed))
        return .now(refusal)
    }

    /// The `Allow` header of a 405 (RFC 9110 §15.5.6); nil for a path that is not served.
    private func allowedMethods(_ path: String) -> String? {
        if path == "/ocsp" { return "POST" }
        if path.hasPrefix("/ocsp/") || path == "/health/ready" || path == "/metrics" { return "GET" }
        return path == Self.crlPath || documents[path] != nil ? "GET, HEAD" : nil
    }

    private func ocspPOST(contentType: String?, body: ByteBuffer?) -> Answer {
        guard contentType?.lowercased().hasPrefix("application/ocsp-request") == true else {
            return .now(.plain(.unsupportedMediaType, "Content-Type must be application/ocsp-request"))
        }
        let request = body.map { Array(buffer: $0) } ?? []
        let (responder, metrics) = (ocspResponder, monitoring.requests)
        return .later {
            let answer = await responder.answer(to: request)
            metrics.record(answer.status, from: answer.source)
            return Self.ocsp(answer.der, cacheable: false)
        }
    }

    private func ocspGET(path: String) -> Answer {
        let metrics = monitoring.requests
        if let kept = keptOCSPAnswers.response(for: path, responder: ocspResponder) {
            metrics.record(kept.status, from: .frontCache)
            return .now(kept.response)
        }
        let encoded = path.dropFirst("/ocsp/".count)
        guard encoded.utf8.count <= Self.maximumBodySize * 2, let request = Self.decodeBase64Path(encoded) else {
            return .now(.plain(.badRequest, "The path is not a base64-encoded OCSP request"))
        }
        let (responder, kept) = (ocspResponder, keptOCSPAnswers)
        return .later {
            let answer = await responder.answer(to: request)
            metrics.record(answer.status, from: answer.source)
            let response = Self.ocsp(answer.der, cacheable: true)
            kept.keep(response, answering: answer, for: path, responder: responder)
            return response
        }
    }

    /// Percent-decoding first (clients escape `+`, `/`, `=`), then standard base64.
    package static func decodeBase64Path(_ path: Substring) -> [UInt8]? {
        guard let unescaped = path.removingPercentEncoding, let data = Data(base64Encoded: unescaped) else { return nil }
        return Array(data)
    }

    /// GET answers may be kept by HTTP caches for a minute (RFC 5019 §6): long enough to absorb
    /// a burst, short enough that a revocation is seen everywhere soon after it is made.
    private static func ocsp(_ der: [UInt8], cacheable: Bool) -> PublicationResponse {
        PublicationResponse(
            status: .ok,
            headers: [
                ("Content-Type", "application/ocsp-response"),
                ("Cache-Control", cacheable ? "public, max-age=60, no-transform" : "no-store"),
            ],
            body: ByteBuffer(bytes: der))
    }

    /// 200 "ready", or 503 with each reason on its own line (a load balancer reads the status).
    private static func readiness(_ monitoring: Monitoring) async -> PublicationResponse {
        let reasons = await monitoring.unreadiness(at: Date())
        var response = PublicationResponse.plain(
            reasons.isEmpty ? .ok : .serviceUnavailable, reasons.isEmpty ? "ready" : "not ready: " + reasons.joined(separator: "\n"))
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    private static func metrics(_ monitoring: Monitoring) async -> PublicationResponse {
        PublicationResponse(
            status: .ok,
            headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Cache-Control", "no-store")],
            body: ByteBuffer(bytes: await monitoring.exposition(at: Date())))
    }

    /// The publisher's last signed bytes (a request never signs), cacheable until nextUpdate.
    private func crl(ifNoneMatch: [Substring]) -> PublicationResponse {
        guard let crl = crlPublisher.current else {
            return PublicationResponse(status: .serviceUnavailable, headers: [("Retry-After", "5")])
        }
        let etag = "\"\(crl.number)\""
        let headers = [
            ("Content-Type", "application/pkix-crl"),
            ("ETag", etag),
            ("Last-Modified", HTTPDate.format(crl.thisUpdate)),
            ("Expires", HTTPDate.format(crl.nextUpdate)),
            ("Cache-Control", "public, max-age=\(max(0, Int(crl.nextUpdate.timeIntervalSinceNow))), no-transform"),
        ]
        let matches = ifNoneMatch.contains { $0 == "*" || $0 == etag || $0 == "W/\(etag)" }
        if matches { return PublicationResponse(status: .notModified, headers: headers) }
        return PublicationResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: crl.der))
    }
}
