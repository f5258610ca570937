import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle
import ShomeiRA
import ShomeiRevocation

/// `shomei serve`'s applications: plain HTTP for what relying parties fetch (CA certificates,
/// CRL, OCSP), HTTPS for what customers and staff do (portal, console, EST), and optionally the
/// same pages on plain HTTP behind a TLS-terminating proxy.
/// Each set of routes lives in its own file and is handed its dependencies explicitly.
public struct ShomeiServer: Sendable {
    public let host: String
    public let port: Int
    /// The CA downloads; nil for the stand-alone responder (`shomei ocsp serve`).
    public let publication: CAPublication?
    public let crlPublisher: CRLPublisher
    public let ocspResponder: OCSPResponder
    /// Background work beside the listener: CRL and OCSP refresh always, plus what the caller
    /// adds (lifecycle notices, outbox delivery, later scheduled revocations).
    public let jobs: [ScheduledJob]
    /// The HTTPS listener; nil for the stand-alone responder.
    public let https: HTTPSListener?
    /// Who may enroll (EST on the HTTPS listener).
    public let registration: RegistrationAuthority?
    /// The customer portal on the HTTPS listener; nil serves EST alone.
    public let portal: Portal?
    /// The bank staff console (`/bank`) on the HTTPS listener.
    public let console: BankConsole?
    /// The same pages on plain HTTP for a TLS-terminating proxy; nil without one.
    public let proxied: ProxiedListener?

    public init(
        host: String, port: Int, publication: CAPublication?, crlPublisher: CRLPublisher, ocspResponder: OCSPResponder,
        jobs: [ScheduledJob] = [], https: HTTPSListener? = nil, registration: RegistrationAuthority? = nil, portal: Portal? = nil,
        console: BankConsole? = nil, proxied: ProxiedListener? = nil
    ) {
        self.console = console
        self.proxied = proxied
        self.https = https
        self.registration = registration
        self.portal = portal
        self.host = host
        self.port = port
        self.publication = publication
        self.crlPublisher = crlPublisher
        self.ocspResponder = ocspResponder
        self.jobs = [
            ScheduledJob(name: "crl-refresh", interval: .seconds(2)) { _ in try await crlPublisher.refreshIfNeeded() },
            ScheduledJob(name: "ocsp-refresh", interval: .milliseconds(500)) { _ in try await ocspResponder.refresh() },
        ] + jobs
    }

    /// The plain-HTTP listener: CA certificates, CRL and OCSP.
    public func makePublicationListener(logger: Logger) -> PublicationListener {
        PublicationListener(
            host: host, port: port,
            endpoints: PublicationEndpoints(publication: publication, crlPublisher: crlPublisher, ocspResponder: ocspResponder),
            logger: logger)
    }

    /// The customer and staff pages and EST on the HTTPS listener.
    public func makeSecureApplication(
        _ listener: HTTPSListener, publication: CAPublication, registration: RegistrationAuthority, logger: Logger
    ) throws -> some ApplicationProtocol {
        try makePagesApplication(
            host: listener.host, port: listener.port, server: .tls(.http1(), tlsConfiguration: listener.tls), proxy: nil,
            publication: publication, registration: registration, logger: logger)
    }

    /// The same on plain HTTP, for a TLS-terminating proxy that passes the client certificate.
    public func makeProxiedApplication(
        _ listener: ProxiedListener, publication: CAPublication, registration: RegistrationAuthority, logger: Logger
    ) throws -> some ApplicationProtocol {
        try makePagesApplication(
            host: listener.host, port: listener.port, server: .http1(), proxy: listener.trust,
            publication: publication, registration: registration, logger: logger)
    }

    private func makePagesApplication(
        host: String, port: Int, server: HTTPServerBuilder, proxy: ProxyTrust?, publication: CAPublication,
        registration: RegistrationAuthority, logger: Logger
    ) throws -> some ApplicationProtocol {
        let router = Router(context: SecureRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ClientCertificateMiddleware(proxy: proxy))
        router.add(middleware: LanguageMiddleware())
        PublicRoutes.add(to: router, publication: publication)
        ESTRoutes.add(to: router, publication: publication, registration: registration)
        if let portal {
            try AssetRoutes.add(to: router)
            LoginRoutes.add(to: router, portal: portal)
            PortalRoutes.add(to: router, portal: portal)
            RenewalRoutes.add(to: router, portal: portal)
            CertificateRequestRoutes.add(to: router, portal: portal)
            ApplicationRoutes.add(to: router, portal: portal)
        }
        if let console { BankConsoleRoutes.add(to: router, console: console) }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "Shomei"),
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, with the scheduled jobs beside the server.
    public func run(logger: Logger) async throws {
        try await crlPublisher.publish()
        let running = jobs.map { job in Task { await job.run(logger: logger) } }
        var services: [any Service] = [makePublicationListener(logger: logger)]
        if let publication, let registration {
            if let https {
                services.append(try makeSecureApplication(https, publication: publication, registration: registration, logger: logger))
            }
            if let proxied {
                services.append(try makeProxiedApplication(proxied, publication: publication, registration: registration, logger: logger))
            }
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let result: Result<Void, any Error>
        do { result = .success(try await group.run()) } catch { result = .failure(error) }
        // Let a job finish its current step (a mail being marked sent) before the store closes.
        running.forEach { $0.cancel() }
        for job in running { await job.value }
        try result.get()
    }
}
