import struct Foundation.Date

/// Who last acted on an application, as the answer list shows it (最終更新企業 / 最終更新者).
public struct ApplicationActor: Sendable, Codable, Equatable {
    public enum Side: String, Sendable, Codable {
        /// The customer's user (利用者).
        case customer
        /// Bank staff (金融機関).
        case bank
    }

    public let side: Side
    /// `<contract>/<user>` or the staff account's ID: what the audit trail names.
    public let id: String
    /// 利用者名 or the staff member's name: what the screens show.
    public let name: String

    public init(side: Side, id: String, name: String) {
        self.side = side
        self.id = id
        self.name = name
    }

    public static func customer(_ user: User) -> ApplicationActor {
        ApplicationActor(side: .customer, id: "\(user.key)", name: user.name)
    }
}

/// One filed (or drafted) application of a contract.
public struct Application: Sendable, Codable, Equatable {
    public let id: String
    /// The form definition's ID (`05`).
    public let formID: String
    public let contractID: ContractID
    public var status: ApplicationStatus
    /// The answers as the form sent them (see `FormDefinition.validate`).
    public var answers: [String: String]
    /// For 05: the users whose certificates are revoked, resolved from the rows at submission.
    public var targets: [UserKey]
    public let createdAt: Date
    public var updatedAt: Date
    public var updatedBy: ApplicationActor
    /// The bank's latest comment (受付済 / 再提出要), which the customer reads.
    public var bankComment: String?
    /// For an accepted application whose form has an effect (05, 03): what it does, fixed at
    /// 受付済 from the form as it was then (a later edit of the form file changes nothing already
    /// accepted, and a revocation is never dropped), when it takes effect (`EffectiveDay`), and
    /// when it was carried out.
    public var effect: FormDefinition.Effect?
    public var effectiveAt: Date?
    public var carriedOutAt: Date?

    public init(
        id: String, formID: String, contractID: ContractID, status: ApplicationStatus, answers: [String: String],
        targets: [UserKey] = [], createdAt: Date, updatedAt: Date, updatedBy: ApplicationActor, bankComment: String? = nil,
        effect: FormDefinition.Effect? = nil, effectiveAt: Date? = nil, carriedOutAt: Date? = nil
    ) {
        self.id = id
        self.formID = formID
        self.contractID = contractID
        self.status = status
        self.answers = answers
        self.targets = targets
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.bankComment = bankComment
        self.effect = effect
        self.effectiveAt = effectiveAt
        self.carriedOutAt = carriedOutAt
    }
}

/// One line of an application's history (回答内容参照 → 履歴): every status change.
public struct ApplicationHistoryEntry: Sendable, Codable, Equatable {
    public let applicationID: String
    public let time: Date
    public let actor: ApplicationActor
    public let before: ApplicationStatus?
    public let after: ApplicationStatus
    public let comment: String?

    public init(applicationID: String, time: Date, actor: ApplicationActor, before: ApplicationStatus?, after: ApplicationStatus, comment: String?) {
        self.applicationID = applicationID
        self.time = time
        self.actor = actor
        self.before = before
        self.after = after
        self.comment = comment
    }
}
