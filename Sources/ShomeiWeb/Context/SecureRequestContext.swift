import Hummingbird
import NIOCore
import NIOSSL
import ShomeiDomain
import ShomeiRA
import X509

/// The request context of the pages listeners (HTTPS, or plain HTTP behind a trusted proxy):
/// the client certificate, when the client sent one, and the visitor's language. NIOSSL (or the
/// proxy) has already checked that the certificate chains to our issuing CA; whether it is the
/// user's current, unrevoked, unexpired certificate is for the registration authority to decide.
///
/// Route groups that need a session narrow it to `PortalRequestContext` or
/// `ConsoleRequestContext`, whose session middleware puts the session in `signedIn` first.
public struct SecureRequestContext: LanguageContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    public var clientCertificate: Certificate?
    /// The browser pages' language (`LanguageMiddleware`); Japanese unless the visitor chose English.
    public var language: Language = .japanese
    /// Whose live session the group's session middleware found (nil outside those groups).
    var signedIn: SignedIn?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// A live session found by a group's session middleware.
enum SignedIn: Sendable {
    case customer(PortalVisit)
    case staff(StaffSession, Staff)
}

/// Puts the client certificate into the context before the routes run: the TLS peer certificate
/// on the HTTPS listener, or the one a trusted proxy passes on the proxied listener; and the
/// client's address into `RequestOrigin` for the audit entries the request makes.
struct ClientCertificateMiddleware: RouterMiddleware {
    typealias Context = SecureRequestContext
    /// nil: Shomei terminates TLS itself.
    let proxy: ProxyTrust?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let proxy {
            do {
                context.clientCertificate = try proxy.certificate(from: context.channel.remoteAddress, headers: request.headers)
            } catch .untrustedPeer(let address) {
                context.logger.warning("proxied listener: request from \(address), not a trusted proxy address")
                return Self.refusal(.forbidden, "This port accepts requests from the bank's proxy only.")
            } catch .unreadableCertificateHeader {
                return Self.refusal(.badRequest, "The proxy's client certificate header is not a URL-encoded PEM certificate.")
            }
        } else if let peer = try await context.channel.nioSSL_peerCertificate().get() {
            context.clientCertificate = try Certificate(derEncoded: try peer.toDERBytes())
        }
        let peer = context.channel.remoteAddress
        let address = proxy.map { $0.clientAddress(peer: peer, headers: request.headers) } ?? ProxyTrust.address(of: peer)
        return try await RequestOrigin.$clientAddress.withValue(address) { try await next(request, context) }
    }

    /// For a misconfigured or hostile caller, not a customer: plain text.
    private static func refusal(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
