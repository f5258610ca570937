/// Where an application (各種申込) stands (seed 000, SPEC §5).
public enum ApplicationStatus: String, Sendable, Codable, CaseIterable {
    /// 作成中: saved as a draft (一時保存), only the customer sees it.
    case draft
    /// 提出済: submitted, waiting for the bank.
    case submitted
    /// 再提出要: the bank sent it back with a comment; the customer may edit and resubmit.
    case resubmissionRequired
    /// 再提出済: resubmitted after 再提出要, waiting for the bank.
    case resubmitted
    /// 受付済: accepted by the bank (final); for 05 the revocations are scheduled.
    case accepted
    /// 削除: withdrawn by the customer (final).
    case withdrawn

    /// The customer may change the answers (編集 in the answer list).
    public var isEditable: Bool { self == .draft || self == .resubmissionRequired }
    /// The bank has something to decide.
    public var awaitsBank: Bool { self == .submitted || self == .resubmitted }
    public var isFinal: Bool { self == .accepted || self == .withdrawn }
}

/// What someone does to an application.
public enum ApplicationAction: String, Sendable, Codable, CaseIterable {
    /// 一時保存 (customer).
    case saveDraft
    /// 提出 → 確定 (customer).
    case submit
    /// 削除 (customer).
    case withdraw
    /// 受付済 (bank; comment optional).
    case accept
    /// 再提出要 (bank; comment required, the customer reads it).
    case requestResubmission

    public var isBankAction: Bool { self == .accept || self == .requestResubmission }
}

/// The application state machine: the one place that says which action is allowed in which
/// status and where it leads. Storage and screens ask it; none decides on its own.
public enum ApplicationWorkflow {
    /// The status after `action` from `status` (nil: a new application), or the refusal.
    public static func next(
        after action: ApplicationAction, from status: ApplicationStatus?, comment: String? = nil
    ) throws(ShomeiError) -> ApplicationStatus {
        let hasComment = !(comment ?? "").trimmingWhitespace().isEmpty
        switch (action, status) {
        case (.saveDraft, nil), (.saveDraft, .draft?): return .draft
        case (.saveDraft, .resubmissionRequired?): return .resubmissionRequired
        case (.submit, nil), (.submit, .draft?): return .submitted
        case (.submit, .resubmissionRequired?): return .resubmitted
        case (.withdraw, .draft?), (.withdraw, .submitted?), (.withdraw, .resubmissionRequired?), (.withdraw, .resubmitted?):
            return .withdrawn
        case (.accept, .submitted?), (.accept, .resubmitted?): return .accepted
        case (.requestResubmission, .submitted?), (.requestResubmission, .resubmitted?):
            guard hasComment else { throw .bankCommentRequired }
            return .resubmissionRequired
        default:
            throw .applicationActionNotAllowed(action, status)
        }
    }
}
