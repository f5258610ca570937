import struct Foundation.Date

/// One of the bank's own systems (core banking, the IB server, fraud monitoring) allowed to call
/// the JSON API, registered by the bank with `shomei api-client add`.
///
/// It authenticates with a bearer token that Shomei shows once and stores only as its SHA-256:
/// the token is 256 random bits, so a fast hash is as safe as a slow one and lets each request
/// find its client by one index lookup (docs/API.md says why a token and not mutual TLS).
public struct APIClient: Sendable, Equatable {
    public let name: APIClientName
    public let scopes: Set<APIScope>
    /// Hexadecimal SHA-256 of the token.
    public let tokenSHA256: String
    public let createdAt: Date
    /// Set by `shomei api-client revoke`; the token is refused from then on.
    public let revokedAt: Date?

    public init(name: APIClientName, scopes: Set<APIScope>, tokenSHA256: String, createdAt: Date, revokedAt: Date? = nil) {
        self.name = name
        self.scopes = scopes
        self.tokenSHA256 = tokenSHA256
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// The actor its changes are audited under.
    public var actor: String { "api:\(name)" }

    /// Refuses a call that needs a scope the client was not given.
    public func require(_ scope: APIScope) throws(ShomeiError) {
        guard scopes.contains(scope) else { throw .apiScopeMissing(scope) }
    }
}

/// An API client's name: what the audit trail shows as its actor.
public struct APIClientName: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(ShomeiError) {
        guard (1...64).contains(rawValue.utf8.count),
            rawValue.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { throw .invalidAPIClientName(rawValue) }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

/// What an API client may do. Reading and changing are separate, and revoking certificates and
/// reading the event feed are scopes of their own, so the fraud monitor can read events without
/// being able to register users, and only the system that must can revoke.
public enum APIScope: String, Sendable, CaseIterable, Comparable {
    case contractsRead = "contracts:read"
    case contractsWrite = "contracts:write"
    case usersRead = "users:read"
    case usersWrite = "users:write"
    case certificatesRead = "certificates:read"
    case certificatesIssue = "certificates:issue"
    case certificatesRevoke = "certificates:revoke"
    case eventsRead = "events:read"

    /// A comma- or space-separated list, as `--scope` takes it.
    public static func parse(_ text: String) throws(ShomeiError) -> Set<APIScope> {
        let words = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        var scopes = Set<APIScope>()
        for word in words {
            guard let scope = APIScope(rawValue: word) else { throw .unknownAPIScope(word) }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw .unknownAPIScope(text) }
        return scopes
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
