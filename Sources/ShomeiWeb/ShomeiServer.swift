import Hummingbird
import Logging
import ShomeiRevocation

/// `shomei serve`'s HTTP application. Later issues add the portal, console, EST and API routes
/// here; each lives in its own routes file and is handed its dependencies explicitly.
public struct ShomeiServer: Sendable {
    public let host: String
    public let port: Int
    /// The CA downloads; nil for the stand-alone responder (`shomei ocsp serve`).
    public let publication: CAPublication?
    public let crlPublisher: CRLPublisher
    public let ocspResponder: OCSPResponder

    public init(host: String, port: Int, publication: CAPublication?, crlPublisher: CRLPublisher, ocspResponder: OCSPResponder) {
        self.host = host
        self.port = port
        self.publication = publication
        self.crlPublisher = crlPublisher
        self.ocspResponder = ocspResponder
    }

    public func makeApplication(logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        PublicRoutes.add(to: router, publication: publication)
        CRLRoutes.add(to: router, publisher: crlPublisher)
        OCSPRoutes.add(to: router, responder: ocspResponder)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Shomei"),
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, with the CRL and OCSP refresh loops beside the server.
    public func run(logger: Logger) async throws {
        try await crlPublisher.publish()
        let refreshers = [
            Task { [crlPublisher] in await crlPublisher.run { logger.error("CRL refresh failed: \($0)") } },
            Task { [ocspResponder] in await ocspResponder.run { logger.error("OCSP refresh failed: \($0)") } },
        ]
        defer { refreshers.forEach { $0.cancel() } }
        try await makeApplication(logger: logger).runService()
    }
}
