import Crypto
import Foundation
import ShomeiDomain
import ShomeiStorage

/// `Idempotency-Key` for the bank API's POSTs: a request sent again with the same key and the
/// same body gets the first answer instead of acting twice (a core-banking batch that timed out
/// and retries must not register a user or revoke a certificate twice).
///
/// The first request claims the key before it acts, so a retry that arrives while it is still
/// running is told to wait (`idempotencyKeyInFlight`) rather than act beside it; the answer is
/// kept when it is known. An answer that says the request could not be carried out for the
/// moment (5xx) is not kept: the claim is given back and the retry acts. Answers are kept for
/// `retention` (24 hours, as Stripe and the IETF draft suggest), then purged.
public struct IdempotencyKeeper: Sendable {
    let store: any Store
    let clock: @Sendable () -> Date
    public let retention: Duration

    public init(store: any Store, retention: Duration = .seconds(86_400), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.retention = retention
        self.clock = clock
    }

    /// What to do with a request that carries a key.
    public enum Decision: Sendable, Equatable {
        /// The key is now this request's: act, then `keep` or `release`.
        case proceed
        /// The same request was answered before: send this again.
        case replay(status: Int, body: String)
    }

    /// Claims the key for this request, or finds the first answer. A different request under the
    /// same key is refused (`idempotencyKeyReused`), one still running too (`idempotencyKeyInFlight`).
    public func begin(client: APIClient, key: String, method: String, path: String, body: [UInt8]) async throws -> Decision {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ShomeiError.requestParameterInvalid("Idempotency-Key")
        }
        let request = Self.fingerprint(method: method, path: path, body: body)
        let name = client.name.rawValue
        let now = clock()
        return try await store.write { tx in
            if try await tx.claimIdempotencyKey(client: name, key: key, requestSHA256: request, at: now) { return .proceed }
            guard let kept = try await tx.idempotentAnswer(client: name, key: key) else { throw ShomeiError.idempotencyKeyInFlight }
            guard kept.requestSHA256 == request else { throw ShomeiError.idempotencyKeyReused }
            guard let status = kept.status, let body = kept.body else { throw ShomeiError.idempotencyKeyInFlight }
            return .replay(status: status, body: body)
        }
    }

    public func keep(client: APIClient, key: String, status: Int, body: String) async throws {
        try await store.write { try await $0.keepIdempotentAnswer(client: client.name.rawValue, key: key, status: status, body: body) }
    }

    public func release(client: APIClient, key: String) async throws {
        try await store.write { try await $0.releaseIdempotencyKey(client: client.name.rawValue, key: key) }
    }

    /// Forgets answers older than `retention` (a scheduled job).
    @discardableResult
    public func purge() async throws -> Int {
        let before = clock().addingTimeInterval(-TimeInterval(retention.components.seconds))
        return try await store.write { try await $0.purgeIdempotentAnswers(before: before) }
    }

    /// What makes two requests the same: method, path and body — a JSON body in canonical form
    /// (keys sorted), since a client's serialiser may order an object's members differently on a
    /// retry (Foundation's does), and that is still the same request.
    static func fingerprint(method: String, path: String, body: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(data: Data("\(method.utf8.count):\(method)\n\(path.utf8.count):\(path)\n".utf8))
        hash.update(data: canonical(body))
        return hash.finalize().hexEncoded
    }

    /// The body with a JSON object's members sorted at every depth; any other body as it came.
    static func canonical(_ body: [UInt8]) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
              let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        else { return Data(body) }
        return sorted
    }
}
