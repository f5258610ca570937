import Foundation
import ShomeiDomain
import ShomeiStorage

/// 確認用パスワード (`ConfirmationPasswordRecord`): set by the bank for a master (and later by
/// a master for an administrator, issue #17), checked through the one secret check.
extension RegistrationAuthority {
    /// Sets (or resets, which also unlocks) the user's 確認用パスワード; returns the generated one
    /// when none was given. Only masters and administrators hold one, and it must differ from
    /// the login password (checked with bcrypt before any transaction opens).
    public func setConfirmationPassword(_ password: String?, for key: UserKey, actor: String) async throws -> String? {
        if let password { try NewUser.checkPassword(password) }
        let chosen = password ?? GeneratedSecret.password()
        guard let user = try await store.read({ try await $0.user(key) }) else { throw ShomeiError.userNotFound(key) }
        guard ConfirmationPasswordRecord.isHeld(by: user.role) else { throw ShomeiError.administrationRefused(.notAdministrator) }
        guard try await !hasher.verify(chosen, hash: user.passwordHash) else { throw ShomeiError.confirmationPasswordSameAsLogin }
        let hash = try await hasher.hashPassword(chosen)
        let now = clock()
        try await store.write { tx in
            guard try await tx.user(key) != nil else { throw ShomeiError.userNotFound(key) }
            try await tx.setConfirmationPassword(hash: hash, of: key, at: now)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .confirmationPasswordSet, target: "user:\(key)"), at: now)
        }
        return password == nil ? chosen : nil
    }

    /// The user, when `typed` is their 確認用パスワード; a wrong one is counted and locks it at
    /// the limit (the login password's limit, counted apart).
    public func checkConfirmationPassword(_ typed: String, of key: UserKey) async throws -> User {
        try await secrets.check(typed, against: ConfirmationPasswordSecret(user: key, lockout: lockout))
    }
}
