import struct Foundation.Date

/// An action bank staff take outside the application flow, under four-eyes control: one staff
/// member requests it, a different approver approves it, and only then it happens.
public struct DirectAction: Sendable, Codable, Equatable {
    public enum Kind: Sendable, Codable, Equatable {
        /// Immediate revocation on an urgent phone request (e.g. a stolen PC).
        case revokeNow(serial: String, reason: RevocationReason)
        /// A new activation code for a user past the re-acquisition grace period (再発行).
        case reissue(user: UserKey)
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, approved, rejected
    }

    public let id: String
    public let kind: Kind
    /// Why: the phone call, the customer's request (shown to the approver).
    public let reason: String
    public let requestedBy: String
    public let requestedAt: Date
    public var status: Status
    public var decidedBy: String?
    public var decidedAt: Date?

    public init(
        id: String, kind: Kind, reason: String, requestedBy: String, requestedAt: Date, status: Status = .pending,
        decidedBy: String? = nil, decidedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }

    /// Whether `approver` may decide this request: a pending one, by an approver or
    /// administrator who is not the person who asked.
    public func decisionRefusal(by approver: Staff) -> ShomeiError? {
        guard status == .pending else { return .directActionDecided }
        guard approver.role == .approver || approver.role == .administrator else { return .staffNotPermitted }
        guard approver.id != requestedBy else { return .fourEyesSamePerson }
        return nil
    }
}
