import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: UserWrites {
    func contract(_ id: ContractID) async throws -> Contract? {
        try await database.raw("SELECT * FROM contracts WHERE id = \(bind: id.rawValue)").first()
            .map(Contract.init(row:))
    }

    func lockContract(_ id: ContractID) async throws -> Contract? {
        try await database.raw("SELECT * FROM contracts WHERE id = \(bind: id.rawValue)\(unsafeRaw: flavor.forUpdate)").first()
            .map(Contract.init(row:))
    }

    func contracts() async throws -> [Contract] {
        try await database.raw("SELECT * FROM contracts ORDER BY id").all().map(Contract.init(row:))
    }

    func contracts(after: ContractID?, limit: Int) async throws -> [Contract] {
        try await database.raw("""
            SELECT * FROM contracts WHERE id > \(bind: after?.rawValue ?? "") ORDER BY id LIMIT \(bind: Int64(limit))
            """).all().map(Contract.init(row:))
    }

    func insert(_ contract: Contract) async throws {
        try await database.raw("""
            INSERT INTO contracts (id, name, created_at, login_method)
            VALUES (\(bind: contract.id.rawValue), \(bind: contract.name), \(bind: contract.createdAt.millis),
                    \(bind: contract.loginMethod.rawValue))
            """).run()
    }

    func setLoginMethod(_ method: Contract.LoginMethod, of contract: ContractID) async throws -> Bool {
        try await database.raw("""
            UPDATE contracts SET login_method = \(bind: method.rawValue)
            WHERE id = \(bind: contract.rawValue) AND login_method <> \(bind: method.rawValue) RETURNING id
            """).first() != nil
    }

    func user(_ key: UserKey) async throws -> User? {
        try await selectUser(key, suffix: "")
    }

    func lockUser(_ key: UserKey) async throws -> User? {
        try await selectUser(key, suffix: flavor.forUpdate)
    }

    private func selectUser(_ key: UserKey, suffix: String) async throws -> User? {
        try await database.raw("""
            SELECT * FROM users WHERE \(Self.isUser(key))\(unsafeRaw: suffix)
            """).first().map(User.init(row:))
    }

    func users(in contract: ContractID) async throws -> [User] {
        try await database.raw("SELECT * FROM users WHERE contract_id = \(bind: contract.rawValue) ORDER BY user_id")
            .all().map(User.init(row:))
    }

    func activeMasters(of contract: ContractID) async throws -> [User] {
        try await database.raw("""
            SELECT * FROM users WHERE contract_id = \(bind: contract.rawValue) AND role = \(bind: Role.master.rawValue)
            AND status = \(bind: User.Status.active.rawValue) ORDER BY user_id
            """).all().map(User.init(row:))
    }

    func insert(_ user: User) async throws {
        try await database.raw("""
            INSERT INTO users (contract_id, user_id, name, role, email, password_hash, status, created_at, language,
                               password_change_required)
            VALUES (\(bind: user.key.contractID.rawValue), \(bind: user.key.userID.rawValue), \(bind: user.name),
                    \(bind: user.role.rawValue), \(bind: user.email.rawValue), \(bind: user.passwordHash),
                    \(bind: user.status.rawValue), \(bind: user.createdAt.millis), \(bind: user.language.rawValue),
                    \(bind: user.passwordChangeRequired ? Int64(1) : Int64(0)))
            """).run()
    }

    func recordLogin(of user: UserKey, at time: Date) async throws {
        try await database.raw("UPDATE users SET last_login_at = \(bind: time.millis) WHERE \(Self.isUser(user))").run()
    }

    func setPassword(hash: String, changeRequired: Bool, of user: UserKey) async throws {
        try await database.raw("""
            UPDATE users SET password_hash = \(bind: hash), password_change_required = \(bind: changeRequired ? Int64(1) : Int64(0)),
            failed_password_attempts = 0 WHERE \(Self.isUser(user))
            """).run()
    }

    func setStatus(_ status: User.Status, of user: UserKey) async throws {
        try await database.raw("UPDATE users SET status = \(bind: status.rawValue) WHERE \(Self.isUser(user))").run()
    }

    func setAdministration(_ switches: AdministrationSwitches?, of contract: ContractID) async throws {
        try await database.raw("""
            UPDATE contracts SET administration = \(bind: try switches.map(JSONText.encode)) WHERE id = \(bind: contract.rawValue)
            """).run()
    }

    func setDetails(name: String, role: Role, email: EmailAddress, of user: UserKey) async throws {
        try await database.raw("""
            UPDATE users SET name = \(bind: name), role = \(bind: role.rawValue), email = \(bind: email.rawValue)
            WHERE \(Self.isUser(user))
            """).run()
    }

    func takePasswordTry(of user: UserKey) async throws -> Int {
        let row = try await database.raw("""
            UPDATE users SET failed_password_attempts = failed_password_attempts + 1
            WHERE \(Self.isUser(user)) RETURNING failed_password_attempts
            """).first()
        return Int(try row?.decode(column: "failed_password_attempts", as: Int64.self) ?? 0)
    }

    func clearPasswordTries(of user: UserKey) async throws {
        try await database.raw("UPDATE users SET failed_password_attempts = 0 WHERE \(Self.isUser(user))").run()
    }

    /// `contract_id = ? AND user_id = ?`: the rows of one user.
    static func isUser(_ key: UserKey) -> SQLQueryString {
        "contract_id = \(bind: key.contractID.rawValue) AND user_id = \(bind: key.userID.rawValue)"
    }
}
