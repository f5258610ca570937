import Foundation
import ShomeiDomain
import ShomeiStorage

/// Bank staff accounts and their console sessions: who may log in to `/bank`, with the one
/// secret check and lockout, and server-side sessions in their own table and cookie
/// (`SessionKeeper`).
public struct StaffAuthority: Sendable {
    let keeper: SessionKeeper<StaffSessionTable>
    let lockout: Lockout
    let hasher: SecretHasher
    let secrets: SecretCheck
    let outcomes: OutcomeCounters
    let clock: @Sendable () -> Date

    public init(
        store: any Store, policy: SessionPolicy, maxPasswordAttempts: Int = 5, hasher: SecretHasher,
        outcomes: OutcomeCounters = .discarded, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        keeper = SessionKeeper(store: store, policy: policy, clock: clock)
        lockout = Lockout(maxAttempts: maxPasswordAttempts)
        self.hasher = hasher
        secrets = SecretCheck(store: store, hasher: hasher, clock: clock)
        self.outcomes = outcomes
        self.clock = clock
    }

    var store: any Store { keeper.store }

    /// Creates an account; returns the generated initial password when none was given.
    public func add(id: String, name: String, role: Staff.Role, password: String?, actor: String) async throws -> (Staff, String?) {
        if let password { try NewUser.checkPassword(password) }
        let generated = password == nil ? GeneratedSecret.password() : nil
        let now = clock()
        let staff = try Staff(id: id, name: name, role: role, passwordHash: try await hasher.hashPassword(password ?? generated ?? ""),
                              createdAt: now)
        try await store.write { tx in
            guard try await tx.staff(id: id) == nil else { throw ShomeiError.staffExists(id) }
            try await tx.insert(staff)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .staffAdded, target: "staff:\(id)", details: ["role": role.rawValue]), at: now)
        }
        return (staff, generated)
    }

    public func unlock(id: String, actor: String) async throws {
        let now = clock()
        try await store.write { tx in
            guard try await tx.staff(id: id) != nil else { throw ShomeiError.staffNotFound(id) }
            try await tx.setStatus(.active, ofStaff: id)
            try await tx.clearStaffPasswordTries(id: id)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .staffUnlocked, target: "staff:\(id)"), at: now)
        }
    }

    /// Checks ID and password (an unknown ID reads like a wrong password) and opens a session;
    /// returns the cookie token once. Wrong passwords are counted and lock the account.
    public func logIn(id: String, password: String) async throws -> (token: String, session: StaffSession, staff: Staff) {
        try await outcomes.counting(.login("console")) {
            try await secrets.check(password, against: StaffPassword(id: id, lockout: lockout)) { [keeper, clock] (staff: Staff, tx: any StoreTransaction) in
                let now = clock()
                let (token, session) = try await keeper.open(replacing: nil, in: tx, at: now) { sessionID, csrf in
                    StaffSession(id: sessionID, staffID: id, csrfToken: csrf, createdAt: now, lastSeenAt: now)
                }
                try await tx.appendAudit(AuditEntry(actor: "staff:\(id)", action: .staffLoggedIn, target: "staff:\(id)"), at: now)
                return (token, session, staff)
            }
        }
    }

    /// The live session and its active staff account, or why there is none.
    public func resume(token: String) async throws -> Result<(session: StaffSession, staff: Staff), ShomeiError> {
        try await keeper.resume(token: token) { (session: StaffSession, reader: any StoreReader) -> Result<Staff, ShomeiError> in
            guard let staff = try await reader.staff(id: session.staffID), staff.status == .active else {
                return .failure(.sessionEnded(.loggedOut))
            }
            return .success(staff)
        }.map { ($0.session, $0.visit) }
    }

    public func logOut(_ session: StaffSession) async throws {
        let now = clock()
        try await store.write { tx in
            try await tx.deleteStaffSession(id: session.id)
            try await tx.appendAudit(AuditEntry(actor: "staff:\(session.staffID)", action: .staffLoggedOut, target: "staff:\(session.staffID)"), at: now)
        }
    }
}
