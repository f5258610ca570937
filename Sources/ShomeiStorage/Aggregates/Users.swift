import struct Foundation.Date
import ShomeiDomain

/// Contracts and their users (利用者).
public protocol UserReads: Sendable {
    func contract(_ id: ContractID) async throws -> Contract?
    func contracts() async throws -> [Contract]
    /// Contracts in ID order after `after` (from the first when nil), at most `limit`: a page.
    func contracts(after: ContractID?, limit: Int) async throws -> [Contract]
    func user(_ key: UserKey) async throws -> User?
    func users(in contract: ContractID) async throws -> [User]
    /// The contract's active master users (マスター): who is copied on every certificate event.
    func activeMasters(of contract: ContractID) async throws -> [User]
}

public protocol UserWrites: UserReads {
    func insert(_ contract: Contract) async throws
    /// Reads the contract and keeps it locked until the transaction ends, so two decisions
    /// about its login method (two 03s accepted at once) are taken one after the other.
    func lockContract(_ id: ContractID) async throws -> Contract?
    /// Sets the contract's login method; false when it already was that one (nothing changed).
    func setLoginMethod(_ method: Contract.LoginMethod, of contract: ContractID) async throws -> Bool
    /// Sets (or, nil, clears) the contract's own 管理 switches.
    func setAdministration(_ switches: AdministrationSwitches?, of contract: ContractID) async throws
    func insert(_ user: User) async throws
    /// Reads the user and keeps it locked until the transaction ends, so two concurrent
    /// issuances for one user cannot both supersede the same certificate.
    func lockUser(_ key: UserKey) async throws -> User?
    func setStatus(_ status: User.Status, of user: UserKey) async throws
    /// 利用者情報変更: the user's name, 権限 and e-mail address.
    func setDetails(name: String, role: Role, email: EmailAddress, of user: UserKey) async throws
    /// Takes one of the user's password tries before the password is checked; returns how many
    /// are taken now (cleared by a right password or an unlock).
    func takePasswordTry(of user: UserKey) async throws -> Int
    func clearPasswordTries(of user: UserKey) async throws
    /// Sets the login password's hash and whether it must be changed at the next login; the
    /// count of wrong tries starts over with it.
    func setPassword(hash: String, changeRequired: Bool, of user: UserKey) async throws
    /// A portal login succeeded at `time`.
    func recordLogin(of user: UserKey, at time: Date) async throws
}
