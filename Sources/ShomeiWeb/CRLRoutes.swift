import Foundation
import Hummingbird
import ShomeiRevocation

/// The CRL distribution point named in every client certificate (`/crl/issuing.crl`):
/// the publisher's last signed bytes, with caching headers that end at nextUpdate.
public enum CRLRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, publisher: CRLPublisher) {
        router.get("/crl/issuing.crl") { request, _ -> Response in
            guard let crl = publisher.current else {
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "5"])
            }
            let etag = "\"\(crl.number)\""
            var headers: HTTPFields = [
                .contentType: "application/pkix-crl",
                .eTag: etag,
                .lastModified: HTTPDate.format(crl.thisUpdate),
                .expires: HTTPDate.format(crl.nextUpdate),
                .cacheControl: "public, max-age=\(max(0, Int(crl.nextUpdate.timeIntervalSinceNow))), no-transform",
            ]
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentLength] = String(crl.der.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: crl.der)))
        }
    }
}

/// IMF-fixdate (RFC 9110 §5.6.7), the only date format HTTP caches must understand.
enum HTTPDate {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
