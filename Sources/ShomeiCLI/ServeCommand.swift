import ArgumentParser
import Logging
import ShomeiRA
import ShomeiAPI
import ShomeiDomain
import ShomeiWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Shomei server; on first run with no data folder, create a development one.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Listen on this port instead of the configured one.") var port: Int?
    @Option(help: "Listen on this address instead of the configured one.") var host: String?
    @Option(help: "Serve HTTPS (EST) on this port instead of the configured one.") var httpsPort: Int?
    @Option(help: "Serve the pages on this plain-HTTP port for a TLS-terminating proxy (server.proxy.port).")
    var proxyPort: Int?
    @Option(name: .customLong("trusted-proxy"), help: "The proxy's IP address; repeat for several (server.proxy.trustedAddresses).")
    var trustedProxies: [String] = []

    func run() async throws {
        if !options.folder.exists {
            Output.warn("no data folder at \(options.folder.url.path): creating a development installation")
            let created = try await Installation.create(
                options.folder, configuration: .development(), environment: options.environment,
                actor: "system")
            try InitCommand.report(created, json: false)
        }
        let installation = try await Installation.open(options.folder, environment: options.environment)
        do {
            let server = try await server(installation)
            Output.warn("Shomei listening on http://\(server.host):\(server.port) (CA: /ca/root.pem, /ca/issuing.pem, CRL: /crl/issuing.crl, OCSP: /ocsp)")
            try await server.run(logger: Logger(label: "shomei"))
        } catch {
            try? await installation.close()
            throw error
        }
        try await installation.close()
    }

    /// The listeners and jobs over the installation's one object graph.
    private func server(_ installation: Installation) async throws -> ShomeiServer {
        let publication = try CAPublication(root: installation.root, issuing: installation.authority.certificate)
        let signature = installation.configuration.mailSettings.signature
        let pages = try await PageRenderer(bankName: signature.bankName, contactLine: signature.contactLine)
        let portalURL = installation.configuration.server.portalAddress(httpsPort: httpsPort)
        let portal = Portal(
            registration: installation.registration, sessions: installation.portalSessions, queries: installation.portalQueries,
            desk: installation.applicationDesk, pages: pages, publication: publication, publicURL: portalURL)
        let console = BankConsole(
            staff: installation.staffAuthority, registration: installation.registration, desk: installation.applicationDesk,
            fourEyes: installation.fourEyes,
            queries: installation.consoleQueries, pages: pages, portalURL: portalURL, publication: publication)
        return ShomeiServer(
            host: host ?? installation.configuration.server.host, port: port ?? installation.configuration.server.port,
            publication: publication, crlPublisher: installation.crlPublisher, ocspResponder: installation.ocspResponder,
            jobs: Self.jobs(installation),
            pages: .init(
                https: try httpsListener(installation), proxied: try proxiedListener(installation), publication: publication,
                registration: installation.registration, portal: portal, console: console, refusals: installation.refusedRequests,
                sessions: installation.portalSessions, api: Self.api(installation)),
            outboxTally: { [queries = installation.operatorQueries] in try await queries.outboxTally() },
            metrics: installation.metrics)
    }

    private func httpsListener(_ installation: Installation) throws -> HTTPSListener? {
        let server = installation.configuration.server
        guard let port = httpsPort ?? server.httpsPort else { return nil }
        let issuing = installation.authority.certificate
        let (chain, keyPEM) = try installation.serverTLS()
        Output.warn("Shomei HTTPS (portal: /login, EST: /.well-known/est/) on https://\(host ?? server.host):\(port)")
        return try HTTPSListener(host: host ?? server.host, port: port, chain: chain, keyPEM: keyPEM,
                                 clientRoots: [issuing, installation.root])
    }

    /// The pages for a TLS-terminating proxy, when a port is configured or given.
    private func proxiedListener(_ installation: Installation) throws -> ProxiedListener? {
        let configured = installation.configuration.server.proxy
        guard let port = proxyPort ?? configured?.port else { return nil }
        let addresses = trustedProxies.isEmpty ? configured?.trustedAddresses ?? [] : trustedProxies
        let trust: ProxyTrust
        do {
            trust = try ProxyTrust(addresses: addresses, certificateHeader: configured?.certificateHeader ?? ProxyTrust.defaultHeader)
        } catch {
            throw ShomeiError.invalidConfiguration("\(error) (--trusted-proxy, server.proxy.trustedAddresses/certificateHeader)")
        }
        let host = host ?? installation.configuration.server.host
        Output.warn("Shomei pages for a TLS-terminating proxy on http://\(host):\(port) (trusted: \(addresses.joined(separator: ", ")))")
        return ProxiedListener(host: host, port: port, trust: trust)
    }

    /// The bank API over the installation's registration authority and read queries.
    static func api(_ installation: Installation) -> BankAPIEndpoints {
        BankAPIEndpoints(
            routes: BankAPIRoutes(registration: installation.registration, queries: installation.integrationQueries),
            clients: installation.apiClients, idempotency: installation.idempotency)
    }

    /// Expiry notices and mail delivery on the configured intervals, accepted revocation
    /// applications (05) when due, and the purge of ended sessions and old tries at unknown names.
    static func jobs(_ installation: Installation) -> [ScheduledJob] {
        let mail = installation.configuration.mailSettings
        let notices = installation.expiryNotices
        let sender = installation.outboxSender
        let sessions = installation.portalSessions
        let desk = installation.applicationDesk
        let registration = installation.registration
        let idempotency = installation.idempotency
        return [
            ScheduledJob(name: "expiry-notices", interval: .seconds(mail.noticeIntervalSeconds)) { now in
                try await notices.run(at: now)
            },
            ScheduledJob(name: "outbox-delivery", interval: .seconds(mail.deliveryIntervalSeconds)) { now in
                try await sender.deliverDue(at: now)
            },
            ScheduledJob(name: "application-effects", interval: .seconds(60)) { _ in _ = try await desk.runDueApplications() },
            // Ended sessions are refused anyway; this keeps the tables small.
            ScheduledJob(name: "session-purge", interval: .seconds(300)) { _ in _ = try await sessions.purgeEnded() },
            ScheduledJob(name: "unknown-tries-purge", interval: .seconds(3600)) { _ in _ = try await registration.forgetOldUnknownTries() },
            ScheduledJob(name: "idempotency-purge", interval: .seconds(3600)) { _ in _ = try await idempotency.purge() },
        ]
    }
}
