import Foundation
import ShomeiDomain
import ShomeiStorage

/// The customer's 管理 menu (issue #17), as far as it is built: 利用者一覧 and 証明書失効.
extension RegistrationAuthority {
    /// 利用者一覧: every user of the actor's own contract with its certificate's lifecycle state,
    /// and the contract's 管理 policy; refused for a user who does not administer
    /// (`CustomerAdministration.administers`).
    public func administeredUsers(
        by actor: User
    ) async throws -> (users: [(user: User, status: LifecycleStatus)], policy: CustomerAdministrationPolicy) {
        guard CustomerAdministration.administers(actor.role) else { throw ShomeiError.administrationRefused(.notAdministrator) }
        return try await store.read { reader in
            (try await lifecycles.users(of: actor.key.contractID, in: reader), try await policy(of: actor.key.contractID, in: reader))
        }
    }

    /// The contract's 管理 policy as it is stored now.
    func policy(of contract: ContractID, in reader: any StoreReader) async throws -> CustomerAdministrationPolicy {
        guard let contract = try await reader.contract(contract) else { throw ShomeiError.contractNotFound(contract) }
        return administrationPolicy(of: contract)
    }

    /// One user of the actor's own contract with its certificate's lifecycle state, from one read
    /// of that user only; nil when there is none (or the actor does not administer).
    public func administeredUser(_ target: UserKey, by actor: User) async throws -> (user: User, status: LifecycleStatus)? {
        guard CustomerAdministration.administers(actor.role), target.contractID == actor.key.contractID else { return nil }
        return try await store.read { reader in
            guard let user = try await reader.user(target) else { return nil }
            return (user, try await lifecycles.status(of: target, in: reader))
        }
    }

    /// Why `actor` may not take `action` on `target` (read for its role); nil when allowed. A
    /// user of another contract reads like one that does not exist.
    public func administrationRefusal(
        by actor: User, _ action: AdministrationAction, on target: UserKey
    ) async throws -> ShomeiError? {
        let found = try await store.read { reader -> (User, CustomerAdministrationPolicy)? in
            guard actor.key.contractID == target.contractID, let user = try await reader.user(target) else { return nil }
            return (user, try await policy(of: target.contractID, in: reader))
        }
        guard let (user, policy) = found else {
            return CustomerAdministration.administers(actor.role) ? .userNotFound(target) : .administrationRefused(.notAdministrator)
        }
        return CustomerAdministration.refusal(by: (actor.key, actor.role), action, on: target, role: user.role, policy: policy)
            .map(ShomeiError.administrationRefused)
    }

    /// 証明書失効 from the 管理 menu: the rule, then the actor's 確認用パスワード (counted, locking
    /// at the limit), then the target's certificate `serial` — the one the confirmation page
    /// showed — revoked at once, in the transaction that settles the password.
    public func revokeAsAdministrator(
        _ target: UserKey, serial: String, reason: RevocationReason, by actor: User, confirmationPassword: String
    ) async throws -> CertificateRecord {
        if let refusal = try await administrationRefusal(by: actor, .revokeCertificate, on: target) { throw refusal }
        guard RevocationReason.offeredToCustomers.contains(reason) else { throw ShomeiError.revocationReasonNotOffered(reason) }
        guard !confirmationPassword.isEmpty else { throw ShomeiError.formFieldMissing("confirmationPassword") }
        let serial = try SerialText.normalize(serial)
        let record = try await outcomes.refusals(.revocation(reason)) {
            try await secrets.check(confirmationPassword, against: ConfirmationPasswordSecret(user: actor.key, lockout: lockout)) {
                [clock, self] (current: User, tx: any StoreTransaction) in
                // The rule again, on the rows as they are now (a role changed since the page was read).
                guard let targetUser = try await tx.lockUser(target) else { throw ShomeiError.userNotFound(target) }
                let policy = try await policy(of: target.contractID, in: tx)
                if let refusal = CustomerAdministration.refusal(
                    by: (current.key, current.role), .revokeCertificate, on: target, role: targetUser.role, policy: policy) {
                    throw ShomeiError.administrationRefused(refusal)
                }
                guard try await tx.certificate(serial: serial)?.owner == target else { throw ShomeiError.certificateNotFound(serial) }
                return try await revoke(serial: serial, reason: reason, actor: "user:\(actor.key)", at: clock(), in: tx)
            }
        }
        await revocationsCommitted([reason])
        return record
    }
}
