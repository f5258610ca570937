import CoreMetrics
import Foundation
import Logging
import Prometheus
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRA
import ShomeiRevocation
import ShomeiStorage
import ShomeiWeb
import X509

/// An opened installation and its one object graph: the configuration, the store, the CA, and
/// one of each authority built on them, shared by every surface (EST, portal, console, CLI) so
/// that, for example, every issuance commits through the same group-commit batcher and every
/// revocation reaches the same OCSP responder before its call returns.
struct Installation: Sendable {
    let folder: DataFolder
    let configuration: ShomeiConfiguration
    let root: Certificate
    let authority: CertificateAuthority
    let environment: [String: String]
    private let store: any Store
    private let issuingKey: CAPrivateKey

    let crlPublisher: CRLPublisher
    let ocspResponder: OCSPResponder
    let registration: RegistrationAuthority
    let applicationDesk: ApplicationDesk
    let fourEyes: FourEyesDesk
    let outboxDesk: OutboxDesk
    let staffAuthority: StaffAuthority
    let portalSessions: PortalSessions
    let refusedRequests: RefusedRequests
    let expiryNotices: ExpiryNoticeJob
    let outboxSender: OutboxSender
    let operatorQueries: OperatorQueries
    let consoleQueries: ConsoleQueries
    let portalQueries: PortalQueries
    let integrationQueries: IntegrationQueries
    let apiClients: APIClientRegistry
    let idempotency: IdempotencyKeeper
    /// What the graph counts (outcomes, connection pools), scraped at `serve`'s `/metrics`.
    let metrics: PrometheusCollectorRegistry

    /// Opens the data folder and the store and builds the graph.
    static func open(_ folder: DataFolder, environment: [String: String]) async throws -> Installation {
        let configuration = try folder.loadConfiguration()
        let issuing = try folder.loadCertificate(folder.issuingCertificateFile)
        let issuingKey = try configuration.hsm.map { try HSMKey.load($0, certifiedBy: issuing, environment: environment) }
            ?? folder.loadIssuingKey(passphrase: try CAPassphrase.resolve(folder, environment: environment))
        let composer = try await NoticeComposer.load(
            signature: configuration.mailSettings.signature,
            overrides: folder.url.appendingPathComponent(configuration.mailSettings.templatesFolder))
        let smtpPassword = try smtpPassword(environment)
        let metrics = PrometheusCollectorRegistry()
        let store = try await openStore(folder, environment: environment, metrics: metricsFactory(metrics))
        do {
            return try await Installation(
                folder: folder, configuration: configuration, root: try folder.loadCertificate(folder.rootCertificateFile),
                authority: try CertificateAuthority(certificate: issuing, key: issuingKey, profile: configuration.certificates),
                issuingKey: issuingKey, composer: composer, smtpPassword: smtpPassword, store: store, metrics: metrics,
                environment: environment)
        } catch {
            try? await store.shutdown()
            throw error
        }
    }

    private init(
        folder: DataFolder, configuration: ShomeiConfiguration, root: Certificate, authority: CertificateAuthority,
        issuingKey: CAPrivateKey, composer: NoticeComposer, smtpPassword: String?, store: any Store,
        metrics: PrometheusCollectorRegistry, environment: [String: String]
    ) async throws {
        self.folder = folder
        self.configuration = configuration
        self.root = root
        self.authority = authority
        self.environment = environment
        self.store = store
        self.issuingKey = issuingKey
        self.metrics = metrics
        let outcomes = OutcomeCounters(factory: Self.metricsFactory(metrics))
        let issuing = authority.certificate
        let maxAttempts = configuration.passwordMaxAttempts ?? 5
        let hasher = SecretHasher()
        let revocations = RevocationRecords(store: store)
        crlPublisher = CRLPublisher(records: revocations, issuer: issuing, key: issuingKey, policy: configuration.crlPolicy)
        ocspResponder = try await OCSPResponder(records: revocations, issuer: issuing, issuerKey: issuingKey, policy: configuration.ocspPolicy)
        registration = RegistrationAuthority(
            store: store, authority: authority, subjectTemplate: configuration.subject, composer: composer,
            activationCodePolicy: configuration.activationCodes, lifecyclePolicy: configuration.lifecyclePolicy,
            maxPasswordAttempts: maxAttempts, hasher: hasher, revocationObserver: ocspResponder, outcomes: outcomes,
            customerAdministration: configuration.customerAdministrationPolicy)
        applicationDesk = ApplicationDesk(
            registration: registration, forms: try ApplicationFormFiles.load(bankFolder: folder.url.appendingPathComponent(configuration.formsFolder ?? "forms")),
            calendar: BankCalendar(extraClosures: Set(configuration.extraClosures ?? [])))
        fourEyes = FourEyesDesk(registration: registration)
        outboxDesk = OutboxDesk(store: store)
        staffAuthority = StaffAuthority(
            store: store, policy: configuration.sessionPolicy, maxPasswordAttempts: maxAttempts, hasher: hasher, outcomes: outcomes)
        portalSessions = PortalSessions(store: store, policy: configuration.sessionPolicy, lifecyclePolicy: configuration.lifecyclePolicy)
        refusedRequests = RefusedRequests(store: store)
        expiryNotices = ExpiryNoticeJob(store: store, composer: composer, policy: configuration.lifecyclePolicy)
        outboxSender = OutboxSender(store: store, settings: configuration.mailSettings.smtp, password: smtpPassword)
        operatorQueries = OperatorQueries(store: store)
        consoleQueries = ConsoleQueries(store: store)
        portalQueries = PortalQueries(store: store)
        integrationQueries = IntegrationQueries(store: store, lifecyclePolicy: configuration.lifecyclePolicy)
        apiClients = APIClientRegistry(store: store)
        idempotency = IdempotencyKeeper(store: store)
        try await registration.completeKeyIndex()
    }

    /// swift-metrics' factory over the registry, with the help lines of everything made through it.
    private static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> DescribedMetricsFactory {
        DescribedMetricsFactory(registry: registry, help: OutcomeCounters.help.merging(SQLStore.metricsHelp) { first, _ in first })
    }

    /// The HTTPS listener's certificate chain and key (a development one from the issuing CA on first use).
    func serverTLS() throws -> (chain: [Certificate], keyPEM: String) {
        try folder.serverTLS(configuration.server, issuing: authority.certificate, issuingKey: issuingKey)
    }

    /// Closes the store; the graph is not used afterwards.
    func close() async throws {
        try await store.shutdown()
    }

    /// `SHOMEI_SMTP_PASSWORD`, or the file named by `SHOMEI_SMTP_PASSWORD_FILE`; never the config file.
    private static func smtpPassword(_ environment: [String: String]) throws -> String? {
        if let password = environment["SHOMEI_SMTP_PASSWORD"], !password.isEmpty { return password }
        guard let file = environment["SHOMEI_SMTP_PASSWORD_FILE"], !file.isEmpty else { return nil }
        return try InputFile.secret(file)
    }

    /// Opens the store named by `SHOMEI_DATABASE_URL`, or the data folder's SQLite file; its
    /// connection pools report to `metrics`.
    static func openStore(_ folder: DataFolder, environment: [String: String], metrics: any MetricsFactory) async throws -> any Store {
        var logger = Logger(label: "shomei.store")
        logger.logLevel = .warning
        if let url = environment["SHOMEI_DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres") else {
                throw ShomeiError.invalidConfiguration("SHOMEI_DATABASE_URL must be a postgres:// URL")
            }
            return try await SQLStore.postgres(url: url, logger: logger, metrics: metrics)
        }
        return try await SQLStore.sqlite(path: folder.sqliteFile.path, logger: logger, metrics: metrics)
    }

    /// What `init` made, for the report printed to the operator.
    struct Created: Encodable {
        let dataFolder: String
        let rootSubject: String
        let issuingSubject: String
        let rootKeyAlgorithm: String
        let issuingKeyAlgorithm: String
        let developmentPassphraseFile: String?
    }

    /// Creates a new installation: CA hierarchy, encrypted keys, configuration, empty store, and
    /// the audit trail's first entry.
    static func create(
        _ folder: DataFolder, configuration: ShomeiConfiguration, environment: [String: String], actor: String
    ) async throws -> Created {
        // A CA's files without its shomei.json (a backup put back half-way) are not overwritten either.
        guard !folder.exists, !folder.holdsCAFiles else { throw ShomeiError.dataFolderExists(folder.url.path) }
        try configuration.validate()
        let before = folder.presentInstallationFiles()
        // The HSM first: a wrong PIN or module leaves nothing behind, not even a passphrase file.
        let onHSM = try configuration.hsm.map { try HSMKey.create($0, algorithm: configuration.ca.issuingKeyAlgorithm, environment: environment) }
        var configuration = configuration
        configuration.hsm = onHSM?.settings ?? configuration.hsm
        let (hierarchy, isDevelopment): (CAHierarchy, Bool)
        let installation: Installation
        do {
            let passphrase: String
            (passphrase, isDevelopment) = try CAPassphrase.forNewInstallation(folder, environment: environment)
            hierarchy = try CAHierarchy.create(configuration.ca, now: Date(), issuingKey: onHSM?.key)
            try folder.create(configuration: configuration, hierarchy: hierarchy, passphrase: passphrase)
            installation = try await open(folder, environment: environment)
            do {
                try await installation.registration.recordInitialisation(root: hierarchy.root, issuing: hierarchy.issuing, actor: actor)
            } catch {
                try? await installation.close()
                throw error
            }
        } catch {
            // Until its first audit entry is committed the installation is nobody's: what init
            // wrote goes, and so does a new HSM key, so a retry starts clean instead of meeting
            // "data folder exists".
            folder.removeNewInstallation(keeping: before)
            try? onHSM?.pair.delete()
            throw error
        }
        // Committed: a failure to close from here on leaves a working installation, not undone.
        try? await installation.close()
        return Created(hierarchy, in: folder, isDevelopment: isDevelopment)
    }
}

extension Installation.Created {
    init(_ hierarchy: CAHierarchy, in folder: DataFolder, isDevelopment: Bool) {
        self.init(
            dataFolder: folder.url.path, rootSubject: hierarchy.root.subject.description,
            issuingSubject: hierarchy.issuing.subject.description,
            rootKeyAlgorithm: hierarchy.rootKey.algorithm.rawValue,
            issuingKeyAlgorithm: hierarchy.issuingKey.algorithm.rawValue,
            developmentPassphraseFile: isDevelopment ? folder.developmentPassphraseFile.path : nil)
    }
}
