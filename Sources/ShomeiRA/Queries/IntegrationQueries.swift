import Foundation
import ShomeiDomain
import ShomeiStorage

/// What the bank API reads: contracts, users with their lifecycle state, certificates, the
/// event feed and a user's risk view. Read-only, like the console's queries.
public struct IntegrationQueries: Sendable {
    let store: any Store
    let lifecycles: LifecycleReader

    public init(store: any Store, lifecyclePolicy: LifecyclePolicy, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        lifecycles = LifecycleReader(policy: lifecyclePolicy, clock: clock)
    }

    public func contracts(after: ContractID?, limit: Int) async throws -> [Contract] {
        try await store.read { try await $0.contracts(after: after, limit: limit) }
    }

    public func contract(_ id: ContractID) async throws -> Contract {
        guard let contract = try await store.read({ try await $0.contract(id) }) else { throw ShomeiError.contractNotFound(id) }
        return contract
    }

    /// Which of a contract's users a list shows.
    public struct UserFilter: Sendable {
        public var role: Role?
        public var status: User.Status?
        public var state: LifecycleStatus.State?

        public init(role: Role? = nil, status: User.Status? = nil, state: LifecycleStatus.State? = nil) {
            self.role = role
            self.status = status
            self.state = state
        }

        func admits(_ user: User, _ status: LifecycleStatus) -> Bool {
            (role.map { $0 == user.role } ?? true) && (self.status.map { $0 == user.status } ?? true)
                && (state.map { $0 == status.state } ?? true)
        }
    }

    /// A page of the contract's users in ID order after `after`, with their lifecycle state
    /// (from two statements for the whole contract, as 利用者一覧 reads it).
    public func users(
        of contract: ContractID, matching filter: UserFilter, after: UserID?, limit: Int
    ) async throws -> [(user: User, status: LifecycleStatus)] {
        try await store.read { reader in
            guard try await reader.contract(contract) != nil else { throw ShomeiError.contractNotFound(contract) }
            return try await lifecycles.users(of: contract, in: reader)
                .filter { entry in after.map { entry.user.key.userID > $0 } ?? true }
                .filter { filter.admits($0.user, $0.status) }
                .prefix(limit).map { $0 }
        }
    }

    public func user(_ key: UserKey) async throws -> (user: User, status: LifecycleStatus) {
        try await store.read { reader in
            guard let user = try await reader.user(key) else { throw Self.missing(key, in: try await reader.contract(key.contractID)) }
            return (user, try await lifecycles.status(of: key, in: reader))
        }
    }

    /// The contract's certificates newest first, or one user's.
    public func certificates(of contract: ContractID, user: UserID?) async throws -> [CertificateRecord] {
        try await store.read { reader in
            guard try await reader.contract(contract) != nil else { throw ShomeiError.contractNotFound(contract) }
            guard let user else { return try await reader.certificates(of: contract) }
            return try await reader.certificates(ofUser: UserKey(contractID: contract, userID: user))
        }
    }

    public func certificate(serial: String) async throws -> CertificateRecord {
        let serial = try SerialText.normalize(serial)
        guard let record = try await store.read({ try await $0.certificate(serial: serial) }) else {
            throw ShomeiError.certificateNotFound(serial)
        }
        return record
    }

    /// A page of the feed: up to `limit` events after `cursor`, the key fingerprint of each
    /// event's certificate, and the cursor to read on from.
    public struct EventPage: Sendable {
        public let events: [BankEvent]
        public let keyFingerprints: [String: String]
        public let next: Int64
    }

    /// The chain's head is read first, then the feed's entries up to it: every entry up to the
    /// head committed before the head did (the chain is appended in commit order), so all of
    /// them are visible to the second statement even under read-committed isolation, and a
    /// short page may move `next` to the head without passing over an entry that commits later.
    public func events(after cursor: Int64, limit: Int) async throws -> EventPage {
        try await store.read { reader in
            let head = try await reader.auditHead()
            let events = try await reader.bankEvents(after: cursor, through: head, limit: limit)
            let next = events.count == limit ? events.last?.cursor ?? cursor : max(cursor, head)
            let keys = try await reader.keyFingerprints(serials: Array(Set(events.compactMap(\.serial))))
            return EventPage(events: events, keyFingerprints: keys, next: next)
        }
    }

    /// How the user's current certificate came about, for the IB system's cooling-off rule.
    public struct Risk: Sendable {
        public enum ObtainedBy: String, Sendable {
            case bankCode, customerReissue, bankIssued, renewal, reacquisition
        }

        public let status: LifecycleStatus
        public let obtainedBy: ObtainedBy?
        public let codeIssuedBy: String?
        public let keyNewToUser: Bool?
        public let lastRevocation: Date?
    }

    public func risk(of key: UserKey) async throws -> Risk {
        try await store.read { reader in
            guard try await reader.user(key) != nil else { throw Self.missing(key, in: try await reader.contract(key.contractID)) }
            let lifecycle = try await lifecycles.lifecycle(of: key, in: reader)
            let lastRevocation = lifecycle.certificates.compactMap { $0.revocation?.time }.max()
            guard let current = lifecycle.status.certificate else {
                return Risk(status: lifecycle.status, obtainedBy: nil, codeIssuedBy: nil, keyNewToUser: nil, lastRevocation: lastRevocation)
            }
            let earlierKeys = lifecycle.certificates.filter { $0.issuedAt < current.issuedAt }.compactMap(\.keySHA256)
            let issuance = try await reader.auditEvents(action: .certificateIssued, target: "certificate:\(current.serial)", before: nil, limit: 1).first
            let code = try await issuance.asyncFlatMap { try await Self.codeIssuance(before: $0, of: key, in: reader) }
            return Risk(
                status: lifecycle.status, obtainedBy: Self.obtainedBy(issuance, code: code), codeIssuedBy: code?.actor,
                keyNewToUser: current.keySHA256.map { !earlierKeys.contains($0) }, lastRevocation: lastRevocation)
        }
    }

    /// The code issuance behind a certificate issuance: an issuance that spent a code is
    /// appended right after the code's redemption (and the superseded certificate's revocation,
    /// if any), so a redemption further back belongs to an earlier issuance.
    private static func codeIssuance(before issuance: AuditEvent, of key: UserKey, in reader: any StoreReader) async throws -> AuditEvent? {
        let redeemed = try await reader.auditEvents(action: .activationCodeRedeemed, target: "user:\(key)", before: issuance.sequence, limit: 1).first
        guard let redeemed, redeemed.sequence >= issuance.sequence - 2 else { return nil }
        return try await reader.auditEvents(action: .activationCodeIssued, target: "user:\(key)", before: redeemed.sequence, limit: 1).first
    }

    static func obtainedBy(_ issuance: AuditEvent?, code: AuditEvent?) -> Risk.ObtainedBy? {
        switch issuance?.details["kind"] {
        case "renewed": .renewal
        case "reacquired": .reacquisition
        case "issued": code.map { $0.actor.hasPrefix("user:") ? .customerReissue : .bankCode } ?? .bankIssued
        default: nil
        }
    }

    private static func missing(_ key: UserKey, in contract: Contract?) -> ShomeiError {
        contract == nil ? .contractNotFound(key.contractID) : .userNotFound(key)
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
