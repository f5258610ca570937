import struct Foundation.Date

/// The mail every user of a contract gets when an accepted 03_本人確認方式の変更 takes effect:
/// the new way to log in and what to do for it (obtain a certificate, or no longer need one).
public struct LoginMethodNotice: Sendable, Equatable {
    public let recipient: User
    public let contract: Contract
    /// The method the contract logs in with from `time` on.
    public let method: Contract.LoginMethod
    public let time: Date
    /// Whether the recipient already holds a valid certificate (then a certificate contract
    /// needs nothing more of them).
    public let holdsValidCertificate: Bool
    /// The application that asked for the change: one notice per application and recipient.
    public let applicationID: String

    public init(
        recipient: User, contract: Contract, method: Contract.LoginMethod, time: Date, holdsValidCertificate: Bool,
        applicationID: String
    ) {
        self.recipient = recipient
        self.contract = contract
        self.method = method
        self.time = time
        self.holdsValidCertificate = holdsValidCertificate
        self.applicationID = applicationID
    }

    public var dedupeKey: String { "login-method:\(applicationID):\(recipient.key)" }
}
