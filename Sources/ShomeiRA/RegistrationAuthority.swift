import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import X509

/// The registration authority (Boulder's RA): decides who may get what, and records it.
///
/// Every public method is one store transaction that also appends its audit entry, so a change
/// and its record of who made it commit together or not at all. Input is checked before the
/// transaction starts; a refused request writes nothing (except a counted failed attempt).
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

    /// Issues a certificate on the bank's own authority (operator CLI, later the console).
    public func issueCertificate(
        for key: UserKey, csr: [UInt8], medium: StorageMedium, actor: String
    ) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        return try await store.write { tx in
            let user = try await Self.activeUser(key, in: tx)
            return try await issue(.issued, to: user, request: request, medium: medium, actor: actor, in: tx)
        }
    }

    /// First issuance by the customer (電子証明書発行): password and activation code are checked,
    /// and the code spent, in the same transaction that stores the certificate. A wrong password
    /// or code is counted (toward lockout) even though nothing is issued.
    public func issueCertificate(
        for key: UserKey, password: String, activationCode: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        let actor = "user:\(key)"
        let outcome: Result<IssuedCertificate, ShomeiError> = try await store.write { tx in
            let user = try await Self.activeUser(key, in: tx)
            if let refusal = try await checkPassword(password, of: user, in: tx) { return .failure(refusal) }
            if let refusal = try await redeem(activationCode, of: key, actor: actor, in: tx) {
                return .failure(refusal)
            }
            return .success(try await issue(.issued, to: user, request: request, medium: medium, actor: actor, in: tx))
        }
        return try outcome.get()
    }

    /// Renewal (更新) by the holder of the current certificate, authenticated by it (mutual TLS).
    /// Allowed only in the renewal window, and only with a new key.
    public func renewCertificate(
        presenting serial: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        let serial = try SerialText.normalize(serial)
        return try await store.write { tx in
            guard let presented = try await tx.certificate(serial: serial) else { throw ShomeiError.certificateNotFound(serial) }
            let user = try await Self.activeUser(presented.owner, in: tx)
            let status = try await lifecycleStatus(of: user.key, in: tx)
            guard status.state == .renewalWindow, status.certificate?.serial == serial else {
                throw ShomeiError.renewalNotAllowed(status.certificate?.serial == serial ? status.state : .revoked)
            }
            guard try Certificate(derEncoded: presented.der).publicKey != request.publicKey else { throw ShomeiError.renewalKeyReused }
            return try await issue(.renewed, to: user, request: request, medium: medium, actor: "user:\(user.key)", in: tx)
        }
    }

    /// Self re-acquisition (電子証明書取得) with ID and password after expiry, within the grace period.
    public func reacquireCertificate(
        for key: UserKey, password: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        let outcome: Result<IssuedCertificate, ShomeiError> = try await store.write { tx in
            let user = try await Self.activeUser(key, in: tx)
            if let refusal = try await checkPassword(password, of: user, in: tx) { return .failure(refusal) }
            let status = try await lifecycleStatus(of: key, in: tx)
            guard status.state == .expiredReacquirable else { throw ShomeiError.reacquisitionNotAllowed(status.state) }
            return .success(try await issue(.reacquired, to: user, request: request, medium: medium, actor: "user:\(key)", in: tx))
        }
        return try outcome.get()
    }

    /// The user's lifecycle state now: what every surface shows and checks.
    public func lifecycleStatus(of key: UserKey) async throws -> LifecycleStatus {
        try await store.read { reader in try await lifecycleStatus(of: key, in: reader) }
    }

    func lifecycleStatus(of key: UserKey, in reader: any StoreReader) async throws -> LifecycleStatus {
        let certificates = try await reader.certificates(ofUser: key)
        return CertificateLifecycle.status(of: certificates, policy: lifecyclePolicy, at: clock())
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

    static func activeUser(_ key: UserKey, in tx: any StoreTransaction) async throws -> User {
        guard try await tx.contract(key.contractID) != nil else { throw ShomeiError.contractNotFound(key.contractID) }
        guard let user = try await tx.lockUser(key) else { throw ShomeiError.userNotFound(key) }
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
        let now = clock()
        guard hasher.verify(typed, hash: user.passwordHash) else {
            let failures = try await tx.recordPasswordFailure(of: user.key)
            try await tx.appendAudit(AuditEntry(actor: "user:\(user.key)", action: .passwordFailed, target: "user:\(user.key)"), at: now)
            guard failures < maxPasswordAttempts else {
                try await tx.setStatus(.locked, of: user.key)
                try await tx.appendAudit(AuditEntry(actor: "system", action: .userLocked, target: "user:\(user.key)"), at: now)
                return .userLocked(user.key)
            }
            return .passwordWrong(remainingAttempts: maxPasswordAttempts - failures)
        }
        try await tx.resetPasswordFailures(of: user.key)
        return nil
    }

    /// Checks a typed code; returns the refusal to give (after recording a wrong try), or nil
    /// when the code was right and is now spent.
    private func redeem(
        _ typed: String, of key: UserKey, actor: String, in tx: any StoreTransaction
    ) async throws -> ShomeiError? {
        let now = clock()
        guard let code = try await tx.unusedActivationCode(of: key) else { throw ShomeiError.noActivationCode(key) }
        if let reason = code.unusableReason(at: now, policy: activationCodePolicy) { throw reason }
        guard hasher.verify(typed, hash: code.codeHash) else {
            try await tx.recordActivationCodeFailure(id: code.id)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .activationCodeFailed, target: "user:\(key)"), at: now)
            return .activationCodeWrong(remainingAttempts: max(0, activationCodePolicy.maxAttempts - code.failedAttempts - 1))
        }
        try await tx.markActivationCodeUsed(id: code.id, at: now)
        try await tx.appendAudit(AuditEntry(actor: actor, action: .activationCodeRedeemed, target: "user:\(key)"), at: now)
        return nil
    }

    /// Signs, supersedes the user's previous certificate, stores, schedules its expiry notices,
    /// queues the event's mail, audits.
    private func issue(
        _ kind: NoticeKind, to user: User, request: VerifiedSigningRequest, medium: StorageMedium, actor: String,
        in tx: any StoreTransaction
    ) async throws -> IssuedCertificate {
        let now = clock()
        let previous = try await tx.validCertificate(of: user.key)
        let certificate = try authority.issue(.init(
            request: request, subject: subjectTemplate.subject(for: user.key),
            serial: try await Self.unusedSerial(in: tx), notBefore: now))
        var superseded = previous
        if var old = previous {
            old.revocation = .init(time: now, reason: .superseded)
            try await Self.revoke(old, actor: actor, in: tx)
            superseded = old
        }
        let record = CertificateRecord(
            serial: certificate.serialHex, owner: user.key, der: try certificate.derBytes,
            fingerprint: try certificate.sha256Fingerprint, subject: certificate.subject.description,
            notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter, medium: medium, issuedAt: now)
        try await tx.insert(record)
        try await tx.scheduleNotice(
            serial: record.serial, at: ExpiryNotices.firstDue(notAfter: record.notAfter, policy: lifecyclePolicy))
        try await notices.enqueue(kind, holder: user, certificate: record, time: now, in: tx)
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .certificateIssued, target: "certificate:\(record.serial)",
                       details: ["user": "\(user.key)", "kind": "\(kind)", "medium": medium.rawValue, "key": request.keyType.rawValue,
                                 "supersedes": previous?.serial ?? ""]),
            at: now)
        return IssuedCertificate(record: record, certificate: certificate, superseded: superseded)
    }

    private static func revoke(_ record: CertificateRecord, actor: String, in tx: any StoreTransaction) async throws {
        guard let revocation = record.revocation else { return }
        try await tx.revoke(serial: record.serial, revocation)
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .certificateRevoked, target: "certificate:\(record.serial)",
                       details: ["reason": revocation.reason.rfcName, "user": "\(record.owner)"]),
            at: revocation.time)
    }

    /// 126 random bits collide practically never; the check makes "unique in the store" a fact.
    private static func unusedSerial(in tx: any StoreTransaction) async throws -> [UInt8] {
        while true {
            let serial = SerialNumberGenerator.next()
            if try await tx.certificate(serial: serial.hexEncoded) == nil { return serial }
        }
    }
}
