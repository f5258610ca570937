/// CRLReason of RFC 5280 §5.3.1, with the codes that go into CRLs and OCSP responses.
///
/// `certificateHold` and `removeFromCRL` exist in the standard but are not offered: revocation at
/// a bank is final, and a suspended certificate is handled by disabling the user instead.
public enum RevocationReason: Int, Sendable, Codable, CaseIterable {
    case unspecified = 0
    case keyCompromise = 1
    case caCompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    case removeFromCRL = 8
    case privilegeWithdrawn = 9
    case aaCompromise = 10

    /// The name RFC 5280's ASN.1 module gives the value (also what `openssl ocsp` prints).
    public var rfcName: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "keyCompromise"
        case .caCompromise: "cACompromise"
        case .affiliationChanged: "affiliationChanged"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessationOfOperation"
        case .certificateHold: "certificateHold"
        case .removeFromCRL: "removeFromCRL"
        case .privilegeWithdrawn: "privilegeWithdrawn"
        case .aaCompromise: "aACompromise"
        }
    }

    /// Parses an RFC name, case-insensitively, and refuses the reasons Shomei does not issue.
    public init(rfcName: String) throws(ShomeiError) {
        guard let reason = Self.allCases.first(where: { $0.rfcName.lowercased() == rfcName.lowercased() }) else {
            throw .unknownRevocationReason(rfcName)
        }
        guard reason.isOffered else { throw .revocationReasonNotOffered(reason) }
        self = reason
    }

    public var isOffered: Bool { self != .certificateHold && self != .removeFromCRL }

    /// The reasons a customer's administrator may give in 証明書失効 (the 管理 menu): the ones
    /// that describe a customer's situation, not a CA's.
    public static let offeredToCustomers: [RevocationReason] = [.keyCompromise, .affiliationChanged, .superseded, .cessationOfOperation, .unspecified]

    public func label(_ language: Language) -> String {
        Message.revocationReasonLabel(self).text(language)
    }
}
