import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// Hashes and checks passwords and activation codes with bcrypt, on threads of its own.
///
/// bcrypt at the password cost takes about a quarter second of one core, by design. On Swift's
/// cooperative threads (one per core) a few logins at once would stall every other task —
/// database replies, signing, other requests — for that long; here each hash waits for one of
/// `threads` dedicated threads instead, and the cooperative pool stays free. bcrypt's check
/// (OpenBSD `bcrypt_checkpass`) compares in constant time.
public final class SecretHasher: Sendable {
    /// bcrypt cost for passwords: 2^12 rounds, about a quarter second per check.
    public let passwordCost: UInt8
    /// Activation codes are short-lived and attempt-limited, so a lower cost is enough.
    public let codeCost: UInt8
    private let pool: NIOThreadPool
    /// A hash of nothing at the password cost: what a try that names no account is checked
    /// against, so that it takes as long as a wrong password does.
    private let decoy: String

    public init(passwordCost: UInt8 = 12, codeCost: UInt8 = 10, threads: Int = System.coreCount) {
        self.passwordCost = passwordCost
        self.codeCost = codeCost
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        decoy = Bcrypt.hash(GeneratedSecret.password(), cost: passwordCost)
    }

    deinit {
        pool.shutdownGracefully { _ in }
    }

    func hashPassword(_ password: String) async throws -> String {
        try await pool.runIfActive { [passwordCost] in Bcrypt.hash(password, cost: passwordCost) }
    }

    func hashCode(_ code: String) async throws -> String {
        try await pool.runIfActive { [codeCost] in Bcrypt.hash(code, cost: codeCost) }
    }

    func verify(_ secret: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(secret, hash: hash) }
    }

    /// Spends the time of a password check on a try that has no account to check against.
    func verifyNothing(_ secret: String) async throws {
        _ = try await verify(secret, hash: decoy)
    }
}
