import struct Foundation.Date

/// A user (利用者) of a contract: one login identity, which holds at most one valid certificate.
public struct User: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case active
        /// Disabled by the bank: cannot log in, cannot obtain a certificate.
        case disabled
        /// Locked after too many wrong passwords, until the bank (or a 管理者) unlocks it.
        case locked
        /// 利用者削除: gone for every purpose but the audit trail. The row stays (certificates
        /// and audit entries name it), so the ID is not given again; a login with it reads
        /// exactly like one with an ID that never existed.
        case deleted
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
    /// The login password was set by someone else (a 管理者's 利用者登録 or ログインパスワード初期化):
    /// the next login goes to パスワード変更 before anything else.
    public let passwordChangeRequired: Bool
    /// When the user last logged in to the portal (利用者一覧's 最終ログイン); nil: never.
    public let lastLoginAt: Date?

    public init(
        key: UserKey, name: String, role: Role, email: EmailAddress,
        passwordHash: String, status: Status = .active, createdAt: Date, language: Language = .japanese,
        passwordChangeRequired: Bool = false, lastLoginAt: Date? = nil
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
        self.passwordChangeRequired = passwordChangeRequired
        self.lastLoginAt = lastLoginAt
    }
}
