/// Why a message goes to a user.
///
/// Every issuance, renewal, re-acquisition and revocation is mailed to the user and the
/// contract's master users (SPEC §3): the defence against voice-phishing fraud, where a caller
/// talks the victim into installing a certificate on the attacker's PC.
public enum NoticeKind: Sendable, Hashable, CustomStringConvertible {
    case renewalDue(daysBefore: Int)
    case expired
    case reissueRequired
    case issued
    case renewed
    case reacquired
    case revoked

    /// Stable text form, used in dedupe keys, the audit trail and template names.
    public var description: String {
        switch self {
        case .renewalDue(let days): "renewal-due-\(days)"
        case .expired: "expired"
        case .reissueRequired: "reissue-required"
        case .issued: "issued"
        case .renewed: "renewed"
        case .reacquired: "reacquired"
        case .revoked: "revoked"
        }
    }

    /// The template that words this notice (one per kind and language).
    public var templateName: String {
        if case .renewalDue = self { return "renewal-due" }
        return description
    }

    /// Events of a certificate's life also go to the contract's master users.
    public var copiesMasters: Bool {
        switch self {
        case .issued, .renewed, .reacquired, .revoked: true
        case .renewalDue, .expired, .reissueRequired: false
        }
    }
}
