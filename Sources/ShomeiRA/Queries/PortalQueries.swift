import ShomeiDomain
import ShomeiStorage

/// What the customer portal reads, beyond its session: the contract's own applications. Every
/// load by id is scoped to the session's contract in the query itself, so another contract's
/// record reads exactly like one that does not exist.
public struct PortalQueries: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// The contract's applications of one form (withdrawn ones left out), most recently updated first.
    public func applications(of contract: ContractID, form: String) async throws -> [Application] {
        try await store.read { try await $0.applications(of: contract, form: form) }.filter { $0.status != .withdrawn }
    }

    /// The application `id`, if it is the contract's and of that form.
    public func application(_ id: String, of contract: ContractID, form: String) async throws -> Application? {
        try await store.read { try await $0.application(id: id) }.flatMap { $0.contractID == contract && $0.formID == form ? $0 : nil }
    }

    /// The application's status changes, oldest first, if it is the contract's.
    public func history(of application: Application, for contract: ContractID) async throws -> [ApplicationHistoryEntry] {
        guard application.contractID == contract else { return [] }
        return try await store.read { try await $0.applicationHistory(id: application.id) }
    }
}
