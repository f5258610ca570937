import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: SessionWrites {
    func portalSession(id: String) async throws -> PortalSession? {
        try await database.raw("SELECT * FROM portal_sessions WHERE id = \(bind: id)").first().map(PortalSession.init(row:))
    }

    func staffSession(id: String) async throws -> StaffSession? {
        try await database.raw("SELECT * FROM staff_sessions WHERE id = \(bind: id)").first().map(StaffSession.init(row:))
    }

    func insert(_ session: PortalSession) async throws {
        try await database.raw("""
            INSERT INTO portal_sessions
                (id, contract_id, user_id, certificate_serial, csrf_token, created_at, last_seen_at, renewal_postponed)
            VALUES (\(bind: session.id), \(bind: session.user.contractID.rawValue), \(bind: session.user.userID.rawValue),
                    \(bind: session.certificateSerial), \(bind: session.csrfToken), \(bind: session.createdAt.millis),
                    \(bind: session.lastSeenAt.millis), \(bind: Int64(session.renewalPostponed ? 1 : 0)))
            """).run()
    }

    func insert(_ session: StaffSession) async throws {
        try await database.raw("""
            INSERT INTO staff_sessions (id, staff_id, csrf_token, created_at, last_seen_at)
            VALUES (\(bind: session.id), \(bind: session.staffID), \(bind: session.csrfToken), \(bind: session.createdAt.millis),
                    \(bind: session.lastSeenAt.millis))
            """).run()
    }

    func touchPortalSession(id: String, at time: Date) async throws {
        try await database.raw("UPDATE portal_sessions SET last_seen_at = \(bind: time.millis) WHERE id = \(bind: id)").run()
    }

    func touchStaffSession(id: String, at time: Date) async throws {
        try await database.raw("UPDATE staff_sessions SET last_seen_at = \(bind: time.millis) WHERE id = \(bind: id)").run()
    }

    func postponeRenewal(inPortalSession id: String) async throws {
        try await database.raw("UPDATE portal_sessions SET renewal_postponed = 1 WHERE id = \(bind: id)").run()
    }

    func deletePortalSession(id: String) async throws {
        try await database.raw("DELETE FROM portal_sessions WHERE id = \(bind: id)").run()
    }

    func deleteStaffSession(id: String) async throws {
        try await database.raw("DELETE FROM staff_sessions WHERE id = \(bind: id)").run()
    }

    func deleteSessions(idleBefore: Date, createdBefore: Date) async throws -> Int {
        var deleted = 0
        for table in ["portal_sessions", "staff_sessions"] {
            deleted += try await database.raw("""
                DELETE FROM \(ident: table)
                WHERE last_seen_at < \(bind: idleBefore.millis) OR created_at < \(bind: createdBefore.millis)
                RETURNING id
                """).all().count
        }
        return deleted
    }
}
