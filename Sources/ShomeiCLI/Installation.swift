import Foundation
import Logging
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRA
import ShomeiRevocation
import ShomeiStorage
import X509

/// An opened installation: configuration, store and the authorities built on them.
struct Installation: Sendable {
    let folder: DataFolder
    let configuration: ShomeiConfiguration
    let store: any Store
    let root: Certificate
    let authority: CertificateAuthority
    let issuingKey: CAPrivateKey
    let composer: NoticeComposer
    let environment: [String: String]

    var crlPublisher: CRLPublisher {
        CRLPublisher(store: store, issuer: authority.certificate, key: issuingKey, policy: configuration.crlPolicy)
    }

    func ocspResponder() async throws -> OCSPResponder {
        try await OCSPResponder(store: store, issuer: authority.certificate, issuerKey: issuingKey, policy: configuration.ocspPolicy)
    }

    var registration: RegistrationAuthority {
        RegistrationAuthority(
            store: store, authority: authority, subjectTemplate: configuration.subject, composer: composer,
            activationCodePolicy: configuration.activationCodes, lifecyclePolicy: configuration.lifecyclePolicy,
            maxPasswordAttempts: configuration.passwordMaxAttempts ?? 5)
    }

    var applicationDesk: ApplicationDesk {
        ApplicationDesk(registration: registration, calendar: BankCalendar(extraClosures: Set(configuration.extraClosures ?? [])))
    }

    var staffAuthority: StaffAuthority {
        StaffAuthority(store: store, policy: configuration.sessionPolicy, maxPasswordAttempts: configuration.passwordMaxAttempts ?? 5)
    }

    var portalSessions: PortalSessions {
        PortalSessions(store: store, policy: configuration.sessionPolicy, lifecyclePolicy: configuration.lifecyclePolicy)
    }

    var expiryNotices: ExpiryNoticeJob {
        ExpiryNoticeJob(store: store, composer: composer, policy: configuration.lifecyclePolicy)
    }

    func outboxSender() throws -> OutboxSender {
        OutboxSender(store: store, settings: configuration.mailSettings.smtp, password: try smtpPassword())
    }

    /// `SHOMEI_SMTP_PASSWORD`, or the file named by `SHOMEI_SMTP_PASSWORD_FILE`; never the config file.
    private func smtpPassword() throws -> String? {
        if let password = environment["SHOMEI_SMTP_PASSWORD"], !password.isEmpty { return password }
        guard let file = environment["SHOMEI_SMTP_PASSWORD_FILE"], !file.isEmpty else { return nil }
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
    }

    /// Opens the store named by `SHOMEI_DATABASE_URL`, or the data folder's SQLite file.
    static func openStore(_ folder: DataFolder, environment: [String: String]) async throws -> any Store {
        var logger = Logger(label: "shomei.store")
        logger.logLevel = .warning
        if let url = environment["SHOMEI_DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres") else {
                throw ShomeiError.invalidConfiguration("SHOMEI_DATABASE_URL must be a postgres:// URL")
            }
            return try await SQLStore.postgres(url: url, logger: logger)
        }
        return try await SQLStore.sqlite(path: folder.sqliteFile.path, logger: logger)
    }

    static func open(_ folder: DataFolder, environment: [String: String]) async throws -> Installation {
        let configuration = try folder.loadConfiguration()
        let passphrase = try CAPassphrase.resolve(folder, environment: environment)
        let issuing = try folder.loadCertificate(folder.issuingCertificateFile)
        let issuingKey = try folder.loadIssuingKey(passphrase: passphrase)
        let authority = try CertificateAuthority(certificate: issuing, key: issuingKey, profile: configuration.certificates)
        let root = try folder.loadCertificate(folder.rootCertificateFile)
        let composer = try await NoticeComposer.load(
            signature: configuration.mailSettings.signature,
            overrides: folder.url.appendingPathComponent(configuration.mailSettings.templatesFolder))
        return Installation(
            folder: folder, configuration: configuration, store: try await openStore(folder, environment: environment),
            root: root, authority: authority, issuingKey: issuingKey, composer: composer, environment: environment)
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

    /// Creates a new installation: CA hierarchy, encrypted keys, configuration, empty store.
    static func create(
        _ folder: DataFolder, configuration: ShomeiConfiguration, environment: [String: String], actor: String
    ) async throws -> Created {
        guard !folder.exists else { throw ShomeiError.dataFolderExists(folder.url.path) }
        try configuration.validate()
        let (passphrase, isDevelopment) = try CAPassphrase.forNewInstallation(folder, environment: environment)
        let now = Date()
        let hierarchy = try CAHierarchy.create(configuration.ca, now: now)
        try folder.create(configuration: configuration, hierarchy: hierarchy, passphrase: passphrase)
        let store = try await openStore(folder, environment: environment)
        _ = try await store.write { tx in
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .caInitialised, target: "ca:\(hierarchy.issuing.serialHex)",
                           details: ["root": hierarchy.root.subject.description,
                                     "issuing": hierarchy.issuing.subject.description]),
                at: now)
        }
        try await store.shutdown()
        return Created(
            dataFolder: folder.url.path, rootSubject: hierarchy.root.subject.description,
            issuingSubject: hierarchy.issuing.subject.description,
            rootKeyAlgorithm: hierarchy.rootKey.algorithm.rawValue,
            issuingKeyAlgorithm: hierarchy.issuingKey.algorithm.rawValue,
            developmentPassphraseFile: isDevelopment ? folder.developmentPassphraseFile.path : nil)
    }
}
