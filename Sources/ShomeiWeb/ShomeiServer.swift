import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Prometheus
import ServiceLifecycle
import ShomeiAPI
import ShomeiDomain
import ShomeiRA
import ShomeiRevocation

/// `shomei serve`'s applications: plain HTTP for what relying parties fetch (CA certificates,
/// CRL, OCSP), HTTPS for what customers and staff do (portal, console, EST), and optionally the
/// same pages on plain HTTP behind a TLS-terminating proxy. One registration authority serves
/// them all (one group-commit batcher); the scheduled jobs are services of the same group.
public struct ShomeiServer: Sendable {
    public let host: String
    public let port: Int
    /// The CA downloads; nil for the stand-alone responder (`shomei ocsp serve`).
    public let publication: CAPublication?
    public let crlPublisher: CRLPublisher
    public let ocspResponder: OCSPResponder
    /// Background work beside the listeners: CRL and OCSP refresh always, plus what the caller
    /// adds (lifecycle notices, outbox delivery, scheduled revocations, session purge).
    public let jobs: [ScheduledJob]
    /// The pages and EST: nil for the stand-alone responder.
    public let pages: Pages?
    /// Health and metrics on the plain-HTTP listener, over `metrics` (the registry the caller
    /// gave the RA and the store too); the jobs record their ticks in it.
    public let monitoring: Monitoring

    /// The HTTPS side: EST, the portal, the console and the bank API, with their one RA.
    public struct Pages: Sendable {
        let https: HTTPSListener?
        let proxied: ProxiedListener?
        let publication: CAPublication
        let registration: RegistrationAuthority
        let portal: Portal
        let console: BankConsole
        let refusals: RefusedRequests
        let sessions: PortalSessions
        /// The bank's JSON API under `/api/v1` (nil: not served on this listener).
        let api: BankAPIEndpoints?

        public init(
            https: HTTPSListener?, proxied: ProxiedListener?, publication: CAPublication, registration: RegistrationAuthority,
            portal: Portal, console: BankConsole, refusals: RefusedRequests, sessions: PortalSessions, api: BankAPIEndpoints? = nil
        ) {
            self.https = https
            self.proxied = proxied
            self.publication = publication
            self.registration = registration
            self.portal = portal
            self.console = console
            self.refusals = refusals
            self.sessions = sessions
            self.api = api
        }
    }

    public init(
        host: String, port: Int, publication: CAPublication?, crlPublisher: CRLPublisher, ocspResponder: OCSPResponder,
        jobs: [ScheduledJob] = [], pages: Pages? = nil, outboxTally: (@Sendable () async throws -> OutboxTally)? = nil,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        self.host = host
        self.port = port
        self.publication = publication
        self.crlPublisher = crlPublisher
        self.ocspResponder = ocspResponder
        self.pages = pages
        let monitoring = Monitoring(registry: metrics, crlPublisher: crlPublisher, outbox: outboxTally)
        self.monitoring = monitoring
        self.jobs = ([
            ScheduledJob(name: "crl-refresh", interval: .seconds(2)) { _ in try await crlPublisher.refreshIfNeeded() },
            ScheduledJob(name: "ocsp-refresh", interval: .milliseconds(500)) { _ in try await ocspResponder.refresh() },
        ] + jobs).map { $0.recording(to: monitoring.jobs) }
    }

    /// The plain-HTTP listener: CA certificates, CRL and OCSP.
    public func makePublicationListener(logger: Logger) -> PublicationListener {
        PublicationListener(
            host: host, port: port,
            endpoints: PublicationEndpoints(
                publication: publication, crlPublisher: crlPublisher, ocspResponder: ocspResponder, monitoring: monitoring),
            logger: logger)
    }

    /// The HTTPS listener's application alone (a benchmark runs it without the rest of `run`).
    public func makeHTTPSApplication(_ pages: Pages, _ https: HTTPSListener, logger: Logger) throws -> some ApplicationProtocol {
        try makePagesApplication(pages, host: https.host, port: https.port, server: .tls(.http1(), tlsConfiguration: https.tls),
                                 proxy: nil, logger: logger)
    }

    /// The pages and EST on one listener: TLS (`proxy` nil) or plain HTTP behind a trusted proxy.
    func makePagesApplication(
        _ pages: Pages, host: String, port: Int, server: HTTPServerBuilder, proxy: ProxyTrust?, logger: Logger
    ) throws -> some ApplicationProtocol {
        // HEAD wherever GET is served (RFC 9110 §9.1: a general-purpose server supports both).
        let router = Router(context: SecureRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestMetricsMiddleware(metrics: monitoring.requests))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ClientCertificateMiddleware(proxy: proxy))
        router.add(middleware: LanguageMiddleware())
        // Anything a route outside the groups below throws, and an unexpected error anywhere.
        router.add(middleware: RefusalMiddleware<SecureRequestContext>.pages { refusal, _, context in
            try Self.refusalPage(refusal, back: "/login", pages.portal.pages, context.language)
        })
        PublicRoutes.add(to: router, publication: pages.publication)
        ESTRoutes.add(to: router, publication: pages.publication, registration: pages.registration)
        try AssetRoutes.add(to: router)
        let apiOperations = try pages.api?.add(to: router) ?? APIOperations()
        addPortal(pages, to: router)
        addConsole(pages, to: router)
        // The router's answer for a path (or method) no route above serves: the router puts
        // every middleware around it, this one included, wherever it is added.
        router.add(middleware: UnknownPathMiddleware<SecureRequestContext>(apiOperations: apiOperations))
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "Shomei"),
            logger: logger)
    }

    /// Before login (guarded by the pre-login token), then behind the customer's session.
    private func addPortal(_ pages: Pages, to router: Router<SecureRequestContext>) {
        let portal = pages.portal
        let preLogin = router.group().add(middleware: CSRFMiddleware<SecureRequestContext>(refusals: pages.refusals))
        LoginRoutes.add(to: preLogin, portal: portal)
        CertificateRequestRoutes.add(to: preLogin, portal: portal)
        let customer = router.group()
            .add(middleware: PortalSessionMiddleware(sessions: pages.sessions))
            .group(context: PortalRequestContext.self)
            .add(middleware: RefusalMiddleware<PortalRequestContext>.pages { refusal, _, context in try portal.menu(context, refusal: refusal) })
            .add(middleware: CSRFMiddleware<PortalRequestContext>(refusals: pages.refusals))
            .add(middleware: PasswordChangeGate())
        LoginRoutes.addLogout(to: customer, portal: portal)
        PasswordRoutes.add(to: customer, portal: portal)
        PortalRoutes.add(to: customer, portal: portal)
        RenewalRoutes.add(to: customer, portal: portal)
        ApplicationRoutes.add(to: customer, portal: portal)
        AdministrationRoutes.add(to: customer, portal: portal)
    }

    /// The console's login (its own pre-login guard and way back), then behind the staff session.
    private func addConsole(_ pages: Pages, to router: Router<SecureRequestContext>) {
        let console = pages.console
        let preLogin = router.group()
            .add(middleware: RefusalMiddleware<SecureRequestContext>.pages { refusal, _, context in
                try Self.refusalPage(refusal, back: "/bank/login", console.pages, context.language)
            })
            .add(middleware: CSRFMiddleware<SecureRequestContext>(refusals: pages.refusals))
        BankConsoleRoutes.addLogin(to: preLogin, console: console)
        let staff = router.group()
            .add(middleware: ConsoleSessionMiddleware(staff: console.staff))
            .group(context: ConsoleRequestContext.self)
            .add(middleware: RefusalMiddleware<ConsoleRequestContext> { refusal, _, context in try console.refusal(refusal, context) })
            .add(middleware: CSRFMiddleware<ConsoleRequestContext>(refusals: pages.refusals))
        BankConsoleRoutes.add(to: staff, console: console)
        BankActionRoutes.add(to: staff, console: console)
        BankSearchRoutes.add(to: staff, console: console)
        BankContractRoutes.add(to: staff, console: console)
    }

    /// A refusal page outside any session: the message and the way back.
    private static func refusalPage(_ refusal: ShomeiError, back: String, _ renderer: PageRenderer, _ language: Language) throws -> Response {
        try renderer.response(
            RefusalPage(back: back), frame: Frame(title: Label.loginTitle.text(language), error: refusal.message(language)),
            language: language, status: refusal.httpStatus)
    }

    /// How long a graceful shutdown may take before the services are cancelled, and how long
    /// cancellation may take before the process ends with a fatal error (a crash, logged): within
    /// 30 s of SIGTERM the listeners and jobs have ended and only the store's closing is left (a
    /// service manager's stop timeout is longer, systemd's 90 s), even if a job is stuck in a call
    /// that cannot be cancelled. A mail interrupted mid-delivery is sent again after its lease
    /// (`OutboxSender`).
    static let gracefulShutdownLimit = Duration.seconds(25)
    static let cancellationLimit = Duration.seconds(5)

    /// Runs until SIGINT or SIGTERM: the listeners and the scheduled jobs in one service group,
    /// shut down gracefully (listeners first, then the jobs, each finishing its current tick),
    /// within the limits above.
    public func run(logger: Logger) async throws {
        try await crlPublisher.publish()
        var services: [any Service] = jobs
        services.append(Listener(
            address: ListenAddress(host: host, port: port, setting: "--host/--port, or server.host/server.port for serve"),
            wrapped: makePublicationListener(logger: logger)))
        if let pages {
            if let https = pages.https {
                services.append(Listener(
                    address: ListenAddress(host: https.host, port: https.port, setting: "--host/--https-port, server.host/server.httpsPort"),
                    wrapped: try makeHTTPSApplication(pages, https, logger: logger)))
            }
            if let proxied = pages.proxied {
                services.append(Listener(
                    address: ListenAddress(host: proxied.host, port: proxied.port, setting: "--host/--proxy-port, server.host/server.proxy.port"),
                    wrapped: try makePagesApplication(
                        pages, host: proxied.host, port: proxied.port, server: .http1(), proxy: proxied.trust, logger: logger)))
            }
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = Self.gracefulShutdownLimit
        configuration.maximumCancellationDuration = Self.cancellationLimit
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
    }
}
