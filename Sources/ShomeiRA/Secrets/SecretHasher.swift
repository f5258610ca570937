import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Synchronization
#if os(Linux)
import Glibc
#endif

/// Hashes and checks passwords and activation codes with bcrypt, on threads of its own.
///
/// bcrypt at the password cost takes about a quarter second of one core, by design. On Swift's
/// cooperative threads (one per core) a few logins at once would stall every other task —
/// database replies, signing, other requests — for that long; here each hash waits for one of
/// `threads` dedicated threads instead, and the cooperative pool stays free. Those threads run
/// at a lower scheduling priority (nice 10, on Linux where the nice value is per thread): bcrypt
/// is throughput work that takes whatever CPU is idle, while an EST request, a page or a
/// database reply arriving meanwhile is served first instead of waiting out a time slice.
/// bcrypt's check (OpenBSD `bcrypt_checkpass`) compares in constant time.
public final class SecretHasher: Sendable {
    /// bcrypt cost for passwords: 2^12 rounds, about a quarter second per check.
    public let passwordCost: UInt8
    /// Activation codes are short-lived and attempt-limited, so a lower cost is enough.
    public let codeCost: UInt8
    private let pool: NIOThreadPool
    /// A hash of nothing at the password cost: what a try that names no account is checked
    /// against, so that it takes as long as a wrong password does. Made by the first such try
    /// (making it costs what checking it does), so no command pays for it at start-up.
    private let decoy = Mutex<String?>(nil)

    public init(passwordCost: UInt8 = 12, codeCost: UInt8 = 10, threads: Int = System.coreCount) {
        self.passwordCost = passwordCost
        self.codeCost = codeCost
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    deinit {
        pool.shutdownGracefully { _ in }
    }

    func hashPassword(_ password: String) async throws -> String {
        try await background { [passwordCost] in Bcrypt.hash(password, cost: passwordCost) }
    }

    func hashCode(_ code: String) async throws -> String {
        try await background { [codeCost] in Bcrypt.hash(code, cost: codeCost) }
    }

    func verify(_ secret: String, hash: String) async throws -> Bool {
        try await background { Bcrypt.verify(secret, hash: hash) }
    }

    /// Runs `work` on one of the hasher's threads, at its lower priority.
    private func background<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await pool.runIfActive {
            #if os(Linux)
            // `who` 0 is the calling thread on Linux; raising one's own nice value needs no privilege.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.nice)
            #endif
            return work()
        }
    }

    static let nice: Int32 = 10

    /// Spends the time of a password check on a try that has no account to check against.
    func verifyNothing(_ secret: String) async throws {
        if let decoy = decoy.withLock({ $0 }) {
            _ = try await verify(secret, hash: decoy)
        } else {
            let made = try await hashPassword(GeneratedSecret.password())
            decoy.withLock { $0 = $0 ?? made }
        }
    }
}
