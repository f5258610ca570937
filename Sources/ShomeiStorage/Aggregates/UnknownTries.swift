import struct Foundation.Date

/// Tries at names that have no account (an unknown contract or user ID, an unknown staff ID),
/// counted like a real account's so that the answers count down and lock alike and a guesser
/// cannot tell which IDs exist. Keyed by a hash of the name; rows are purged after a while.
public protocol UnknownTryReads: Sendable {
    /// Tries taken so far at the name (0 when none).
    func unknownTries(name: String) async throws -> Int
}

public protocol UnknownTryWrites: UnknownTryReads {
    /// Counts one more try at the name; returns how many are counted now.
    func takeUnknownTry(name: String, at time: Date) async throws -> Int
    /// Forgets names last tried before `time`; returns how many.
    func purgeUnknownTries(before time: Date) async throws -> Int
}
