import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: StaffWrites {
    func staff(id: String) async throws -> Staff? {
        try await database.raw("SELECT * FROM staff WHERE id = \(bind: id)").first().map(Staff.init(row:))
    }

    func insert(_ staff: Staff) async throws {
        try await database.raw("""
            INSERT INTO staff (id, name, role, password_hash, status, created_at)
            VALUES (\(bind: staff.id), \(bind: staff.name), \(bind: staff.role.rawValue), \(bind: staff.passwordHash),
                    \(bind: staff.status.rawValue), \(bind: staff.createdAt.millis))
            """).run()
    }

    func setStatus(_ status: Staff.Status, ofStaff id: String) async throws {
        try await database.raw("UPDATE staff SET status = \(bind: status.rawValue) WHERE id = \(bind: id)").run()
    }

    func takeStaffPasswordTry(id: String) async throws -> Int {
        let row = try await database.raw("""
            UPDATE staff SET failed_password_attempts = failed_password_attempts + 1 WHERE id = \(bind: id)
            RETURNING failed_password_attempts
            """).first()
        return Int(try row?.decode(column: "failed_password_attempts", as: Int64.self) ?? 0)
    }

    func clearStaffPasswordTries(id: String) async throws {
        try await database.raw("UPDATE staff SET failed_password_attempts = 0 WHERE id = \(bind: id)").run()
    }

    func directActions(status: DirectAction.Status?, limit: Int) async throws -> [DirectAction] {
        try await database.raw("""
            SELECT * FROM direct_actions WHERE (\(bind: status?.rawValue) IS NULL OR status = \(bind: status?.rawValue))
            ORDER BY requested_at DESC, id LIMIT \(bind: limit)
            """).all().map(DirectAction.init(row:))
    }

    func insert(_ action: DirectAction) async throws {
        try await database.raw("""
            INSERT INTO direct_actions (id, kind, reason, requested_by, requested_at, status)
            VALUES (\(bind: action.id), \(bind: try JSONText.encode(action.kind)), \(bind: action.reason), \(bind: action.requestedBy),
                    \(bind: action.requestedAt.millis), \(bind: action.status.rawValue))
            """).run()
    }

    func directAction(id: String) async throws -> DirectAction? {
        try await selectDirectAction(id, suffix: "")
    }

    func lockDirectAction(id: String) async throws -> DirectAction? {
        try await selectDirectAction(id, suffix: flavor.forUpdate)
    }

    private func selectDirectAction(_ id: String, suffix: String) async throws -> DirectAction? {
        try await database.raw("SELECT * FROM direct_actions WHERE id = \(bind: id)\(unsafeRaw: suffix)").first()
            .map(DirectAction.init(row:))
    }

    func update(_ action: DirectAction) async throws {
        try await database.raw("""
            UPDATE direct_actions SET status = \(bind: action.status.rawValue), decided_by = \(bind: action.decidedBy),
                decided_at = \(bind: action.decidedAt?.millis)
            WHERE id = \(bind: action.id)
            """).run()
    }
}
