import ShomeiDomain
import ShomeiStorage

/// What the operator's CLI reads: contracts, users, certificates, applications, the outbox and
/// the audit trail. Read-only; every change goes through the RA and its desks.
public struct OperatorQueries: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func contracts() async throws -> [Contract] {
        try await store.read { try await $0.contracts() }
    }

    /// The contract and its users; `contractNotFound` when there is none.
    public func contract(_ id: ContractID) async throws -> (contract: Contract, users: [User]) {
        try await store.read { reader in
            guard let contract = try await reader.contract(id) else { throw ShomeiError.contractNotFound(id) }
            return (contract, try await reader.users(in: id))
        }
    }

    /// The user and its valid certificate; `userNotFound` when there is none.
    public func user(_ key: UserKey) async throws -> (user: User, certificate: CertificateRecord?) {
        try await store.read { reader in
            guard let user = try await reader.user(key) else { throw ShomeiError.userNotFound(key) }
            return (user, try await reader.validCertificate(of: key))
        }
    }

    /// All certificates, or one contract's, newest first.
    public func certificates(of contract: ContractID?) async throws -> [CertificateRecord] {
        try await store.read { try await $0.certificates(of: contract) }
    }

    /// `certificateNotFound` when there is none.
    public func certificate(serial: String) async throws -> CertificateRecord {
        guard let record = try await store.read({ try await $0.certificate(serial: serial) }) else {
            throw ShomeiError.certificateNotFound(serial)
        }
        return record
    }

    /// Applications of every contract, drafts included, most recently updated first.
    public func applications(_ filter: ApplicationFilter, limit: Int) async throws -> [Application] {
        try await store.read { try await $0.applications(matching: filter, limit: limit) }.map(\.application)
    }

    /// `applicationNotFound` when there is none.
    public func application(_ id: String) async throws -> (application: Application, history: [ApplicationHistoryEntry]) {
        try await store.read { reader in
            guard let application = try await reader.application(id: id) else { throw ShomeiError.applicationNotFound(id) }
            return (application, try await reader.applicationHistory(id: id))
        }
    }

    public func outboxMessages(status: OutboxMessage.Status?, limit: Int) async throws -> [OutboxMessage] {
        try await store.read { try await $0.outboxMessages(status: status, limit: limit) }
    }

    public func outboxTally() async throws -> OutboxTally {
        try await store.read { try await $0.outboxTally() }
    }

    public func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent] {
        try await store.read { try await $0.auditEvents(after: sequence, limit: limit) }
    }

    /// Re-computes the audit hash chain (`AuditChain.verify`).
    public func verifyAuditChain() async throws -> AuditChain.Verdict {
        try await AuditChain.verify(store)
    }
}
