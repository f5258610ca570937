import struct Foundation.Date

/// How one-time activation codes (first-issuance codes delivered out of band) behave.
public struct ActivationCodePolicy: Sendable, Codable, Equatable {
    /// How long a code stays usable after the bank issues it.
    public var lifetimeSeconds: Int
    /// Wrong tries after which the code is dead and the bank must issue a new one.
    public var maxAttempts: Int
    /// Digits in a code; 12 digits give 40 bits, with `maxAttempts` tries guessing is hopeless.
    public var digits: Int

    public init(lifetimeSeconds: Int = 14 * 24 * 3600, maxAttempts: Int = 5, digits: Int = 12) {
        self.lifetimeSeconds = lifetimeSeconds
        self.maxAttempts = maxAttempts
        self.digits = digits
    }

    /// The lockout rule for codes: a code with `maxAttempts` wrong tries is dead.
    public var lockout: Lockout { Lockout(maxAttempts: maxAttempts) }
}

/// An activation code as stored: only its hash, never the code.
public struct ActivationCode: Sendable, Codable, Equatable {
    public let id: String
    public let owner: UserKey
    /// A bcrypt hash of the code: a stolen database does not give the codes away.
    public let codeHash: String
    public let issuedAt: Date
    public let expiresAt: Date
    public var failedAttempts: Int
    public var usedAt: Date?

    public init(
        id: String, owner: UserKey, codeHash: String, issuedAt: Date, expiresAt: Date,
        failedAttempts: Int = 0, usedAt: Date? = nil
    ) {
        self.id = id
        self.owner = owner
        self.codeHash = codeHash
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.failedAttempts = failedAttempts
        self.usedAt = usedAt
    }

    /// Why this code cannot be used at `now`, before even comparing what was typed.
    public func unusableReason(at now: Date, policy: ActivationCodePolicy) -> ShomeiError? {
        if usedAt != nil { return .activationCodeUsed }
        if !policy.lockout.admits(taken: failedAttempts + 1) { return .activationCodeLocked }
        if now >= expiresAt { return .activationCodeExpired }
        return nil
    }
}
