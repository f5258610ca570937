import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import X509

/// The registration authority (Boulder's RA): decides who may get what, and records it.
///
/// Every public method is one store transaction that also appends its audit entry, so a change
/// and its record of who made it commit together or not at all; issuances are decided from a
/// read and committed in batches, with the same guarantee (`RegistrationAuthority+Issuance`).
/// Input is checked before the transaction starts; a refused request writes nothing (except a
/// counted failed attempt).
public struct RegistrationAuthority: Sendable {
    public let store: any Store
    public let authority: CertificateAuthority
    public let subjectTemplate: SubjectTemplate
    public let activationCodePolicy: ActivationCodePolicy
    public let lifecyclePolicy: LifecyclePolicy
    /// Wrong passwords in a row after which the user is locked until the bank unlocks it.
    public let maxPasswordAttempts: Int
    let notices: NoticeQueue
    let hasher: SecretHasher
    /// Commits prepared issuances many at a time (see `RegistrationAuthority+Issuance`).
    public let batcher: IssuanceBatcher
    let clock: @Sendable () -> Date

    /// `composer` is required: every issuance, renewal, re-acquisition and revocation mails the
    /// user and the contract's masters (SPEC §3), so an RA that could not word them must not exist.
    public init(
        store: any Store, authority: CertificateAuthority, subjectTemplate: SubjectTemplate,
        composer: any NoticeComposing, activationCodePolicy: ActivationCodePolicy = .init(),
        lifecyclePolicy: LifecyclePolicy = .init(), maxPasswordAttempts: Int = 5, hasher: SecretHasher = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.maxPasswordAttempts = maxPasswordAttempts
        self.store = store
        self.batcher = IssuanceBatcher(store: store)
        self.authority = authority
        self.subjectTemplate = subjectTemplate
        self.notices = NoticeQueue(composer: composer)
        self.activationCodePolicy = activationCodePolicy
        self.lifecyclePolicy = lifecyclePolicy
        self.hasher = hasher
        self.clock = clock
    }

    // MARK: Contracts and users

    public func addContract(
        id: ContractID, name: String, loginMethod: Contract.LoginMethod = .certificate, actor: String
    ) async throws -> Contract {
        let contract = try Contract(id: id, name: name, createdAt: clock(), loginMethod: loginMethod)
        return try await store.write { tx in
            guard try await tx.contract(id) == nil else { throw ShomeiError.contractExists(id) }
            try await tx.insert(contract)
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .contractAdded, target: "contract:\(id)",
                           details: ["name": name, "login": loginMethod.rawValue]),
                at: contract.createdAt)
            return contract
        }
    }

    /// Registers a user; returns the generated initial password when none was given.
    public func addUser(_ request: NewUser, actor: String) async throws -> (user: User, generatedPassword: String?) {
        if let password = request.password { try NewUser.checkPassword(password) }
        let generated = request.password == nil ? GeneratedSecret.password() : nil
        let user = try User(
            key: request.key, name: request.name, role: request.role, email: request.email,
            passwordHash: hasher.hashPassword(request.password ?? generated ?? ""), createdAt: clock(),
            language: request.language)
        try await store.write { tx in
            guard try await tx.contract(user.key.contractID) != nil else {
                throw ShomeiError.contractNotFound(user.key.contractID)
            }
            guard try await tx.user(user.key) == nil else { throw ShomeiError.userExists(user.key) }
            try await tx.insert(user)
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .userAdded, target: "user:\(user.key)",
                           details: ["role": user.role.rawValue, "email": user.email.rawValue]),
                at: user.createdAt)
        }
        return (user, generated)
    }

    public func disableUser(_ key: UserKey, actor: String) async throws {
        let now = clock()
        try await store.write { tx in
            _ = try await Self.activeUser(key, in: tx)
            try await tx.setStatus(.disabled, of: key)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .userDisabled, target: "user:\(key)"), at: now)
        }
    }

    /// Unlocks a user locked by wrong passwords (the bank's action, after checking who calls).
    public func unlockUser(_ key: UserKey, actor: String) async throws {
        let now = clock()
        try await store.write { tx in
            guard let user = try await tx.lockUser(key) else { throw ShomeiError.userNotFound(key) }
            guard user.status == .locked else { throw ShomeiError.userNotLocked(key) }
            try await tx.setStatus(.active, of: key)
            try await tx.resetPasswordFailures(of: key)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .userUnlocked, target: "user:\(key)"), at: now)
        }
    }

    // MARK: Activation codes

    /// Makes a new one-time code for the user's first issuance (or a re-issue), voiding earlier
    /// unused ones. The code itself is returned once and only its hash is stored.
    public func issueActivationCode(for key: UserKey, actor: String) async throws -> (code: String, record: ActivationCode) {
        let now = clock()
        return try await store.write { tx in try await issueActivationCode(for: key, actor: actor, at: now, in: tx) }
    }

    /// The same inside an open transaction (a four-eyes re-issue approves and issues at once).
    func issueActivationCode(
        for key: UserKey, actor: String, at now: Date, in tx: any StoreTransaction
    ) async throws -> (code: String, record: ActivationCode) {
        let code = GeneratedSecret.activationCode(digits: activationCodePolicy.digits)
        let record = ActivationCode(
            id: GeneratedSecret.identifier(), owner: key, codeHash: hasher.hashCode(code), issuedAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(activationCodePolicy.lifetimeSeconds)))
        _ = try await Self.activeUser(key, in: tx)
        try await tx.replaceActivationCode(with: record)
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .activationCodeIssued, target: "user:\(key)",
                       details: ["expiresAt": ISO8601DateFormatter().string(from: record.expiresAt)]),
            at: now)
        return (code, record)
    }

    // MARK: Certificates

    /// The user's lifecycle state now: what every surface shows and checks.
    public func lifecycleStatus(of key: UserKey) async throws -> LifecycleStatus {
        try await store.read { reader in try await lifecycleStatus(of: key, in: reader) }
    }

    func lifecycleStatus(of key: UserKey, in reader: any StoreReader) async throws -> LifecycleStatus {
        try await lifecycle(of: key, in: reader).status
    }

    /// The user's certificates, newest first, and the state they give: from one read, for a
    /// decision that also needs the certificate it acts on.
    func lifecycle(of key: UserKey, in reader: any StoreReader) async throws -> (certificates: [CertificateRecord], status: LifecycleStatus) {
        let certificates = try await reader.certificates(ofUser: key)
        return (certificates, CertificateLifecycle.status(of: certificates, policy: lifecyclePolicy, at: clock()))
    }

    /// Revokes a certificate; the one function every revocation path calls.
    public func revokeCertificate(serial: String, reason: RevocationReason, actor: String) async throws -> CertificateRecord {
        let serial = try SerialText.normalize(serial)
        guard reason.isOffered else { throw ShomeiError.revocationReasonNotOffered(reason) }
        let now = clock()
        return try await store.write { tx in try await revoke(serial: serial, reason: reason, actor: actor, at: now, in: tx) }
    }

    /// Revokes inside an open transaction and queues the holder's and masters' mail: the step
    /// every revocation path shares (operator, application job, later the console).
    func revoke(
        serial: String, reason: RevocationReason, actor: String, at now: Date, in tx: any StoreTransaction
    ) async throws -> CertificateRecord {
        guard var record = try await tx.certificate(serial: serial) else { throw ShomeiError.certificateNotFound(serial) }
        guard record.revocation == nil else { throw ShomeiError.certificateAlreadyRevoked(serial) }
        record.revocation = .init(time: now, reason: reason)
        try await Self.revoke(record, actor: actor, in: tx)
        if let holder = try await tx.user(record.owner) {
            try await notices.enqueue(.revoked, holder: holder, certificate: record, time: now, in: tx)
        }
        return record
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
        }
        return user
    }

    /// Checks a typed password; returns the refusal to give (after counting the wrong try and
    /// locking the user at the limit, both committed with the refusal), or nil when it is right.
    func checkPassword(_ typed: String, of user: User, in tx: any StoreTransaction) async throws -> ShomeiError? {
        guard hasher.verify(typed, hash: user.passwordHash) else {
            let failures = try await tx.recordPasswordFailure(of: user.key)
            return try await refuseWrongPassword(of: user.key, after: failures, at: clock(), in: tx)
        }
        try await tx.resetPasswordFailures(of: user.key)
        return nil
    }

    /// Audits a wrong password already counted as the `failures`-th, locking the user (unless
    /// the bank disabled it meanwhile) when that was the last try; returns the refusal to give.
    func refuseWrongPassword(of key: UserKey, after failures: Int, at now: Date, in tx: any StoreTransaction) async throws -> ShomeiError {
        try await tx.appendAudit(AuditEntry(actor: "user:\(key)", action: .passwordFailed, target: "user:\(key)"), at: now)
        guard failures < maxPasswordAttempts else {
            if try await tx.lockUser(key)?.status == .active {
                try await tx.setStatus(.locked, of: key)
                try await tx.appendAudit(AuditEntry(actor: "system", action: .userLocked, target: "user:\(key)"), at: now)
            }
            return .userLocked(key)
        }
        return .passwordWrong(remainingAttempts: maxPasswordAttempts - failures)
    }

    private static func revoke(_ record: CertificateRecord, actor: String, in tx: any StoreTransaction) async throws {
        guard let revocation = record.revocation else { return }
        // Read without a lock, the certificate may have been superseded since; then it is not
        // revoked a second time (and the caller's transaction rolls back).
        guard try await tx.revoke(serial: record.serial, revocation) else {
            throw ShomeiError.certificateAlreadyRevoked(record.serial)
        }
        try await tx.appendAudit(revocationEntry(record, actor: actor), at: revocation.time)
    }

    /// The audit entry of a revoked certificate (`record.revocation` set).
    static func revocationEntry(_ record: CertificateRecord, actor: String) -> AuditEntry {
        AuditEntry(actor: actor, action: .certificateRevoked, target: "certificate:\(record.serial)",
                   details: ["reason": record.revocation?.reason.rfcName ?? "", "user": "\(record.owner)"])
    }
}
