import ShomeiDomain

/// A user the bank registers. Without a password, an initial one is generated and returned once.
public struct NewUser: Sendable {
    public let key: UserKey
    public let name: String
    public let role: Role
    public let email: EmailAddress
    public let password: String?
    public let language: Language

    public init(
        key: UserKey, name: String, role: Role, email: EmailAddress, password: String? = nil,
        language: Language = .japanese
    ) {
        self.language = language
        self.key = key
        self.name = name
        self.role = role
        self.email = email
        self.password = password
    }

    public static func checkPassword(_ password: String) throws(ShomeiError) {
        guard (8...128).contains(password.count) else { throw .invalidPassword }
    }
}
