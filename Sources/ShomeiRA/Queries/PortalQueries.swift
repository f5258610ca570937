import Foundation
import ShomeiDomain
import ShomeiStorage

/// What the customer portal reads, beyond its session: the contract's own applications. Every
/// load by id is scoped to the session's contract in the query itself, so another contract's
/// record reads exactly like one that does not exist.
public struct PortalQueries: Sendable {
    let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// A 管理 action as 重要なお知らせ shows it.
    public struct AdministrationNotice: Sendable, Equatable {
        public let sequence: Int64
        public let action: AdministrationAction
        public let time: Date
        public let targetName: String
        public let actorName: String
        public let address: String
    }

    /// How long 管理 actions stay on 重要なお知らせ.
    public static let administrationNoticesShown: TimeInterval = 30 * 86_400

    /// The 管理 actions of the last 30 days that concern `user`, newest first: those taken on
    /// them, and for a master also every re-issue and revocation in the contract.
    public func administrationNotices(for user: User) async throws -> [AdministrationNotice] {
        let since = clock().addingTimeInterval(-Self.administrationNoticesShown)
        let contract = user.key.contractID
        return try await store.read { reader in
            // The prefix read (indexed in byte order) also finds U10 for U1: the target is then compared whole.
            var events = try await reader.auditEvents(of: [.userAdministered], targetPrefix: "user:\(user.key)", since: since, limit: 200)
                .filter { $0.target == "user:\(user.key)" }
            if user.role == .master {
                let certificates: Set<String> = [AdministrationAction.revokeCertificate.rawValue, AdministrationAction.reissueCertificate.rawValue]
                events += try await reader.auditEvents(of: [.userAdministered], targetPrefix: "user:\(contract)/", since: since, limit: 200)
                    .filter { certificates.contains($0.details["action"] ?? "") }
            }
            let names = Dictionary(try await reader.users(in: contract).map { ("user:\($0.key)", $0.name) }) { first, _ in first }
            var seen = Set<Int64>()
            return events.sorted { $0.sequence > $1.sequence }.filter { seen.insert($0.sequence).inserted }.compactMap { event in
                guard let action = event.details["action"].flatMap(AdministrationAction.init(rawValue:)) else { return nil }
                return AdministrationNotice(
                    sequence: event.sequence, action: action, time: event.time, targetName: names[event.target] ?? event.target,
                    actorName: names[event.actor] ?? event.actor, address: event.details["ip"] ?? "-")
            }
        }
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
