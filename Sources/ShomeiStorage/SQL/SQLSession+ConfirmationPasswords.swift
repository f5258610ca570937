import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: ConfirmationPasswordWrites {
    func confirmationPassword(of user: UserKey) async throws -> ConfirmationPasswordRecord? {
        try await database.raw("SELECT * FROM confirmation_passwords WHERE \(Self.isUser(user))").first().map { row in
            ConfirmationPasswordRecord(
                owner: try row.userKey(), hash: try row.string("password_hash"),
                failedAttempts: Int(try row.decode(column: "failed_attempts", as: Int64.self)),
                lockedAt: try row.optionalDate("locked_at"), setAt: try row.date("set_at"))
        }
    }

    func setConfirmationPassword(hash: String, of user: UserKey, at time: Date) async throws {
        try await database.raw("""
            INSERT INTO confirmation_passwords (contract_id, user_id, password_hash, failed_attempts, locked_at, set_at)
            VALUES (\(bind: user.contractID.rawValue), \(bind: user.userID.rawValue), \(bind: hash), 0, NULL, \(bind: time.millis))
            ON CONFLICT (contract_id, user_id) DO UPDATE SET password_hash = excluded.password_hash, failed_attempts = 0,
                locked_at = NULL, set_at = excluded.set_at
            """).run()
    }

    func deleteConfirmationPassword(of user: UserKey) async throws -> Bool {
        try await database.raw("DELETE FROM confirmation_passwords WHERE \(Self.isUser(user)) RETURNING user_id").first() != nil
    }

    func takeConfirmationTry(of user: UserKey) async throws -> Int {
        let row = try await database.raw("""
            UPDATE confirmation_passwords SET failed_attempts = failed_attempts + 1
            WHERE \(Self.isUser(user)) RETURNING failed_attempts
            """).first()
        return Int(try row?.decode(column: "failed_attempts", as: Int64.self) ?? 0)
    }

    func clearConfirmationTries(of user: UserKey) async throws {
        try await database.raw("UPDATE confirmation_passwords SET failed_attempts = 0 WHERE \(Self.isUser(user))").run()
    }

    func lockConfirmationPassword(of user: UserKey, at time: Date, ifTriesAtLeast tries: Int) async throws -> Bool {
        try await database.raw("""
            UPDATE confirmation_passwords SET locked_at = \(bind: time.millis)
            WHERE \(Self.isUser(user)) AND failed_attempts >= \(bind: Int64(tries)) RETURNING failed_attempts
            """).first() != nil
    }
}
