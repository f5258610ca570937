import Hummingbird
import NIOCore
import NIOSSL
import ShomeiDomain
import X509

/// The request context of the HTTPS listener: the client certificate, when the client sent one.
/// NIOSSL has already checked that it chains to our issuing CA; whether it is the user's current,
/// unrevoked, unexpired certificate is for the registration authority to decide.
public struct SecureRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    public var clientCertificate: Certificate?
    /// The browser pages' language (`LanguageMiddleware`); Japanese unless the visitor chose English.
    public var language: Language = .japanese

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Reads the TLS peer certificate into the context before the routes run.
struct ClientCertificateMiddleware: RouterMiddleware {
    typealias Context = SecureRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let peer = try await context.channel.nioSSL_peerCertificate().get() {
            context.clientCertificate = try Certificate(derEncoded: try peer.toDERBytes())
        }
        return try await next(request, context)
    }
}
