import struct Foundation.Date

/// One entry of the append-only audit trail: who did what to which object, when.
///
/// Entries are hash-chained by the store (each entry's hash covers the previous hash), so a
/// deleted or edited row breaks the chain and `verifyAuditChain` finds it.
public struct AuditEvent: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case caInitialised = "ca.initialised"
        case contractAdded = "contract.added"
        case contractLoginMethodChanged = "contract.login_method_changed"
        case contractAdministrationChanged = "contract.administration_changed"
        case userAdded = "user.added"
        case userDisabled = "user.disabled"
        case userEnabled = "user.enabled"
        case userChanged = "user.changed"
        case passwordFailed = "user.password_failed"
        case userLocked = "user.locked"
        case confirmationPasswordSet = "user.confirmation_password_set"
        case confirmationPasswordFailed = "user.confirmation_password_failed"
        case confirmationPasswordLocked = "user.confirmation_password_locked"
        case userUnlocked = "user.unlocked"
        case userDeleted = "user.deleted"
        case loginPasswordReset = "user.login_password_reset"
        case loginPasswordChanged = "user.login_password_changed"
        case confirmationPasswordChanged = "user.confirmation_password_changed"
        /// A 管理 action by a customer's master or administrator (details: `action`, `serial`):
        /// the entry the notices and the event feed read, beside the action's own entries.
        case userAdministered = "user.administered"
        case activationCodeIssued = "activation_code.issued"
        case activationCodeVoided = "activation_code.voided"
        case activationCodeRedeemed = "activation_code.redeemed"
        case activationCodeFailed = "activation_code.failed"
        case certificateIssued = "certificate.issued"
        case certificateRevoked = "certificate.revoked"
        case certificateExpired = "certificate.expired"
        case certificateReissueRequired = "certificate.reissue_required"
        case noticeQueued = "notice.queued"
        case outboxRetried = "outbox.retried"
        case loggedIn = "user.logged_in"
        case loginRefused = "user.login_refused"
        case loggedOut = "user.logged_out"
        /// A portal request refused before it did anything: forged CSRF token, a session used
        /// with another user's certificate, a session that ended.
        case requestRefused = "portal.request_refused"
        case applicationSaved = "application.saved"
        case applicationSubmitted = "application.submitted"
        case applicationWithdrawn = "application.withdrawn"
        case applicationAccepted = "application.accepted"
        case applicationReturned = "application.returned"
        /// The scheduled revocations of an accepted 05 application were carried out.
        case applicationRevocationsDone = "application.revocations_done"
        case apiClientAdded = "api_client.added"
        case apiClientRevoked = "api_client.revoked"
        case staffAdded = "staff.added"
        case staffLoggedIn = "staff.logged_in"
        case staffLoginRefused = "staff.login_refused"
        case staffLocked = "staff.locked"
        case staffUnlocked = "staff.unlocked"
        case staffLoggedOut = "staff.logged_out"
        case directActionRequested = "direct_action.requested"
        case directActionApproved = "direct_action.approved"
        case directActionRejected = "direct_action.rejected"
    }

    /// Position in the chain, from 1.
    public let sequence: Int64
    /// Who acted: `operator:<name>`, `user:<contract>/<user>`, or `system`.
    public let actor: String
    public let action: Action
    /// What was acted on: `contract:<id>`, `user:<contract>/<user>`, `certificate:<serial>`.
    public let target: String
    public let time: Date
    /// Free-form key/value details, kept sorted so the hash is reproducible.
    public let details: [String: String]
    public let previousHash: String
    public let hash: String

    public init(
        sequence: Int64, actor: String, action: Action, target: String, time: Date,
        details: [String: String], previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.actor = actor
        self.action = action
        self.target = target
        self.time = time
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// An audit entry before the store gives it its place in the chain.
public struct AuditEntry: Sendable, Equatable {
    public let actor: String
    public let action: AuditEvent.Action
    public let target: String
    public let details: [String: String]

    /// The entry records the address of the request it was made for (`RequestOrigin`), as `ip`.
    public init(actor: String, action: AuditEvent.Action, target: String, details: [String: String] = [:]) {
        self.actor = actor
        self.action = action
        self.target = target
        var details = details
        if let address = RequestOrigin.clientAddress, details["ip"] == nil { details["ip"] = address }
        self.details = details
    }
}

/// Where the request being served came from, for the audit trail and the bank's event feed.
///
/// The pages listeners set it for the handling of one request (`ClientCertificateMiddleware`); audit
/// entries made while it is set record it. Outside a request (a CLI command, a scheduled job)
/// it is nil and entries carry no address.
public enum RequestOrigin {
    @TaskLocal public static var clientAddress: String?
}
