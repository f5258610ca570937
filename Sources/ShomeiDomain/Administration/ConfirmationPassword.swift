import struct Foundation.Date

/// A マスター's or 管理者's 確認用パスワード (confirmation password): a second secret, apart from
/// the login password, that every 管理 action asks for on its confirmation page, so a session
/// left open (or a login password someone watched) is not enough to change users. Only its
/// bcrypt hash is kept; it has its own count of wrong tries and its own lock, and the bank
/// sets it again to unlock it (`RegistrationAuthority.setConfirmationPassword`).
public struct ConfirmationPasswordRecord: Sendable, Equatable {
    public let owner: UserKey
    public let hash: String
    /// Wrong tries in a row (and tries in flight) since it was set or last right.
    public let failedAttempts: Int
    /// Set when the last allowed try was wrong; nil while it may be used.
    public let lockedAt: Date?
    public let setAt: Date

    public init(owner: UserKey, hash: String, failedAttempts: Int, lockedAt: Date?, setAt: Date) {
        self.owner = owner
        self.hash = hash
        self.failedAttempts = failedAttempts
        self.lockedAt = lockedAt
        self.setAt = setAt
    }

    /// Who has one: the users who administer (`CustomerAdministration`).
    public static func isHeld(by role: Role) -> Bool { CustomerAdministration.administers(role) }
}
