import Crypto
import Foundation
import ShomeiDomain
import ShomeiStorage

/// Registers the bank's API clients and recognises them by their bearer token.
///
/// The token is made here, returned once, and only its SHA-256 is stored. A missing, unknown or
/// revoked token gets the same refusal (`apiTokenInvalid`) after the same single index lookup,
/// so an answer does not tell which one it was.
public struct APIClientRegistry: Sendable {
    let store: any Store
    let clock: @Sendable () -> Date

    /// Tokens start with this, so a secret scanner (or a person) recognises a leaked one.
    static let tokenPrefix = "shomei_"

    public init(store: any Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// A new client and its token (shown this once).
    public func add(name: APIClientName, scopes: Set<APIScope>, actor: String) async throws -> (client: APIClient, token: String) {
        let token = Self.tokenPrefix + GeneratedSecret.token()
        let client = APIClient(name: name, scopes: scopes, tokenSHA256: Self.hash(token), createdAt: clock())
        try await store.write { tx in
            guard try await tx.apiClient(named: name) == nil else { throw ShomeiError.apiClientExists(name.rawValue) }
            try await tx.insert(client)
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .apiClientAdded, target: client.actor,
                           details: ["scopes": scopes.sorted().map(\.rawValue).joined(separator: " ")]),
                at: client.createdAt)
        }
        return (client, token)
    }

    /// Its token is refused from now on.
    public func revoke(_ name: APIClientName, actor: String) async throws {
        let now = clock()
        try await store.write { tx in
            guard try await tx.revokeAPIClient(name, at: now) else { throw ShomeiError.apiClientNotFound(name.rawValue) }
            try await tx.appendAudit(AuditEntry(actor: actor, action: .apiClientRevoked, target: "api:\(name)"), at: now)
        }
    }

    public func clients() async throws -> [APIClient] {
        try await store.read { try await $0.apiClients() }
    }

    /// The client a request's `Authorization: Bearer …` names.
    public func authenticate(token: String?) async throws -> APIClient {
        guard let token, token.hasPrefix(Self.tokenPrefix) else { throw ShomeiError.apiTokenInvalid }
        let hash = Self.hash(token)
        guard let client = try await store.read({ try await $0.apiClient(tokenSHA256: hash) }), client.revokedAt == nil else {
            throw ShomeiError.apiTokenInvalid
        }
        return client
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexEncoded
    }
}
