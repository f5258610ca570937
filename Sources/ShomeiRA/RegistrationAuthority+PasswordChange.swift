import Foundation
import ShomeiDomain
import ShomeiStorage

/// パスワード変更 and 確認用パスワード変更: a user changes their own secrets, proving the current
/// one through the one secret check (a wrong one is counted toward that secret's lock). The new
/// one is hashed, and compared with the user's other secret, before any transaction opens; that
/// it is the same is said only after the current one is proved.
extension RegistrationAuthority {
    /// Changes the user's login password; clears the obligation to change it (after an initial
    /// password or a ログインパスワード初期化).
    public func changeLoginPassword(of key: UserKey, current: String, new: String) async throws {
        try Self.checkNewPassword(new, replacing: current)
        let confirmation = try await store.read { try await $0.confirmationPassword(of: key) }
        // Said only once `current` is proved: before, it would tell a guesser the other password.
        var sameAsConfirmation = false
        if let confirmation { sameAsConfirmation = try await hasher.verify(new, hash: confirmation.hash) }
        let hash = try await hasher.hashPassword(new)
        try await secrets.check(current, against: LoginPassword(user: key, lockout: lockout)) { [clock, sameAsConfirmation] (_: User, tx: any StoreTransaction) in
            if sameAsConfirmation { throw ShomeiError.confirmationPasswordSameAsLogin }
            try await tx.setPassword(hash: hash, changeRequired: false, of: key)
            try await tx.appendAudit(AuditEntry(actor: "user:\(key)", action: .loginPasswordChanged, target: "user:\(key)"), at: clock())
        }
    }

    /// Changes a master's or administrator's own 確認用パスワード.
    public func changeConfirmationPassword(of key: UserKey, current: String, new: String) async throws {
        try Self.checkNewPassword(new, replacing: current)
        guard let user = try await store.read({ try await $0.user(key) }) else { throw ShomeiError.userNotFound(key) }
        let sameAsLogin = try await hasher.verify(new, hash: user.passwordHash)
        let hash = try await hasher.hashPassword(new)
        try await secrets.check(current, against: ConfirmationPasswordSecret(user: key, lockout: lockout)) {
            [clock] (_: User, tx: any StoreTransaction) in
            if sameAsLogin { throw ShomeiError.confirmationPasswordSameAsLogin }
            let now = clock()
            try await tx.setConfirmationPassword(hash: hash, of: key, at: now)
            try await tx.appendAudit(AuditEntry(actor: "user:\(key)", action: .confirmationPasswordChanged, target: "user:\(key)"), at: now)
        }
    }

    private static func checkNewPassword(_ new: String, replacing current: String) throws {
        guard !current.isEmpty else { throw ShomeiError.formFieldMissing("currentPassword") }
        try NewUser.checkPassword(new)
        guard new != current else { throw ShomeiError.passwordUnchanged }
    }
}
