import struct Foundation.Date
import ShomeiDomain

/// The bank's API clients (`APIClient`).
public protocol APIClientReads: Sendable {
    /// The client whose token hashes to this, revoked or not.
    func apiClient(tokenSHA256: String) async throws -> APIClient?
    func apiClient(named name: APIClientName) async throws -> APIClient?
    /// Every client, by name.
    func apiClients() async throws -> [APIClient]
}

public protocol APIClientWrites: APIClientReads {
    func insert(_ client: APIClient) async throws
    /// False when there is no such client or it was revoked before.
    func revokeAPIClient(_ name: APIClientName, at time: Date) async throws -> Bool
}

/// An answer kept for an `Idempotency-Key`: the first request claims the key, the answer is
/// kept once it is known, and a retry with the same key reads it back.
public struct IdempotentAnswer: Sendable, Equatable {
    /// Hexadecimal SHA-256 over the request's method, path and body.
    public let requestSHA256: String
    /// Nil while the first request is still being answered.
    public let status: Int?
    public let body: String?

    public init(requestSHA256: String, status: Int?, body: String?) {
        self.requestSHA256 = requestSHA256
        self.status = status
        self.body = body
    }
}

public protocol IdempotencyReads: Sendable {
    func idempotentAnswer(client: String, key: String) async throws -> IdempotentAnswer?
}

public protocol IdempotencyWrites: IdempotencyReads {
    /// Claims the key for a request; false when it was claimed before.
    func claimIdempotencyKey(client: String, key: String, requestSHA256: String, at time: Date) async throws -> Bool
    func keepIdempotentAnswer(client: String, key: String, status: Int, body: String) async throws
    /// Gives a claim back (the request failed in a way a retry may fix).
    func releaseIdempotencyKey(client: String, key: String) async throws
    /// Forgets answers claimed before `time`; returns how many.
    func purgeIdempotentAnswers(before time: Date) async throws -> Int
}
