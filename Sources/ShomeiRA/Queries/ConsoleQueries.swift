import Foundation
import ShomeiDomain
import ShomeiStorage

/// What the bank console reads: the inbox, one application with its history, pending four-eyes
/// requests, the certificate search and history, the audit log. Read-only; names of contracts
/// and holders are joined in SQL, not looked up row by row.
public struct ConsoleQueries: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// Applications matching the filter (drafts never), most recently updated first, with contract names.
    public func inbox(_ filter: ApplicationFilter, limit: Int) async throws -> [ApplicationListing] {
        var filter = filter
        filter.includeDrafts = false
        return try await store.read { [filter] in try await $0.applications(matching: filter, limit: limit) }
    }

    /// One submitted application as the bank sees it; nil for a draft (the customer's own) or no such id.
    public struct ApplicationFile: Sendable {
        public let application: Application
        public let contractName: String
        public let history: [ApplicationHistoryEntry]
    }

    public func application(_ id: String) async throws -> ApplicationFile? {
        try await store.read { reader in
            guard let application = try await reader.application(id: id), application.status != .draft else { return nil }
            return ApplicationFile(
                application: application, contractName: try await reader.contract(application.contractID)?.name ?? "",
                history: try await reader.applicationHistory(id: id))
        }
    }

    /// A page of contracts in ID order, after `after`.
    public func contracts(after: ContractID?, limit: Int) async throws -> [Contract] {
        try await store.read { try await $0.contracts(after: after, limit: limit) }
    }

    /// A contract and its users, in user ID order.
    public func contract(_ id: ContractID) async throws -> (contract: Contract, users: [User])? {
        try await store.read { reader in
            guard let contract = try await reader.contract(id) else { return nil }
            return (contract, try await reader.users(in: id))
        }
    }

    /// A user and the name of their contract (an activation letter's addressee).
    public func user(_ key: UserKey) async throws -> (user: User, contractName: String)? {
        try await store.read { reader in
            guard let user = try await reader.user(key), let contract = try await reader.contract(key.contractID) else { return nil }
            return (user, contract.name)
        }
    }

    public func pendingDirectActions(limit: Int) async throws -> [DirectAction] {
        try await store.read { try await $0.directActions(status: .pending, limit: limit) }
    }

    public func searchCertificates(_ search: CertificateSearch, limit: Int) async throws -> [CertificateListing] {
        try await store.read { try await $0.searchCertificates(search, at: Date(), limit: limit) }
    }

    /// A certificate and the audit entries about it, newest first: its own, and the 管理 actions
    /// the customer's masters and administrators took on its holder while it existed (who
    /// stopped, reset, re-issued …, from which address).
    public func certificateHistory(serial: String, limit: Int) async throws -> (record: CertificateRecord?, events: [AuditEvent]) {
        try await store.read { reader in
            let record = try await reader.certificate(serial: serial)
            var events = try await reader.auditEvents(action: nil, target: "certificate:\(serial)", before: nil, limit: limit)
            if let record {
                events += try await reader.auditEvents(action: .userAdministered, target: "user:\(record.owner)", before: nil, limit: limit)
                    .filter { $0.time >= record.issuedAt && $0.time <= (record.revocation?.time ?? .distantFuture) }
            }
            return (record, Array(events.sorted { $0.sequence > $1.sequence }.prefix(limit)))
        }
    }

    /// Audit entries newest first, optionally of one action, before a sequence number.
    public func auditLog(action: AuditEvent.Action?, before: Int64?, limit: Int) async throws -> [AuditEvent] {
        try await store.read { try await $0.auditEvents(action: action, target: nil, before: before, limit: limit) }
    }
}
