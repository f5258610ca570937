import ArgumentParser
import Logging
import ShomeiRA
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
        let publication = try CAPublication(root: installation.root, issuing: installation.authority.certificate)
        let portal = try await Self.portal(
            installation, publication: publication, publicURL: installation.configuration.server.portalAddress(httpsPort: httpsPort))
        let server = ShomeiServer(
            host: host ?? installation.configuration.server.host,
            port: port ?? installation.configuration.server.port,
            publication: publication,
            crlPublisher: installation.crlPublisher,
            ocspResponder: try await installation.ocspResponder(),
            jobs: try Self.lifecycleJobs(installation) + [
                Self.sessionPurge(installation.portalSessions), Self.applicationRevocations(installation.applicationDesk),
            ],
            https: try httpsListener(installation),
            registration: installation.registration,
            portal: portal,
            console: BankConsole(
                staff: installation.staffAuthority, desk: installation.applicationDesk,
                fourEyes: FourEyesDesk(registration: installation.registration), pages: portal.pages),
            proxied: try proxiedListener(installation))
        Output.warn("Shomei listening on http://\(server.host):\(server.port) (CA: /ca/root.pem, /ca/issuing.pem, CRL: /crl/issuing.crl, OCSP: /ocsp)")
        defer { Task { try? await installation.store.shutdown() } }
        try await server.run(logger: Logger(label: "shomei"))
    }

    private func httpsListener(_ installation: Installation) throws -> HTTPSListener? {
        let server = installation.configuration.server
        guard let port = httpsPort ?? server.httpsPort else { return nil }
        let issuing = installation.authority.certificate
        let (chain, keyPEM) = try installation.folder.serverTLS(server, issuing: issuing, issuingKey: installation.issuingKey)
        Output.warn("Shomei HTTPS (portal: /login, EST: /.well-known/est/) on https://\(host ?? server.host):\(port)")
        return try HTTPSListener(host: host ?? server.host, port: port, chain: chain, keyPEM: keyPEM,
                                 clientRoots: [issuing, installation.root])
    }

    /// The pages for a TLS-terminating proxy, when a port is configured or given.
    private func proxiedListener(_ installation: Installation) throws -> ProxiedListener? {
        let configured = installation.configuration.server.proxy
        guard let port = proxyPort ?? configured?.port else { return nil }
        let addresses = trustedProxies.isEmpty ? configured?.trustedAddresses ?? [] : trustedProxies
        let trust = try ProxyTrust(addresses: addresses, certificateHeader: configured?.certificateHeader ?? ProxyTrust.defaultHeader)
        let host = host ?? installation.configuration.server.host
        Output.warn("Shomei pages for a TLS-terminating proxy on http://\(host):\(port) (trusted: \(addresses.joined(separator: ", ")))")
        return ProxiedListener(host: host, port: port, trust: trust)
    }

    /// The customer portal, worded and signed like the bank's mail.
    static func portal(_ installation: Installation, publication: CAPublication, publicURL: String) async throws -> Portal {
        let signature = installation.configuration.mailSettings.signature
        return Portal(
            registration: installation.registration, sessions: installation.portalSessions,
            pages: try await PageRenderer(bankName: signature.bankName, contactLine: signature.contactLine),
            publication: publication, publicURL: publicURL, desk: installation.applicationDesk)
    }

    /// Ended sessions are refused anyway; this keeps the table small.
    static func sessionPurge(_ sessions: PortalSessions) -> ScheduledJob {
        ScheduledJob(name: "session-purge", interval: .seconds(300)) { _ in _ = try await sessions.purgeEnded() }
    }

    /// Accepted revocation applications (05) carried out when due (the next bank business day).
    static func applicationRevocations(_ desk: ApplicationDesk) -> ScheduledJob {
        ScheduledJob(name: "application-revocations", interval: .seconds(60)) { _ in _ = try await desk.runDueRevocations() }
    }

    /// Expiry notices and mail delivery, on the configured intervals.
    static func lifecycleJobs(_ installation: Installation) throws -> [ScheduledJob] {
        let mail = installation.configuration.mailSettings
        let notices = installation.expiryNotices
        let sender = try installation.outboxSender()
        return [
            ScheduledJob(name: "expiry-notices", interval: .seconds(mail.noticeIntervalSeconds)) { now in
                try await notices.run(at: now)
            },
            ScheduledJob(name: "outbox-delivery", interval: .seconds(mail.deliveryIntervalSeconds)) { now in
                try await sender.deliverDue(at: now)
            },
        ]
    }
}
