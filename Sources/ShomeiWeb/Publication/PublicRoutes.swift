import Hummingbird

/// The documents anyone may fetch without logging in (health, the CA certificates), on the
/// HTTPS listener; the plain-HTTP listener serves the same table (`PublicationEndpoints`).
public enum PublicRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, publication: CAPublication?) {
        for (path, document) in CAPublication.documents(of: publication) {
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok, headers: [.contentType: document.contentType],
                         body: .init(byteBuffer: ByteBuffer(bytes: document.body)))
            }
        }
    }
}
