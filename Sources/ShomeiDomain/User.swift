import struct Foundation.Date

/// A user (利用者) of a contract: one login identity, which holds at most one valid certificate.
public struct User: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case active
        /// Disabled by the bank: cannot log in, cannot obtain a certificate.
        case disabled
        /// Locked after too many wrong passwords, until the bank unlocks it.
        case locked
    }

    public let key: UserKey
    /// 利用者名: shown on screens and in notices; not always a person's name.
    public let name: String
    public let role: Role
    public let email: EmailAddress
    /// A password hash in the hasher's self-describing format (never the password).
    public let passwordHash: String
    public var status: Status
    public let createdAt: Date
    /// The language of the user's e-mail notices (and, later, the portal's default).
    public let language: Language

    public init(
        key: UserKey, name: String, role: Role, email: EmailAddress,
        passwordHash: String, status: Status = .active, createdAt: Date, language: Language = .japanese
    ) throws(ShomeiError) {
        guard DisplayName.isValid(name) else { throw .invalidName(name) }
        self.key = key
        self.name = name
        self.role = role
        self.email = email
        self.passwordHash = passwordHash
        self.status = status
        self.createdAt = createdAt
        self.language = language
    }
}
