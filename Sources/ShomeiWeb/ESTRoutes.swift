import Hummingbird

/// Enrollment over Secure Transport (RFC 7030) under `/.well-known/est/`, on the HTTPS listener.
public enum ESTRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, publication: CAPublication) {
        router.get("/.well-known/est/cacerts") { _, _ in
            Response(
                status: .ok,
                // Base64 body; no Content-Transfer-Encoding header, which HTTP does not use (RFC 8951 §3).
                headers: [.contentType: "application/pkcs7-mime; smime-type=certs-only"],
                body: .init(byteBuffer: ByteBuffer(string: publication.estCACerts)))
        }
    }
}
