import Crypto
import Foundation
import ShomeiDomain
import ShomeiStorage

/// The one session store behind portal and console sessions: tokens, timeouts and activity.
///
/// The browser's cookie holds a random 256-bit token; only its SHA-256 is stored (the session's
/// id), so any node can serve any request and a read of the table gives no one a session. A
/// session lives until logout, its idle timeout or its absolute timeout (`SessionPolicy`); its
/// last-seen time is written at most every `touchInterval`, so browsing is not a write per click.
struct SessionKeeper<Table: SessionTable>: Sendable {
    let store: any Store
    let policy: SessionPolicy
    let clock: @Sendable () -> Date

    /// A new session (made by `make` from its id and CSRF token), stored inside `tx` in place of
    /// the one `previousToken` names: a new id at every login, so a token planted before login
    /// is worth nothing after it. Returns the cookie token, given out once.
    func open(
        replacing previousToken: String?, in tx: any StoreTransaction, at now: Date,
        _ make: (_ id: String, _ csrfToken: String) -> Table.Session
    ) async throws -> (token: String, session: Table.Session) {
        let token = GeneratedSecret.token()
        let session = make(Self.sessionID(token), GeneratedSecret.token())
        if let previousToken { try await Table.delete(id: Self.sessionID(previousToken), in: tx) }
        try await Table.insert(session, in: tx)
        return (token, session)
    }

    /// The live session the token names and what `admit` makes of it (from the same read), or
    /// why there is none. Activity is recorded when the last record is older than `touchInterval`.
    func resume<Visit: Sendable>(
        token: String, _ admit: @escaping @Sendable (Table.Session, any StoreReader) async throws -> Result<Visit, ShomeiError>
    ) async throws -> Result<(session: Table.Session, visit: Visit), ShomeiError> {
        let now = clock()
        let id = Self.sessionID(token)
        let found: Result<(session: Table.Session, visit: Visit), ShomeiError> = try await store.read { [policy] reader in
            guard let session = try await Table.load(id: id, in: reader) else { return .failure(.sessionEnded(.loggedOut)) }
            if let end = session.endReason(at: now, policy: policy) { return .failure(.sessionEnded(end)) }
            return try await admit(session, reader).map { (session, $0) }
        }
        if case .success(let (session, _)) = found, now.timeIntervalSince(session.lastSeenAt) >= policy.touchInterval {
            try await store.write { tx in try await Table.touch(id: id, at: now, in: tx) }
        }
        return found
    }

    /// Deletes sessions past either timeout, of every kind (a scheduled job; expired ones are refused anyway).
    func purgeEnded() async throws -> Int {
        let now = clock()
        return try await store.write { [policy] tx in
            try await tx.deleteSessions(
                idleBefore: now.addingTimeInterval(-policy.idleTimeout), createdBefore: now.addingTimeInterval(-policy.absoluteTimeout))
        }
    }

    static func sessionID(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).hexEncoded }
}

/// Where one kind of session is kept: the store's four statements for it.
protocol SessionTable: Sendable {
    associatedtype Session: StoredSession
    static func load(id: String, in reader: any SessionReads) async throws -> Session?
    static func insert(_ session: Session, in tx: any SessionWrites) async throws
    static func touch(id: String, at time: Date, in tx: any SessionWrites) async throws
    static func delete(id: String, in tx: any SessionWrites) async throws
}

/// Customers' portal sessions.
enum PortalSessionTable: SessionTable {
    static func load(id: String, in reader: any SessionReads) async throws -> PortalSession? { try await reader.portalSession(id: id) }
    static func insert(_ session: PortalSession, in tx: any SessionWrites) async throws { try await tx.insert(session) }
    static func touch(id: String, at time: Date, in tx: any SessionWrites) async throws { try await tx.touchPortalSession(id: id, at: time) }
    static func delete(id: String, in tx: any SessionWrites) async throws { try await tx.deletePortalSession(id: id) }
}

/// Staff's console sessions.
enum StaffSessionTable: SessionTable {
    static func load(id: String, in reader: any SessionReads) async throws -> StaffSession? { try await reader.staffSession(id: id) }
    static func insert(_ session: StaffSession, in tx: any SessionWrites) async throws { try await tx.insert(session) }
    static func touch(id: String, at time: Date, in tx: any SessionWrites) async throws { try await tx.touchStaffSession(id: id, at: time) }
    static func delete(id: String, in tx: any SessionWrites) async throws { try await tx.deleteStaffSession(id: id) }
}
