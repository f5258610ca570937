import Hummingbird
import Logging

/// `shomei serve`'s HTTP application. Later issues add the portal, console, EST, OCSP and CRL
/// routes here; each lives in its own routes file and is handed its dependencies explicitly.
public struct ShomeiServer: Sendable {
    public let host: String
    public let port: Int
    public let publication: CAPublication

    public init(host: String, port: Int, publication: CAPublication) {
        self.host = host
        self.port = port
        self.publication = publication
    }

    public func makeApplication(logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        PublicRoutes.add(to: router, publication: publication)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Shomei"),
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM.
    public func run(logger: Logger) async throws {
        try await makeApplication(logger: logger).runService()
    }
}
