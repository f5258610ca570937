import Foundation
import Hummingbird
import ShomeiRevocation

/// The OCSP responder at the AIA URL (`/ocsp`): POST with `application/ocsp-request`, and
/// GET with the base64 request as the last path segment (RFC 6960 Appendix A.1).
public enum OCSPRoutes {
    /// An OCSP request is a few hundred bytes; anything near this is not one.
    static let maximumRequestSize = 8 * 1024

    public static func add<Context: RequestContext>(to router: Router<Context>, responder: OCSPResponder) {
        router.post("/ocsp") { request, _ -> Response in
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/ocsp-request") == true else {
                return plain(.unsupportedMediaType, "Content-Type must be application/ocsp-request\n")
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maximumRequestSize)
            } catch {
                return plain(.contentTooLarge, "OCSP requests are limited to \(maximumRequestSize) bytes\n")
            }
            return ocsp(await responder.respond(to: Array(buffer: body)))
        }
        router.get("/ocsp/**") { request, context -> Response in
            let encoded = context.parameters.getCatchAll().joined(separator: "/")
            guard encoded.utf8.count <= maximumRequestSize * 2, let der = decodeBase64Path(encoded) else {
                return plain(.badRequest, "The path is not a base64-encoded OCSP request\n")
            }
            return ocsp(await responder.respond(to: der), cacheable: true)
        }
    }

    /// Percent-decoding first (clients escape `+`, `/`, `=`), then standard base64.
    static func decodeBase64Path(_ path: String) -> [UInt8]? {
        guard let unescaped = path.removingPercentEncoding, let data = Data(base64Encoded: unescaped) else { return nil }
        return Array(data)
    }

    private static func ocsp(_ der: [UInt8], cacheable: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "application/ocsp-response", .contentLength: String(der.count)]
        headers[.cacheControl] = cacheable ? "public, max-age=60, no-transform" : "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: der)))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
