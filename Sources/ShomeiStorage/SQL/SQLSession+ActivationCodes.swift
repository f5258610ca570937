import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: ActivationCodeWrites {
    func unusedActivationCode(of user: UserKey) async throws -> ActivationCode? {
        try await selectUnusedActivationCode(of: user, suffix: "")
    }

    func lockUnusedActivationCode(of user: UserKey) async throws -> ActivationCode? {
        try await selectUnusedActivationCode(of: user, suffix: flavor.forUpdate)
    }

    private func selectUnusedActivationCode(of user: UserKey, suffix: String) async throws -> ActivationCode? {
        try await database.raw("""
            SELECT * FROM activation_codes WHERE \(Self.isUser(user)) AND used_at IS NULL
            ORDER BY issued_at DESC LIMIT 1\(unsafeRaw: suffix)
            """).first().map(ActivationCode.init(row:))
    }

    func replaceActivationCode(with code: ActivationCode) async throws {
        try await database.raw("DELETE FROM activation_codes WHERE \(Self.isUser(code.owner)) AND used_at IS NULL").run()
        try await database.raw("""
            INSERT INTO activation_codes (id, contract_id, user_id, code_hash, issued_at, expires_at,
                                          failed_attempts, used_at)
            VALUES (\(bind: code.id), \(bind: code.owner.contractID.rawValue), \(bind: code.owner.userID.rawValue),
                    \(bind: code.codeHash), \(bind: code.issuedAt.millis),
                    \(bind: code.expiresAt.millis), \(bind: Int64(code.failedAttempts)), \(bind: code.usedAt?.millis))
            """).run()
    }

    func voidActivationCodes(of user: UserKey) async throws -> Int {
        try await database.raw("DELETE FROM activation_codes WHERE \(Self.isUser(user)) AND used_at IS NULL RETURNING id").all().count
    }

    func takeActivationCodeTry(id: String) async throws {
        try await database.raw("UPDATE activation_codes SET failed_attempts = failed_attempts + 1 WHERE id = \(bind: id)")
            .run()
    }

    /// Spends the codes (one UPDATE for a whole issuance batch).
    func markActivationCodesUsed(_ codes: [(id: String, time: Date)]) async throws {
        guard !codes.isEmpty else { return }
        try await database.raw("""
            UPDATE activation_codes SET used_at = \(Self.cases("id", codes.map { ($0.id, $0.time.millis) }))
            WHERE id IN (\(binds: codes.map(\.id)))
            """).run()
    }
}
