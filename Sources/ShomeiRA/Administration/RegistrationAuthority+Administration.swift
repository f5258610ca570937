import Crypto
import Foundation
import ShomeiDomain
import ShomeiStorage

/// The customer's 管理 menu (issue #17): what an administrator sees of their contract's users,
/// and every 管理 action, carried out the one way `administer` does it.
extension RegistrationAuthority {
    /// 利用者一覧: every user of the actor's own contract (not the deleted ones) with its
    /// certificate's lifecycle state, and the contract's 管理 policy; refused for a user who does
    /// not administer (`CustomerAdministration.administers`).
    public func administeredUsers(
        by actor: User
    ) async throws -> (users: [(user: User, status: LifecycleStatus)], policy: CustomerAdministrationPolicy) {
        guard CustomerAdministration.administers(actor.role) else { throw ShomeiError.administrationRefused(.notAdministrator) }
        return try await store.read { reader in
            let users = try await lifecycles.users(of: actor.key.contractID, in: reader).filter { $0.user.status != .deleted }
            return (users, try await policy(of: actor.key.contractID, in: reader))
        }
    }

    /// The 管理 policy of the actor's contract now (which actions its administrators are offered).
    public func administrationPolicy(for actor: User) async throws -> CustomerAdministrationPolicy {
        try await store.read { reader in try await policy(of: actor.key.contractID, in: reader) }
    }

    /// The contract's 管理 policy as it is stored now.
    func policy(of contract: ContractID, in reader: any StoreReader) async throws -> CustomerAdministrationPolicy {
        guard let contract = try await reader.contract(contract) else { throw ShomeiError.contractNotFound(contract) }
        return administrationPolicy(of: contract)
    }

    /// One user of the actor's own contract with its certificate's lifecycle state, from one read
    /// of that user only; nil when there is none, it is deleted, or the actor does not administer.
    public func administeredUser(_ target: UserKey, by actor: User) async throws -> (user: User, status: LifecycleStatus)? {
        guard CustomerAdministration.administers(actor.role), target.contractID == actor.key.contractID else { return nil }
        return try await store.read { reader in
            guard let user = try await reader.user(target), user.status != .deleted else { return nil }
            return (user, try await lifecycles.status(of: target, in: reader))
        }
    }

    /// Why `actor` may not take `action` on `target` (read for its role; `newRole` for a user
    /// being registered or given another role); nil when allowed. A user of another contract, or
    /// a deleted one, reads like one that does not exist.
    public func administrationRefusal(
        by actor: User, _ action: AdministrationAction, on target: UserKey, newRole: Role? = nil
    ) async throws -> ShomeiError? {
        guard CustomerAdministration.administers(actor.role) else { return .administrationRefused(.notAdministrator) }
        guard actor.key.contractID == target.contractID else { return .userNotFound(target) }
        return try await store.read { reader in
            let user = try await reader.user(target)
            return try Self.refusal(
                by: actor, action, on: target, stored: user, newRole: newRole, policy: try await policy(of: target.contractID, in: reader))
        }
    }

    /// The rule for the target as stored (`stored`, nil when there is none): a registration
    /// needs the ID free, every other action a user who is there.
    static func refusal(
        by actor: User, _ action: AdministrationAction, on target: UserKey, stored: User?, newRole: Role?,
        policy: CustomerAdministrationPolicy
    ) throws -> ShomeiError? {
        if action == .registerUser {
            if stored != nil { return .userExists(target) }
        } else if stored == nil || stored?.status == .deleted {
            return .userNotFound(target)
        }
        for role in [stored?.role, newRole].compactMap(\.self) {
            if let refusal = CustomerAdministration.refusal(by: (actor.key, actor.role), action, on: target, role: role, policy: policy) {
                return .administrationRefused(refusal)
            }
        }
        return nil
    }

    /// What a 管理 confirmation page showed of its target, as a short value the form carries
    /// back: when the user or their certificate has changed since, the action is refused
    /// (`administrationFormStale`) rather than taken on a user the actor did not see.
    public static func administrationStamp(of user: User, certificate: CertificateRecord?) -> String {
        let facts = [user.role.rawValue, user.status.rawValue, user.name, user.email.rawValue, user.passwordChangeRequired ? "1" : "0",
                     certificate?.serial ?? "", certificate?.revocation == nil ? "" : "revoked"]
        return Array(SHA256.hash(data: Data(facts.joined(separator: "\u{1F}").utf8))).prefix(12).hexEncoded
    }

    /// Takes a 管理 action: the rule (refused before anything is counted), then the actor's
    /// 確認用パスワード through the one secret check (counted, locking at the limit), then — in
    /// the transaction that settles the password, on the rows locked as they are now — the rule
    /// again, the form's `stamp` against the target, the action, its audit entries and its
    /// notices to the target and the contract's masters. Secrets the action makes are hashed
    /// before any transaction opens.
    public func administer(
        _ order: AdministrationOrder, on target: UserKey, by actor: User, confirmationPassword: String, stamp: String?
    ) async throws -> AdministrationResult {
        if let refusal = try await administrationRefusal(by: actor, order.action, on: target, newRole: Self.newRole(of: order)) {
            throw refusal
        }
        if case .revokeCertificate(_, let reason) = order, !RevocationReason.offeredToCustomers.contains(reason) {
            throw ShomeiError.revocationReasonNotOffered(reason)
        }
        guard !confirmationPassword.isEmpty else { throw ShomeiError.formFieldMissing("confirmationPassword") }
        // Every action on an existing user names the user as the actor saw them.
        guard order.action == .registerUser || stamp?.isEmpty == false else { throw ShomeiError.formFieldMissing("stamp") }
        if case .change(let change) = order, change == .init() { throw ShomeiError.nothingChanged }
        let made = try await prepare(order, on: target)
        let result = if case .revokeCertificate(_, let reason) = order {
            try await outcomes.refusals(.revocation(reason)) {
                try await confirmThenCarryOut(order, on: target, by: actor, confirmationPassword, stamp: stamp, made: made)
            }
        } else {
            try await confirmThenCarryOut(order, on: target, by: actor, confirmationPassword, stamp: stamp, made: made)
        }
        if let revoked = result.revoked?.revocation { await revocationsCommitted([revoked.reason]) }
        return result
    }

    /// The 確認用パスワード's check, settled by the action on the rows as they are now — the actor
    /// and the target locked and read again (a role changed, a user stopped while bcrypt ran) —
    /// the rule again, the form's stamp, then the action.
    private func confirmThenCarryOut(
        _ order: AdministrationOrder, on target: UserKey, by actor: User, _ confirmationPassword: String, stamp: String?,
        made: AdministrationSecrets
    ) async throws -> AdministrationResult {
        let newRole = Self.newRole(of: order)
        return try await secrets.check(confirmationPassword, against: ConfirmationPasswordSecret(user: actor.key, lockout: lockout)) {
            [self] (_: User, tx: any StoreTransaction) in
            guard let current = try await tx.lockUser(actor.key), current.status == .active else { throw ShomeiError.userNotFound(actor.key) }
            let stored = try await tx.lockUser(target)
            if let refusal = try Self.refusal(
                by: current, order.action, on: target, stored: stored, newRole: newRole, policy: try await policy(of: target.contractID, in: tx)) {
                throw refusal
            }
            if let stored, order.action != .registerUser {
                let certificate = try await lifecycles.status(of: target, in: tx).certificate
                guard Self.administrationStamp(of: stored, certificate: certificate) == stamp else {
                    throw ShomeiError.administrationFormStale
                }
            }
            return try await carryOut(order, on: target, stored: stored, made: made, by: current, in: tx)
        }
    }

    /// The role a registration or a change gives the target, which the rule checks too.
    private static func newRole(of order: AdministrationOrder) -> Role? {
        switch order {
        case .register(let user): user.role
        case .change(let change): change.role
        default: nil
        }
    }

    /// Checks what the actor typed and makes the secrets the order needs, hashed with no
    /// transaction open (bcrypt holds no lock), before the 確認用パスワード is counted.
    private func prepare(_ order: AdministrationOrder, on target: UserKey) async throws -> AdministrationSecrets {
        var made = AdministrationSecrets()
        switch order {
        case .register(let request):
            _ = try DisplayName.checked(request.name)
            if let password = request.password { try NewUser.checkPassword(password) }
            made.loginPassword = try await secret(request.password ?? GeneratedSecret.password(), shown: request.password == nil)
            if request.role == .admin { made.confirmationPassword = try await secret(GeneratedSecret.password(), shown: true) }
        case .change(let change):
            _ = try change.name.map(DisplayName.checked)
            let current = try await store.read { try await $0.user(target) }
            if change.role == .admin, current?.role != .admin {
                made.confirmationPassword = try await secret(GeneratedSecret.password(), shown: true)
            }
        case .resetLoginPassword:
            made.loginPassword = try await secret(GeneratedSecret.password(), shown: true)
        case .reissueCertificate:
            let lifetime = TimeInterval(customerAdministration.reissueCodeLifetimeHours) * 3_600
            made.code = try await newActivationCode(for: target, lifetime: lifetime)
        case .delete, .stop, .resume, .unlock, .revokeCertificate:
            break
        }
        return made
    }

    /// A secret and its hash; `shown` when the result page is to show it (a password the actor
    /// typed is not shown back).
    private func secret(_ text: String, shown: Bool) async throws -> MadeSecret {
        MadeSecret(text: shown ? text : "", hash: try await hasher.hashPassword(text))
    }

    /// The action itself, inside the settling transaction: the same steps the bank's own calls
    /// take, one `user.administered` entry saying who did it, and the notices.
    private func carryOut(
        _ order: AdministrationOrder, on target: UserKey, stored: User?, made: AdministrationSecrets, by actor: User,
        in tx: any StoreTransaction
    ) async throws -> AdministrationResult {
        let now = clock()
        let by = "user:\(actor.key)"
        var revoked: CertificateRecord?
        switch order {
        case .register(let request):
            let user = try User(
                key: target, name: request.name, role: request.role, email: request.email,
                passwordHash: made.loginPassword?.hash ?? "", createdAt: now, language: request.language, passwordChangeRequired: true)
            try await Self.insert(user, actor: by, in: tx)
        case .change(let change):
            _ = try await Self.change(target, change, actor: by, at: now, in: tx)
        case .delete:
            revoked = try await revokeValidCertificate(of: target, reason: .cessationOfOperation, actor: by, at: now, in: tx)
            _ = try await tx.voidActivationCodes(of: target)
            try await tx.setStatus(.deleted, of: target)
            try await tx.appendAudit(AuditEntry(actor: by, action: .userDeleted, target: "user:\(target)"), at: now)
        case .stop:
            try await Self.stop(target, actor: by, at: now, in: tx)
        case .resume:
            try await Self.resume(target, actor: by, at: now, in: tx)
        case .unlock:
            try await Self.unlock(target, actor: by, at: now, in: tx)
        case .resetLoginPassword:
            try await tx.setPassword(hash: made.loginPassword?.hash ?? "", changeRequired: true, of: target)
            try await tx.appendAudit(AuditEntry(actor: by, action: .loginPasswordReset, target: "user:\(target)"), at: now)
            if stored?.status == .locked {
                try await tx.setStatus(.active, of: target)
                try await tx.appendAudit(AuditEntry(actor: by, action: .userUnlocked, target: "user:\(target)"), at: now)
            }
        case .revokeCertificate(let serial, let reason):
            let serial = try SerialText.normalize(serial)
            guard try await tx.certificate(serial: serial)?.owner == target else { throw ShomeiError.certificateNotFound(serial) }
            revoked = try await revoke(serial: serial, reason: reason, actor: by, at: now, in: tx)
        case .reissueCertificate:
            revoked = try await revokeValidCertificate(of: target, reason: .superseded, actor: by, at: now, in: tx)
            if let code = made.code { _ = try await record(code, actor: by, in: tx) }
        }
        if let confirmation = made.confirmationPassword {
            try await tx.setConfirmationPassword(hash: confirmation.hash, of: target, at: now)
            try await tx.appendAudit(AuditEntry(actor: by, action: .confirmationPasswordSet, target: "user:\(target)"), at: now)
        }
        guard let after = try await tx.user(target) else { throw ShomeiError.userNotFound(target) }
        // Demoted to 一般, or deleted: the 確認用パスワード is of no use and is not kept.
        if after.status == .deleted || !ConfirmationPasswordRecord.isHeld(by: after.role) {
            _ = try await tx.deleteConfirmationPassword(of: target)
        }
        let entry = try await tx.appendAudit(
            AuditEntry(actor: by, action: .userAdministered, target: "user:\(target)",
                       details: ["action": order.action.rawValue, "serial": revoked?.serial ?? ""]),
            at: now)
        try await notices.enqueueAdministration(
            order.action, target: after, actor: actor, revokedSerial: revoked?.serial, sequence: entry.sequence, time: now, in: tx)
        return AdministrationResult(
            target: after, revoked: revoked, loginPassword: made.loginPassword?.text.nilIfEmpty,
            confirmationPassword: made.confirmationPassword?.text,
            activationCode: made.code.map { ($0.code, $0.record.expiresAt) })
    }

    /// Revokes the user's valid certificate, if there is one.
    private func revokeValidCertificate(
        of user: UserKey, reason: RevocationReason, actor: String, at now: Date, in tx: any StoreTransaction
    ) async throws -> CertificateRecord? {
        guard let valid = try await tx.validCertificate(of: user) else { return nil }
        return try await revoke(serial: valid.serial, reason: reason, actor: actor, at: now, in: tx)
    }
}

/// The secrets one 管理 action makes (`RegistrationAuthority.administer`).
struct AdministrationSecrets: Sendable {
    var loginPassword: MadeSecret?
    var confirmationPassword: MadeSecret?
    var code: (code: String, record: ActivationCode)?
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
