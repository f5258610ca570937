import ShomeiDomain

// The bank console's pages, one typed view model each (rendered by `PageRenderer`).

/// A choice of a `<select>`.
struct SelectOption: Encodable, Sendable {
    let value: String
    let label: String
    var selected = false
}

struct BankLoginPage: PageView {
    static let template = "bank-login"
    let staffId: String
}

/// 申込受付一覧.
struct BankInboxPage: PageView {
    static let template = "bank-inbox"

    struct Row: Encodable, Sendable {
        let id: String
        let contract: String
        let memo: String
        let status: String
        let updatedAt: String
        let updater: String
    }

    let rows: [Row]
    let hasRows: Bool
    let statuses: [SelectOption]
    let forms: [SelectOption]
    let from: String
    let through: String
    /// The next page's query, when this page was full.
    let older: String?
}

/// One application: answers, history, and 受付済 / 再提出要.
struct BankApplicationPage: PageView {
    static let template = "bank-application"
    let applicationId: String
    let contract: String
    let memo: String
    let status: String
    let bankComment: String?
    let targets: String?
    let effectiveAt: String?
    let decidable: Bool
    let comment: String
    let sections: [AnswerSection]
    let history: [HistoryRow]
}

/// Four-eyes direct actions: pending requests and the request form.
struct BankActionsPage: PageView {
    static let template = "bank-actions"

    struct Pending: Encodable, Sendable {
        let id: String
        let kind: String
        let reason: String
        let requestedBy: String
        let requestedAt: String
        let canDecide: Bool
    }

    let pending: [Pending]
    let hasPending: Bool
    let canRequest: Bool
    let reasons: [SelectOption]
}

/// Certificate search.
struct BankSearchPage: PageView {
    static let template = "bank-search"

    /// The form's fields as typed, shown again.
    struct Query: Encodable, Sendable {
        let name: String
        let contract: String
        let user: String
        let serial: String
        let status: String
        let expiring: String
    }

    struct Row: Encodable, Sendable {
        let serial: String
        let contract: String
        let user: String
        let name: String
        let notAfter: String
        let status: String
        let medium: String
    }

    let query: Query
    let rows: [Row]
    let hasRows: Bool
    let csvQuery: String
    let statuses: [SelectOption]
}

/// An audit entry as the console lists it.
struct AuditRow: Encodable, Sendable {
    let sequence: Int64
    let time: String
    let actor: String
    let action: String
    let target: String
    let details: String

    init(_ event: AuditEvent, _ l: Language) {
        sequence = event.sequence
        time = TokyoTime.formatForCustomer(event.time, l)
        actor = event.actor
        action = event.action.rawValue
        target = event.target
        details = event.details.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

/// One certificate's full history.
struct BankCertificatePage: PageView {
    static let template = "bank-certificate"
    let record: CertificateFacts?
    let events: [AuditRow]
}

/// The audit log.
struct BankAuditPage: PageView {
    static let template = "bank-audit"
    let events: [AuditRow]
    let older: String?
    let actions: [SelectOption]
}
