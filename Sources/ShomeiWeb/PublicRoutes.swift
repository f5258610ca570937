import Hummingbird

/// Endpoints anyone may call without logging in: health and the CA certificates
/// (the AIA caIssuers URL in every client certificate points at `/ca/issuing.der`).
public enum PublicRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, publication: CAPublication?) {
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        guard let publication else { return }
        router.get("/ca/root.pem") { _, _ in pem(publication.rootPEM) }
        router.get("/ca/issuing.pem") { _, _ in pem(publication.issuingPEM) }
        router.get("/ca/issuing.der") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/pkix-cert"],
                     body: .init(byteBuffer: ByteBuffer(bytes: publication.issuingDER)))
        }
    }

    private static func pem(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/x-pem-file"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
