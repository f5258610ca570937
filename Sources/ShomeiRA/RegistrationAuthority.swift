import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import X509

/// The registration authority (Boulder's RA): decides who may get what, and records it.
///
/// Every public method is one store transaction that also appends its audit entry, so a change
/// and its record of who made it commit together or not at all; issuances are decided from a
/// read and committed in batches, with the same guarantee (`RegistrationAuthority+Issuance`),
/// and typed secrets are checked the one way `SecretCheck` does it. Input is checked before the
/// transaction starts; a refused request writes nothing (except a counted failed attempt).
/// The store stays inside: the web layer and the CLI read through the query services
/// (`Queries/`) and change state only through the RA and its desks.
public struct RegistrationAuthority: Sendable {
    let store: any Store
    let authority: CertificateAuthority
    let subjectTemplate: SubjectTemplate
    public let activationCodePolicy: ActivationCodePolicy
    public let lifecyclePolicy: LifecyclePolicy
    /// Wrong passwords in a row after which the user is locked until the bank unlocks it.
    let lockout: Lockout
    let notices: NoticeQueue
    let hasher: SecretHasher
    let secrets: SecretCheck
    let lifecycles: LifecycleReader
    /// Commits prepared issuances many at a time (see `RegistrationAuthority+Issuance`).
    let batcher: IssuanceBatcher
    /// Told of every revocation this RA commits, before the call returns (the OCSP responder).
    let revocationObserver: (any RevocationObserver)?
    /// What issuances, revocations and logins came to, for `/metrics`.
    let outcomes: OutcomeCounters
    /// Which 管理 actions the bank offers its customers.
    public let customerAdministration: CustomerAdministrationPolicy
    let clock: @Sendable () -> Date

    /// `composer` is required: every issuance, renewal, re-acquisition and revocation mails the
    /// user and the contract's masters (SPEC §3), so an RA that could not word them must not exist.
    public init(
        store: any Store, authority: CertificateAuthority, subjectTemplate: SubjectTemplate,
        composer: any NoticeComposing, activationCodePolicy: ActivationCodePolicy = .init(),
        lifecyclePolicy: LifecyclePolicy = .init(), maxPasswordAttempts: Int = 5, hasher: SecretHasher = .init(),
        revocationObserver: (any RevocationObserver)? = nil, outcomes: OutcomeCounters = .discarded,
        customerAdministration: CustomerAdministrationPolicy = .init(), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.batcher = IssuanceBatcher(store: store)
        self.authority = authority
        self.subjectTemplate = subjectTemplate
        self.notices = NoticeQueue(composer: composer)
        self.activationCodePolicy = activationCodePolicy
        self.lifecyclePolicy = lifecyclePolicy
        self.lockout = Lockout(maxAttempts: maxPasswordAttempts)
        self.hasher = hasher
        self.secrets = SecretCheck(store: store, hasher: hasher, clock: clock)
        self.lifecycles = LifecycleReader(policy: lifecyclePolicy, clock: clock)
        self.revocationObserver = revocationObserver
        self.outcomes = outcomes
        self.customerAdministration = customerAdministration
        self.clock = clock
    }

    /// How well group commit has worked so far (the issuance benchmark prints it).
    public var issuanceStatistics: IssuanceBatcher.Statistics {
        get async { await batcher.statistics }
    }

    // MARK: The installation

    /// Records the creation of the CA hierarchy, the first entry of a new installation's trail.
    public func recordInitialisation(root: Certificate, issuing: Certificate, actor: String) async throws {
        let now = clock()
        _ = try await store.write { tx in
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .caInitialised, target: "ca:\(issuing.serialHex)",
                           details: ["root": root.subject.description, "issuing": issuing.subject.description]),
                at: now)
        }
    }

    // MARK: Contracts and users

    public func addContract(
        id: ContractID, name: String, loginMethod: Contract.LoginMethod = .certificate, actor: String
    ) async throws -> Contract {
        let contract = try Contract(id: id, name: name, createdAt: clock(), loginMethod: loginMethod)
        try await store.write { tx in try await Self.insert(contract, actor: actor, in: tx) }
        return contract
    }

    /// A new contract and its マスター user in one transaction (the console's registration): both
    /// or neither. Returns the master's generated initial password when none was given.
    public func addContract(
        id: ContractID, name: String, loginMethod: Contract.LoginMethod, master: NewUser, actor: String
    ) async throws -> (contract: Contract, master: User, generatedPassword: String?) {
        guard master.role == .master, master.key.contractID == id else { throw ShomeiError.invalidUserID(master.key.userID.rawValue) }
        let contract = try Contract(id: id, name: name, createdAt: clock(), loginMethod: loginMethod)
        let (user, generated) = try await newUser(master)
        try await store.write { tx in
            try await Self.insert(contract, actor: actor, in: tx)
            try await Self.insert(user, actor: actor, in: tx)
        }
        return (contract, user, generated)
    }

    /// Switches how the contract's users log in to the portal (seed 004 §2(4): once the bank has
    /// set a contract up for certificates, its users log in with 電子証明書・パスワード instead of
    /// ID・パスワード; a user without a certificate then obtains one with an activation code).
    /// Asking for the method it already has changes and audits nothing.
    public func changeLoginMethod(of id: ContractID, to method: Contract.LoginMethod, actor: String) async throws -> Contract {
        let now = clock()
        return try await store.write { tx in
            guard let contract = try await tx.contract(id) else { throw ShomeiError.contractNotFound(id) }
            return try await Self.changeLoginMethod(of: contract, to: method, actor: actor, at: now, in: tx) ?? contract
        }
    }

    /// The change of a contract's login method inside the caller's transaction, audited; nil
    /// when the contract already logs in that way. The bank's call and an accepted 03 share it.
    static func changeLoginMethod(
        of contract: Contract, to method: Contract.LoginMethod, actor: String, at now: Date, in tx: any StoreTransaction
    ) async throws -> Contract? {
        guard try await tx.setLoginMethod(method, of: contract.id) else { return nil }
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .contractLoginMethodChanged, target: "contract:\(contract.id)",
                       details: ["from": contract.loginMethod.rawValue, "to": method.rawValue]),
            at: now)
        return try Contract(id: contract.id, name: contract.name, createdAt: contract.createdAt, loginMethod: method,
                            administration: contract.administration)
    }

    /// Sets which 管理 actions the contract's administrators may take (nil: the installation's).
    public func setAdministration(of id: ContractID, to switches: AdministrationSwitches?, actor: String) async throws -> Contract {
        let now = clock()
        return try await store.write { tx in
            guard let contract = try await tx.contract(id) else { throw ShomeiError.contractNotFound(id) }
            guard contract.administration != switches else { return contract }
            try await tx.setAdministration(switches, of: id)
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .contractAdministrationChanged, target: "contract:\(id)",
                           details: ["to": try switches.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) } ?? "installation"]),
                at: now)
            return try Contract(id: id, name: contract.name, createdAt: contract.createdAt, loginMethod: contract.loginMethod,
                                administration: switches)
        }
    }

    /// The 管理 policy of a contract: its own switches over the installation's.
    public func administrationPolicy(of contract: Contract) -> CustomerAdministrationPolicy {
        customerAdministration.applying(contract.administration)
    }

    /// Registers a user; returns the generated initial password when none was given.
    public func addUser(_ request: NewUser, actor: String) async throws -> (user: User, generatedPassword: String?) {
        let (user, generated) = try await newUser(request)
        try await store.write { tx in try await Self.insert(user, actor: actor, in: tx) }
        return (user, generated)
    }

    /// The user to store, its password hashed before any transaction opens.
    func newUser(_ request: NewUser) async throws -> (user: User, generatedPassword: String?) {
        if let password = request.password { try NewUser.checkPassword(password) }
        _ = try DisplayName.checked(request.name)
        let generated = request.password == nil ? GeneratedSecret.password() : nil
        let user = try User(
            key: request.key, name: request.name, role: request.role, email: request.email,
            passwordHash: try await hasher.hashPassword(request.password ?? generated ?? ""), createdAt: clock(),
            language: request.language)
        return (user, generated)
    }

    private static func insert(_ contract: Contract, actor: String, in tx: any StoreTransaction) async throws {
        guard try await tx.contract(contract.id) == nil else { throw ShomeiError.contractExists(contract.id) }
        try await tx.insert(contract)
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .contractAdded, target: "contract:\(contract.id)",
                       details: ["name": contract.name, "login": contract.loginMethod.rawValue]),
            at: contract.createdAt)
    }

    static func insert(_ user: User, actor: String, in tx: any StoreTransaction) async throws {
        guard try await tx.contract(user.key.contractID) != nil else { throw ShomeiError.contractNotFound(user.key.contractID) }
        guard try await tx.user(user.key) == nil else { throw ShomeiError.userExists(user.key) }
        try await tx.insert(user)
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .userAdded, target: "user:\(user.key)",
                       details: ["role": user.role.rawValue, "email": user.email.rawValue]),
            at: user.createdAt)
    }

    /// 利用停止: the user cannot log in (their session ends) or obtain a certificate until resumed.
    public func disableUser(_ key: UserKey, actor: String) async throws {
        let now = clock()
        try await store.write { tx in try await Self.stop(key, actor: actor, at: now, in: tx) }
    }

    static func stop(_ key: UserKey, actor: String, at now: Date, in tx: any StoreTransaction) async throws {
        guard let user = try await tx.lockUser(key), user.status != .deleted else { throw ShomeiError.userNotFound(key) }
        guard user.status != .disabled else { throw ShomeiError.userDisabled(key) }
        try await tx.setStatus(.disabled, of: key)
        try await tx.appendAudit(AuditEntry(actor: actor, action: .userDisabled, target: "user:\(key)"), at: now)
    }

    /// What 利用者情報変更 changes; nil keeps the field as it is.
    public struct UserChange: Sendable, Equatable {
        public var name: String?
        public var role: Role?
        public var email: ShomeiDomain.EmailAddress?

        public init(name: String? = nil, role: Role? = nil, email: ShomeiDomain.EmailAddress? = nil) {
            self.name = name
            self.role = role
            self.email = email
        }
    }

    /// 利用者情報変更: the user's name, 権限 and e-mail address; audited with what changed (a change
    /// to what the user already has changes and audits nothing).
    public func changeUser(_ key: UserKey, _ change: UserChange, actor: String) async throws -> User {
        _ = try change.name.map(DisplayName.checked)
        let now = clock()
        return try await store.write { tx in try await Self.change(key, change, actor: actor, at: now, in: tx) }
    }

    static func change(_ key: UserKey, _ change: UserChange, actor: String, at now: Date, in tx: any StoreTransaction) async throws -> User {
        guard let user = try await tx.lockUser(key), user.status != .deleted else { throw ShomeiError.userNotFound(key) }
        let changed = try User(
            key: key, name: change.name ?? user.name, role: change.role ?? user.role, email: change.email ?? user.email,
            passwordHash: user.passwordHash, status: user.status, createdAt: user.createdAt, language: user.language,
            passwordChangeRequired: user.passwordChangeRequired, lastLoginAt: user.lastLoginAt)
        var details: [String: String] = [:]
        if changed.name != user.name { details["name"] = changed.name }
        if changed.role != user.role { details["role"] = "\(user.role.rawValue)→\(changed.role.rawValue)" }
        if changed.email != user.email { details["email"] = changed.email.rawValue }
        guard !details.isEmpty else { return user }
        try await tx.setDetails(name: changed.name, role: changed.role, email: changed.email, of: key)
        try await tx.appendAudit(AuditEntry(actor: actor, action: .userChanged, target: "user:\(key)", details: details), at: now)
        return changed
    }

    /// 停止解除: a stopped user may log in again.
    public func enableUser(_ key: UserKey, actor: String) async throws {
        let now = clock()
        try await store.write { tx in try await Self.resume(key, actor: actor, at: now, in: tx) }
    }

    static func resume(_ key: UserKey, actor: String, at now: Date, in tx: any StoreTransaction) async throws {
        guard let user = try await tx.lockUser(key), user.status != .deleted else { throw ShomeiError.userNotFound(key) }
        guard user.status == .disabled else { throw ShomeiError.userNotDisabled(key) }
        try await tx.setStatus(.active, of: key)
        // A user stopped while locked comes back with a fresh count, or no try could ever be taken.
        try await tx.clearPasswordTries(of: key)
        try await tx.appendAudit(AuditEntry(actor: actor, action: .userEnabled, target: "user:\(key)"), at: now)
    }

    /// ロック解除 of a user locked by wrong passwords (the bank after checking who calls, or a 管理者).
    public func unlockUser(_ key: UserKey, actor: String) async throws {
        let now = clock()
        try await store.write { tx in try await Self.unlock(key, actor: actor, at: now, in: tx) }
    }

    static func unlock(_ key: UserKey, actor: String, at now: Date, in tx: any StoreTransaction) async throws {
        guard let user = try await tx.lockUser(key), user.status != .deleted else { throw ShomeiError.userNotFound(key) }
        guard user.status == .locked else { throw ShomeiError.userNotLocked(key) }
        try await tx.setStatus(.active, of: key)
        try await tx.clearPasswordTries(of: key)
        try await tx.appendAudit(AuditEntry(actor: actor, action: .userUnlocked, target: "user:\(key)"), at: now)
    }

    // MARK: Activation codes

    /// Makes a new one-time code for the user's first issuance (or a re-issue), voiding earlier
    /// unused ones. The code itself is returned once and only its hash is stored.
    public func issueActivationCode(for key: UserKey, actor: String) async throws -> (code: String, record: ActivationCode) {
        let code = try await newActivationCode(for: key)
        return try await store.write { tx in try await record(code, actor: actor, in: tx) }
    }

    /// Voids the user's unused code (a letter lost in the post); audited only when there was one.
    public func voidActivationCode(of key: UserKey, actor: String) async throws {
        let now = clock()
        try await store.write { tx in
            guard try await tx.user(key) != nil else { throw ShomeiError.userNotFound(key) }
            guard try await tx.voidActivationCodes(of: key) > 0 else { return }
            try await tx.appendAudit(AuditEntry(actor: actor, action: .activationCodeVoided, target: "user:\(key)"), at: now)
        }
    }

    /// A fresh code and its stored form, hashed before any transaction opens.
    func newActivationCode(for key: UserKey, lifetime: TimeInterval? = nil) async throws -> (code: String, record: ActivationCode) {
        let now = clock()
        let code = GeneratedSecret.activationCode(digits: activationCodePolicy.digits)
        let record = ActivationCode(
            id: GeneratedSecret.identifier(), owner: key, codeHash: try await hasher.hashCode(code), issuedAt: now,
            expiresAt: now.addingTimeInterval(lifetime ?? TimeInterval(activationCodePolicy.lifetimeSeconds)))
        return (code, record)
    }

    /// Stores a new code inside an open transaction (a four-eyes re-issue approves and issues at once).
    func record(
        _ code: (code: String, record: ActivationCode), actor: String, in tx: any StoreTransaction
    ) async throws -> (code: String, record: ActivationCode) {
        let key = code.record.owner
        _ = try await Self.activeUser(key, in: tx)
        try await tx.replaceActivationCode(with: code.record)
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .activationCodeIssued, target: "user:\(key)",
                       details: ["expiresAt": ISO8601DateFormatter().string(from: code.record.expiresAt)]),
            at: code.record.issuedAt)
        return code
    }

    // MARK: Certificates

    /// The user's lifecycle state now: what every surface shows and checks.
    public func lifecycleStatus(of key: UserKey) async throws -> LifecycleStatus {
        try await store.read { reader in try await lifecycles.status(of: key, in: reader) }
    }

    /// Revokes a certificate; the one function every revocation path calls.
    public func revokeCertificate(serial: String, reason: RevocationReason, actor: String) async throws -> CertificateRecord {
        let record = try await outcomes.refusals(.revocation(reason)) {
            let serial = try SerialText.normalize(serial)
            guard reason.isOffered else { throw ShomeiError.revocationReasonNotOffered(reason) }
            let now = clock()
            return try await store.write { tx in try await revoke(serial: serial, reason: reason, actor: actor, at: now, in: tx) }
        }
        await revocationsCommitted([reason])
        return record
    }

    /// Revokes inside an open transaction and queues the holder's and masters' mail: the step
    /// every revocation path shares (operator, application job, console). The caller calls
    /// `revocationsCommitted(_:)` once its transaction has committed.
    func revoke(
        serial: String, reason: RevocationReason, actor: String, at now: Date, in tx: any StoreTransaction
    ) async throws -> CertificateRecord {
        guard var record = try await tx.certificate(serial: serial) else { throw ShomeiError.certificateNotFound(serial) }
        guard record.revocation == nil else { throw ShomeiError.certificateAlreadyRevoked(serial) }
        record.revocation = .init(time: now, reason: reason)
        // Read without a lock, the certificate may have been superseded since; then it is not
        // revoked a second time (and the caller's transaction rolls back).
        guard try await tx.revoke(serial: record.serial, .init(time: now, reason: reason)) else {
            throw ShomeiError.certificateAlreadyRevoked(record.serial)
        }
        try await tx.appendAudit(Self.revocationEntry(record, actor: actor), at: now)
        if reason == .keyCompromise { try await tx.blockKey(try Self.keySHA256(of: record), serial: record.serial, at: now) }
        if let holder = try await tx.user(record.owner) {
            try await notices.enqueue(.revoked, holder: holder, certificate: record, time: now, in: tx)
        }
        return record
    }

    /// The record's key hash, read from the certificate itself for a row stored before the index.
    static func keySHA256(of record: CertificateRecord) throws -> String {
        try record.keySHA256 ?? Certificate(derEncoded: record.der).publicKey.keySHA256
    }

    /// Completes the key index of certificates stored before it (their key's hash, read from each
    /// certificate), then blocks the keys of those revoked for keyCompromise. Runs at start-up;
    /// once done it is one index lookup that finds nothing.
    public func completeKeyIndex() async throws {
        while true {
            let missing = try await store.read { try await $0.certificatesWithoutKeyHash(limit: 500) }
            let hashed = try missing.map { (serial: $0.serial, key: try Self.keySHA256(of: $0)) }
            try await store.write { tx in
                for certificate in hashed { try await tx.setKeyHash(certificate.key, serial: certificate.serial) }
                try await tx.blockCompromisedKeys(at: clock())
            }
            if missing.count < 500 { return }
        }
    }

    /// Counts the revocations that committed, for these reasons, and tells the observer; call
    /// after the transaction, before returning.
    func revocationsCommitted(_ reasons: [RevocationReason]) async {
        for reason in reasons { outcomes.succeeded(.revocation(reason)) }
        await revocationObserver?.revocationCommitted()
    }

    /// The audit entry of a revoked certificate (`record.revocation` set).
    static func revocationEntry(_ record: CertificateRecord, actor: String) -> AuditEntry {
        AuditEntry(actor: actor, action: .certificateRevoked, target: "certificate:\(record.serial)",
                   details: ["reason": record.revocation?.reason.rfcName ?? "", "user": "\(record.owner)"])
    }

    // MARK: Steps shared inside transactions

    /// The user, locked until the transaction ends, if it may act (is active).
    static func activeUser(_ key: UserKey, in tx: any StoreTransaction) async throws -> User {
        try await activeUser(key, in: tx) { try await tx.lockUser(key) }
    }

    /// The user, if it may act, from a read (whose conclusions a later write re-checks).
    static func activeUser(_ key: UserKey, readIn reader: any StoreReader) async throws -> User {
        try await activeUser(key, in: reader) { try await reader.user(key) }
    }

    private static func activeUser(
        _ key: UserKey, in reader: any StoreReader, load: () async throws -> User?
    ) async throws -> User {
        guard let user = try await load() else {
            // A user row exists only under its contract, so the contract is read only to say which is missing.
            guard try await reader.contract(key.contractID) != nil else { throw ShomeiError.contractNotFound(key.contractID) }
            throw ShomeiError.userNotFound(key)
        }
        switch user.status {
        case .active: break
        case .disabled: throw ShomeiError.userDisabled(key)
        case .locked: throw ShomeiError.userLocked(key)
        case .deleted: throw ShomeiError.userNotFound(key)
        }
        return user
    }

    static func auditRefusal(
        actor: String, target: String, _ error: ShomeiError, at now: Date, in tx: any StoreTransaction
    ) async throws {
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .loginRefused, target: target, details: ["reason": "\(error)"]), at: now)
    }
}

extension JSONEncoder {
    /// Keys sorted, so what is audited reads the same every time.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
