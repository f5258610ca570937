import Foundation
import ShomeiDomain

/// Masters' and administrators' 確認用パスワード (`ConfirmationPasswordRecord`).
public protocol ConfirmationPasswordReads: Sendable {
    func confirmationPassword(of user: UserKey) async throws -> ConfirmationPasswordRecord?
}

public protocol ConfirmationPasswordWrites: ConfirmationPasswordReads {
    /// Sets (or replaces) the hash, clearing the count of wrong tries and the lock.
    func setConfirmationPassword(hash: String, of user: UserKey, at time: Date) async throws
    /// Takes one try before the password is checked; returns how many are taken now.
    func takeConfirmationTry(of user: UserKey) async throws -> Int
    func clearConfirmationTries(of user: UserKey) async throws
    func lockConfirmationPassword(of user: UserKey, at time: Date) async throws
}
