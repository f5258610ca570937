import struct Foundation.Date

/// One entry of the bank API's event feed: the audit trail's entries that a fraud monitor acts
/// on, with the contract, user and certificate they concern read out of the entry.
///
/// The feed's cursor is the audit chain's sequence number. The chain is appended under one lock
/// held until commit (`AuditChain`), so sequence order is commit order on both databases: a
/// reader that has seen sequence n will never later see a new entry below n.
public struct BankEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case certificateIssued, certificateRevoked, userLocked, loginRefused, passwordFailed
        case activationCodeIssued, activationCodeFailed, activationCodeVoided
        case userAdded, userChanged, userDisabled, userEnabled, userUnlocked, confirmationPasswordSet, confirmationPasswordLocked
        case contractAdded, loginMethodChanged, administrationChanged
        /// 利用者削除 and ログインパスワード初期化, by the customer's 管理 menu.
        case userDeleted, loginPasswordReset
        /// Any 管理 action by a customer's master or administrator; `reason` says which
        /// (`AdministrationAction`), `actor` who.
        case customerAdministration

        /// The audit actions the feed carries, and what it calls them.
        public static var actions: Set<AuditEvent.Action> { Set(byAction.keys) }

        static let byAction: [AuditEvent.Action: Kind] = [
            .certificateIssued: .certificateIssued, .certificateRevoked: .certificateRevoked, .userLocked: .userLocked,
            .loginRefused: .loginRefused, .passwordFailed: .passwordFailed, .activationCodeIssued: .activationCodeIssued,
            .activationCodeFailed: .activationCodeFailed, .activationCodeVoided: .activationCodeVoided, .userAdded: .userAdded,
            .userChanged: .userChanged,
            .userDisabled: .userDisabled, .userEnabled: .userEnabled, .userUnlocked: .userUnlocked,
            .confirmationPasswordSet: .confirmationPasswordSet, .confirmationPasswordLocked: .confirmationPasswordLocked,
            .contractAdded: .contractAdded, .contractLoginMethodChanged: .loginMethodChanged,
            .contractAdministrationChanged: .administrationChanged, .userDeleted: .userDeleted,
            .loginPasswordReset: .loginPasswordReset, .userAdministered: .customerAdministration,
        ]
    }

    public let cursor: Int64
    public let kind: Kind
    public let time: Date
    public let actor: String
    public let contract: ContractID?
    public let user: UserID?
    public let serial: String?
    /// issued, renewed or reacquired, for an issuance.
    public let issuanceKind: String?
    /// The revocation reason (RFC 5280 name) or the refusal, where the entry has one.
    public let reason: String?
    /// The address the request came from, where the surface recorded it.
    public let clientIP: String?

    /// The feed's view of an audit entry, from the entry's parts (the store reads the feed
    /// without the chain's hashes, which only `AuditChain.verify` needs); nil for an entry the
    /// feed does not carry.
    public init?(
        sequence: Int64, action: AuditEvent.Action, actor: String, target: String, time: Date, details: [String: String]
    ) {
        guard let kind = Kind.byAction[action] else { return nil }
        let (kindOfTarget, name) = Self.split(target)
        let key = kindOfTarget == "user" ? UserKey(name) : details["user"].flatMap(UserKey.init)
        cursor = sequence
        self.kind = kind
        self.time = time
        self.actor = actor
        contract = key?.contractID ?? (kindOfTarget == "contract" ? try? ContractID(name) : nil)
        user = key?.userID
        serial = kindOfTarget == "certificate" ? name : nil
        issuanceKind = action == .certificateIssued ? details["kind"] : nil
        reason = details["reason"] ?? details["action"]
        clientIP = details["ip"]
    }

    private static func split(_ target: String) -> (String, String) {
        guard let colon = target.firstIndex(of: ":") else { return (target, "") }
        return (String(target[..<colon]), String(target[target.index(after: colon)...]))
    }
}
