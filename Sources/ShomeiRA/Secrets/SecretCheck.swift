import Foundation
import ShomeiDomain
import ShomeiStorage

/// The one way every typed secret is checked — portal and staff login passwords, the password
/// and activation code of an issuance, the 確認用パスワード of a 管理 action — so no lock is ever
/// held through bcrypt:
///
/// 1. **Take a try**, in a short transaction: the holder is read (refused when locked, disabled,
///    used or expired) and the try is counted before anything is compared (`Lockout`).
/// 2. **Check** the typed secret with bcrypt, with no transaction open, on the hasher's threads.
/// 3. **Settle**, in a second short transaction: right clears the count (and commits whatever the
///    caller adds, such as the login's audit entry; when that fails, the count is still cleared);
///    wrong is audited and locks at the limit.
///
/// A try that names nobody is counted at that name (`UnknownTryWrites`), checked against a decoy
/// hash and refused as a wrong secret is: same words, same countdown, the same lock at the limit,
/// the same time, so a guesser cannot tell which IDs exist.
struct SecretCheck: Sendable {
    let store: any Store
    let hasher: SecretHasher
    let clock: @Sendable () -> Date

    /// The holder, when `typed` is right; `commit` runs in the settling transaction.
    func check<Secret: TypedSecret, Result: Sendable>(
        _ typed: String, against secret: Secret,
        committing commit: @escaping @Sendable (Secret.Holder, any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        let taken = try await store.write { [clock] tx in try await secret.takeTry(in: tx, at: clock()) }
        switch taken {
        case .refused(let refusal):
            throw refusal
        case .unknown(let taken):
            try await hasher.verifyNothing(typed)
            throw try await store.write { [clock] tx in try await secret.refuseUnknown(after: taken, in: tx, at: clock()) }
        case .tried(let attempt):
            guard try await hasher.verify(typed, hash: attempt.hash) else {
                throw try await store.write { [clock] tx in try await secret.settleWrong(attempt, in: tx, at: clock()) }
            }
            do {
                return try await store.write { tx in
                    try await secret.settleRight(attempt, in: tx)
                    return try await commit(attempt.holder, tx)
                }
            } catch {
                // The secret was right: its try is given back even though what it was for failed
                // (a stale form, a revoked certificate), or it would count toward the lock.
                try? await store.write { tx in try await secret.settleRight(attempt, in: tx) }
                throw error
            }
        }
    }

    /// The holder, when `typed` is right.
    func check<Secret: TypedSecret>(_ typed: String, against secret: Secret) async throws -> Secret.Holder {
        try await check(typed, against: secret) { holder, _ in holder }
    }
}

/// A secret someone types, with how its tries are taken and settled (`SecretCheck`).
protocol TypedSecret: Sendable {
    associatedtype Holder: Sendable

    /// Reads the holder and counts this try. Throws (writing nothing) when the try must wait for
    /// others in flight or cannot be made at all; returns `.refused` for a refusal it audited.
    func takeTry(in tx: any StoreTransaction, at now: Date) async throws -> TakenTry<Holder>
    /// A right secret: the count is cleared where it is kept.
    func settleRight(_ attempt: SecretTry<Holder>, in tx: any StoreTransaction) async throws
    /// A wrong secret: audited, and the holder locked when it was the last try; the refusal to give.
    func settleWrong(_ attempt: SecretTry<Holder>, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError
    /// The `taken`-th try for nobody: audited like a wrong one; the refusal a wrong secret gets.
    func refuseUnknown(after taken: Int, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError
}

/// What taking a try found.
enum TakenTry<Holder: Sendable>: Sendable {
    case tried(SecretTry<Holder>)
    /// No such holder: the `taken`-th try at the name.
    case unknown(taken: Int)
    /// Refused before any comparison, and audited.
    case refused(ShomeiError)

    /// A try at a name without an account, counted and judged by the lockout exactly as one with
    /// an account: refused as locked once its tries are used up (before any hash is checked, as a
    /// locked account is), and waiting for the others beyond the limit.
    static func unknown(
        _ name: String, in tx: any StoreTransaction, at now: Date, within lockout: Lockout, lockedOut: ShomeiError
    ) async throws -> Self {
        guard lockout.admits(taken: try await tx.unknownTries(name: name) + 1) else { return .refused(lockedOut) }
        let taken = try await tx.takeUnknownTry(name: name, at: now)
        guard lockout.admits(taken: taken) else { throw ShomeiError.issuanceContended }
        return .unknown(taken: taken)
    }

    /// The try just counted as the `taken`-th, if the lockout admits it. Every try in flight holds
    /// one of the remaining ones; with none left this one waits for the others to finish (the
    /// holder is not locked unless they were wrong), and the thrown refusal rolls the count back.
    static func counted(_ holder: Holder, hash: String, taken: Int, within lockout: Lockout) throws -> Self {
        guard lockout.admits(taken: taken) else { throw ShomeiError.issuanceContended }
        return .tried(SecretTry(holder: holder, hash: hash, taken: taken))
    }
}

/// One counted try: whose, the stored hash, and how many tries are counted with this one.
struct SecretTry<Holder: Sendable>: Sendable {
    let holder: Holder
    let hash: String
    let taken: Int
}
