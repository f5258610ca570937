import Foundation
import ShomeiDomain
import Synchronization
import X509

/// A key on the bank's HSM for a process that runs for months (`serve`). An HSM that restarts,
/// or a network HSM whose connection drops, ends the session: PKCS#11 then answers
/// `CKR_SESSION_HANDLE_INVALID`, `CKR_SESSION_CLOSED`, `CKR_DEVICE_REMOVED` or
/// `CKR_TOKEN_NOT_PRESENT` (`TokenProblem.tokenAbsent`) to every call on it. Instead of failing
/// every issuance until a restart, a signature that finds the session gone opens the key again —
/// the old session closed, a new one, a login with the PIN read again, the key found by its
/// CKA_ID, since object handles need not survive their session — and is tried once more on it.
///
/// One opening at a time and at most one per `retryInterval`, outside the lock signatures
/// read the pair under: while the HSM is away, signatures fail at once as `tokenAbsent` (503,
/// try again) rather than queueing for connection attempts. A refused PIN is not tried again
/// until restart: each try would count towards locking the HSM. A key found with another public
/// key is refused, like a replaced key at start.
public final class ReopeningTokenKey: Sendable {
    private struct State {
        var pair: TokenKeyPair
        var lastOpening: ContinuousClock.Instant?
        var refusedPIN: ShomeiError?
    }

    /// The shortest time between two openings.
    public static let retryInterval = Duration.seconds(1)

    private let open: @Sendable () throws -> TokenKeyPair
    private let state: Mutex<State>

    /// Opens the key with `open`, which is called again each time the session is lost.
    public init(open: @escaping @Sendable () throws -> TokenKeyPair) throws {
        self.open = open
        state = Mutex(State(pair: try open()))
    }

    /// The pair signatures go to now.
    public var pair: TokenKeyPair { state.withLock { $0.pair } }

    /// For swift-certificates: every signature to the pair of the moment.
    public var privateKey: Certificate.PrivateKey { Certificate.PrivateKey(TokenPrivateKey(signer: self)) }

    func sign(_ bytes: some DataProtocol, _ algorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        let used = pair
        do {
            return try used.sign(bytes, algorithm)
        } catch ShomeiError.token(.tokenAbsent) {
            return try reopened(after: used).sign(bytes, algorithm)
        }
    }

    /// A new pair in place of `lost`, or the one another signature opened meanwhile.
    private func reopened(after lost: TokenKeyPair) throws -> TokenKeyPair {
        let now = ContinuousClock.now
        let claimed = try state.withLock { (state) throws -> TokenKeyPair? in
            guard state.pair.session === lost.session else { return state.pair }
            if let refusal = state.refusedPIN { throw refusal }
            if let last = state.lastOpening, now - last < Self.retryInterval { throw ShomeiError.token(.tokenAbsent(label: "")) }
            state.lastOpening = now
            return nil
        }
        if let claimed { return claimed }
        lost.session.close()
        let fresh: TokenKeyPair
        do {
            fresh = try open()
        } catch let refusal as ShomeiError where Self.isPINRefusal(refusal) {
            state.withLock { $0.refusedPIN = refusal }
            throw refusal
        }
        guard fresh.publicKey == lost.publicKey else {
            throw ShomeiError.token(.objectNotFound("id=\(lost.id.hexEncoded) with the public key it had"))
        }
        return state.withLock { state in
            state.pair = fresh
            return fresh
        }
    }

    private static func isPINRefusal(_ error: ShomeiError) -> Bool {
        switch error {
        case .token(.pinIncorrect), .token(.pinLocked), .token(.pinLength): true
        default: false
        }
    }
}
extension ReopeningTokenKey: TokenSigner {
    var currentPair: TokenKeyPair { pair }

    /// The same key object: each is its own serving key.
    public static func == (a: ReopeningTokenKey, b: ReopeningTokenKey) -> Bool { a === b }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
