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
    /// Forgets it (a user who no longer administers, or is deleted); false when there was none.
    func deleteConfirmationPassword(of user: UserKey) async throws -> Bool
    /// Locks it if at least `tries` wrong tries are still counted: false when it was set again
    /// meanwhile (the count starts over), so a try made against the old one cannot lock the new.
    func lockConfirmationPassword(of user: UserKey, at time: Date, ifTriesAtLeast tries: Int) async throws -> Bool
}
