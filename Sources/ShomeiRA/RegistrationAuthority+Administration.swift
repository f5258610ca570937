import ShomeiDomain
import ShomeiStorage

/// The customer's 管理 menu (issue #17), as far as it is built: 利用者一覧.
extension RegistrationAuthority {
    /// 利用者一覧: every user of the actor's own contract with its certificate's lifecycle state;
    /// refused for a user who does not administer (`CustomerAdministration.administers`).
    public func administeredUsers(by actor: User) async throws -> [(user: User, status: LifecycleStatus)] {
        guard CustomerAdministration.administers(actor.role) else { throw ShomeiError.administrationRefused(.notAdministrator) }
        return try await store.read { reader in try await lifecycles.users(of: actor.key.contractID, in: reader) }
    }
}
