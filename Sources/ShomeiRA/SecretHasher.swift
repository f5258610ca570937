import HummingbirdBcrypt

/// Hashes and checks passwords and activation codes with bcrypt.
///
/// bcrypt's check (OpenBSD `bcrypt_checkpass`) compares in constant time, so a wrong guess
/// takes as long whether it shares a prefix with the secret or not.
public struct SecretHasher: Sendable {
    /// bcrypt cost for passwords: 2^12 rounds, about a quarter second per login check.
    public var passwordCost: UInt8
    /// Activation codes are short-lived and attempt-limited, so a lower cost keeps the
    /// transaction that checks one short.
    public var codeCost: UInt8

    public init(passwordCost: UInt8 = 12, codeCost: UInt8 = 10) {
        self.passwordCost = passwordCost
        self.codeCost = codeCost
    }

    func hashPassword(_ password: String) -> String { Bcrypt.hash(password, cost: passwordCost) }
    func hashCode(_ code: String) -> String { Bcrypt.hash(code, cost: codeCost) }
    func verify(_ secret: String, hash: String) -> Bool { Bcrypt.verify(secret, hash: hash) }
}
