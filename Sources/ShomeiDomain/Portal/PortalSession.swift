import struct Foundation.Date
import struct Foundation.TimeInterval

/// A customer's logged-in session, kept server-side in the store so every node sees it.
///
/// The browser holds only a random token; the store keeps its SHA-256 (`id`), so reading the
/// table does not hand anyone a live session. A certificate login binds the session to that
/// certificate: a request that does not present it on its TLS connection is not the session.
public struct PortalSession: StoredSession {
    /// Hex SHA-256 of the cookie token.
    public let id: String
    public let user: UserKey
    /// The certificate the user logged in with; nil for ID・パスワード方式.
    public let certificateSerial: String?
    /// Sent back with every form and script request; compared in constant time.
    public let csrfToken: String
    public let createdAt: Date
    public var lastSeenAt: Date
    /// 後で更新する: the user put renewal off for this session, so the 更新通知 choice is not
    /// offered again until the next login (the notice itself stays listed).
    public var renewalPostponed: Bool

    public init(
        id: String, user: UserKey, certificateSerial: String?, csrfToken: String, createdAt: Date,
        lastSeenAt: Date, renewalPostponed: Bool = false
    ) {
        self.id = id
        self.user = user
        self.certificateSerial = certificateSerial
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.renewalPostponed = renewalPostponed
    }

}

/// What every server-side session is, a customer's or a staff member's: the browser holds only
/// a random token, the store keeps its SHA-256 (`id`), so reading the table does not hand anyone
/// a live session; each has its own CSRF token and lives until logout or a timeout.
public protocol StoredSession: Sendable, Equatable {
    /// Hex SHA-256 of the cookie token.
    var id: String { get }
    /// Sent back with every form and script request; compared in constant time.
    var csrfToken: String { get }
    var createdAt: Date { get }
    var lastSeenAt: Date { get set }
}

extension StoredSession {
    /// Why a stored session no longer admits requests, or nil while it does.
    public func endReason(at now: Date, policy: SessionPolicy) -> SessionEnd? {
        policy.endReason(createdAt: createdAt, lastSeenAt: lastSeenAt, at: now)
    }
}

public enum SessionEnd: String, Sendable, Equatable {
    case idleTimeout
    case absoluteTimeout
    case loggedOut
    /// The certificate the session was opened with was revoked, or is no longer presented.
    case certificateChanged
}

/// How long portal sessions live. Banks commonly log an idle session out after 10–15 minutes
/// and cap a session at a working day.
public struct SessionPolicy: Sendable, Equatable, Codable {
    public var idleTimeout: TimeInterval
    public var absoluteTimeout: TimeInterval
    /// A session's last-seen time is written at most this often, so browsing is not a write per click.
    public var touchInterval: TimeInterval

    public init(idleTimeout: TimeInterval = 15 * 60, absoluteTimeout: TimeInterval = 8 * 3600, touchInterval: TimeInterval = 30) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.touchInterval = touchInterval
    }

    /// Why a session opened at `createdAt` and last used at `lastSeenAt` has ended at `now`, if it has.
    public func endReason(createdAt: Date, lastSeenAt: Date, at now: Date) -> SessionEnd? {
        if now >= createdAt.addingTimeInterval(absoluteTimeout) { return .absoluteTimeout }
        if now >= lastSeenAt.addingTimeInterval(idleTimeout) { return .idleTimeout }
        return nil
    }

    public func validated() throws(ShomeiError) -> SessionPolicy {
        guard idleTimeout >= 60, absoluteTimeout >= idleTimeout, touchInterval >= 0, touchInterval < idleTimeout else {
            throw .invalidPolicy("session: need idleTimeout ≥ 60 s, absoluteTimeout ≥ idleTimeout, touchInterval < idleTimeout")
        }
        return self
    }
}
