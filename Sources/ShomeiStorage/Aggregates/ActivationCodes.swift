import ShomeiDomain

/// One-time activation codes for first issuance and the bank's re-issue.
public protocol ActivationCodeReads: Sendable {
    /// The user's newest activation code that has not been used.
    func unusedActivationCode(of user: UserKey) async throws -> ActivationCode?
}

public protocol ActivationCodeWrites: ActivationCodeReads {
    /// The user's newest unused code, kept locked until the transaction ends, so two tries at
    /// once are counted one after the other.
    func lockUnusedActivationCode(of user: UserKey) async throws -> ActivationCode?
    /// Stores a new code and voids the user's earlier unused ones: only the newest code works.
    func replaceActivationCode(with code: ActivationCode) async throws
    /// Voids the user's unused codes; returns how many there were.
    func voidActivationCodes(of user: UserKey) async throws -> Int
    /// Takes one of the code's tries before the code is checked (a spent code needs none).
    func takeActivationCodeTry(id: String) async throws
}
