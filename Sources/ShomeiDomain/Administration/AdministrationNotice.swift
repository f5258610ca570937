import struct Foundation.Date

/// The mail every 管理 action sends (issue #17): to the user it was done to and to every master
/// of the contract, saying who did what, when and from which address — so a master learns of a
/// re-issue a caller talked an administrator into, and a user of a change they did not expect.
public struct AdministrationNotice: Sendable, Equatable {
    public let action: AdministrationAction
    public let recipient: User
    /// The user the action was taken on (after it: a deleted user reads as deleted).
    public let target: User
    /// The master or administrator who took it.
    public let actor: User
    public let time: Date
    /// Where the actor's request came from, when the surface knew.
    public let clientAddress: String?
    /// The certificate the action revoked, if it revoked one.
    public let revokedSerial: String?
    /// The audit entry of the action: one notice per action and recipient.
    public let auditSequence: Int64

    public init(
        action: AdministrationAction, recipient: User, target: User, actor: User, time: Date, clientAddress: String?,
        revokedSerial: String?, auditSequence: Int64
    ) {
        self.action = action
        self.recipient = recipient
        self.target = target
        self.actor = actor
        self.time = time
        self.clientAddress = clientAddress
        self.revokedSerial = revokedSerial
        self.auditSequence = auditSequence
    }

    public var dedupeKey: String { "administered:\(auditSequence):\(recipient.key)" }

    /// The target and the contract's active masters (`masters`), each once.
    public static func recipients(target: User, masters: [User]) -> [User] {
        [target] + masters.filter { $0.key != target.key }
    }
}
