import Foundation
import ShomeiDomain
import ShomeiStorage

/// Bank staff accounts and their console sessions: who may log in to `/bank`, with lockout
/// after `maxPasswordAttempts`, and server-side sessions in their own table and cookie.
public struct StaffAuthority: Sendable {
    let store: any Store
    public let policy: SessionPolicy
    let maxPasswordAttempts: Int
    let hasher: SecretHasher
    let clock: @Sendable () -> Date

    public init(
        store: any Store, policy: SessionPolicy, maxPasswordAttempts: Int = 5, hasher: SecretHasher = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.policy = policy
        self.maxPasswordAttempts = maxPasswordAttempts
        self.hasher = hasher
        self.clock = clock
    }

    /// Creates an account; returns the generated initial password when none was given.
    public func add(id: String, name: String, role: Staff.Role, password: String?, actor: String) async throws -> (Staff, String?) {
        if let password { try NewUser.checkPassword(password) }
        let generated = password == nil ? GeneratedSecret.password() : nil
        let now = clock()
        let staff = try Staff(id: id, name: name, role: role, passwordHash: hasher.hashPassword(password ?? generated ?? ""), createdAt: now)
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
            try await tx.resetStaffPasswordFailures(id: id)
            try await tx.appendAudit(AuditEntry(actor: actor, action: .staffUnlocked, target: "staff:\(id)"), at: now)
        }
    }

    /// Checks ID and password (an unknown ID reads like a wrong password) and opens a session;
    /// returns the cookie token once. Wrong passwords are counted and lock the account.
    public func logIn(id: String, password: String) async throws -> (token: String, session: StaffSession, staff: Staff) {
        let now = clock()
        let token = PortalSessions.randomToken()
        let outcome: Result<(StaffSession, Staff), ShomeiError> = try await store.write { tx in
            guard let staff = try await tx.staff(id: id) else {
                try await tx.appendAudit(AuditEntry(actor: "staff:\(id)", action: .staffLoginRefused, target: "console"), at: now)
                return .failure(.staffLoginFailed)
            }
            guard staff.status == .active else { return .failure(.staffLocked) }
            guard hasher.verify(password, hash: staff.passwordHash) else {
                let failures = try await tx.recordStaffPasswordFailure(id: id)
                try await tx.appendAudit(AuditEntry(actor: "staff:\(id)", action: .staffLoginRefused, target: "staff:\(id)"), at: now)
                guard failures < maxPasswordAttempts else {
                    try await tx.setStatus(.locked, ofStaff: id)
                    try await tx.appendAudit(AuditEntry(actor: "system", action: .staffLocked, target: "staff:\(id)"), at: now)
                    return .failure(.staffLocked)
                }
                return .failure(.staffLoginFailed)
            }
            try await tx.resetStaffPasswordFailures(id: id)
            let session = StaffSession(
                id: PortalSessions.sessionID(token), staffID: id, csrfToken: PortalSessions.randomToken(), createdAt: now, lastSeenAt: now)
            try await tx.insert(session)
            try await tx.appendAudit(AuditEntry(actor: "staff:\(id)", action: .staffLoggedIn, target: "staff:\(id)"), at: now)
            return .success((session, staff))
        }
        let (session, staff) = try outcome.get()
        return (token, session, staff)
    }

    /// The live session and its active staff account, or why there is none.
    public func resume(token: String) async throws -> Result<(StaffSession, Staff), ShomeiError> {
        let now = clock()
        let id = PortalSessions.sessionID(token)
        let found: Result<(StaffSession, Staff), ShomeiError> = try await store.read { reader in
            guard let session = try await reader.staffSession(id: id) else { return .failure(.sessionEnded(.loggedOut)) }
            if let end = session.endReason(at: now, policy: policy) { return .failure(.sessionEnded(end)) }
            guard let staff = try await reader.staff(id: session.staffID), staff.status == .active else {
                return .failure(.sessionEnded(.loggedOut))
            }
            return .success((session, staff))
        }
        if case .success(let (session, _)) = found, now.timeIntervalSince(session.lastSeenAt) >= policy.touchInterval {
            try await store.write { tx in try await tx.touchStaffSession(id: id, at: now) }
        }
        return found
    }

    public func logOut(_ session: StaffSession) async throws {
        let now = clock()
        try await store.write { tx in
            try await tx.deleteStaffSession(id: session.id)
            try await tx.appendAudit(AuditEntry(actor: "staff:\(session.staffID)", action: .staffLoggedOut, target: "staff:\(session.staffID)"), at: now)
        }
    }
}
