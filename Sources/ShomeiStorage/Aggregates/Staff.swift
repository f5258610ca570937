import ShomeiDomain

/// Bank staff accounts and their four-eyes direct actions.
public protocol StaffReads: Sendable {
    func staff(id: String) async throws -> Staff?
    func directAction(id: String) async throws -> DirectAction?
    /// Four-eyes requests, newest first, optionally of one status.
    func directActions(status: DirectAction.Status?, limit: Int) async throws -> [DirectAction]
}

public protocol StaffWrites: StaffReads {
    func insert(_ staff: Staff) async throws
    func setStatus(_ status: Staff.Status, ofStaff id: String) async throws
    /// Takes one of the account's password tries before the password is checked; returns how
    /// many are taken now (cleared by a right password or an unlock).
    func takeStaffPasswordTry(id: String) async throws -> Int
    func clearStaffPasswordTries(id: String) async throws
    func insert(_ action: DirectAction) async throws
    func lockDirectAction(id: String) async throws -> DirectAction?
    /// Records the decision (status, who, when).
    func update(_ action: DirectAction) async throws
}
