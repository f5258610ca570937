import ShomeiDomain

// The applications service's pages (各種申込サービス), one typed view model each, and the
// parts the portal and the console share (answers, history).

/// The menu of application types.
struct ApplicationsPage: PageView {
    static let template = "applications"

    struct Form: Encodable, Sendable {
        let id: String
        let title: String
        let available: Bool
    }

    let forms: [Form]
}

/// 回答一覧.
struct ApplicationListPage: PageView {
    static let template = "application-list"

    struct Row: Encodable, Sendable {
        let id: String
        let formId: String
        let company: String
        let status: String
        let updatedAt: String
        let updatedCompany: String
        let updater: String
        let memo: String
        let editable: Bool
    }

    let formId: String
    let rows: [Row]
    let hasRows: Bool
}

/// 回答内容編集.
struct ApplicationEditPage: PageView {
    static let template = "application-edit"
    let formId: String
    let applicationId: String?
    let bankComment: String?
    let sections: [EditableSection]
}

/// 回答内容確認: the answers read-only, and again as hidden inputs for 確定 and 戻る.
struct ApplicationConfirmPage: PageView {
    static let template = "application-confirm"

    struct Hidden: Encodable, Sendable {
        let name: String
        let value: String
    }

    let formId: String
    let applicationId: String?
    let sections: [AnswerSection]
    let hidden: [Hidden]
}

/// 回答内容参照 / 回答内容結果.
struct ApplicationViewPage: PageView {
    static let template = "application-view"
    let formId: String
    let applicationId: String
    let memo: String
    let status: String
    let bankComment: String?
    let submitted: Bool
    let saved: Bool
    let editable: Bool
    let withdrawable: Bool
    let sections: [AnswerSection]
    let history: [HistoryRow]
}

/// One section of the form with its fields as inputs.
struct EditableSection: Encodable, Sendable {
    let title: String
    let note: String?
    let fields: [EditableField]
}

/// A field as the edit page shows it; exactly one of the `is…` kinds is set.
struct EditableField: Encodable, Sendable {
    struct Option: Encodable, Sendable {
        let fieldId: String
        let value: String
        let label: String
        let checked: Bool
    }

    struct UserRow: Encodable, Sendable {
        let fieldId: String
        let number: Int
        let label: String
        let name: String
        let roles: [Option]
        let problem: String?
    }

    let id: String
    let label: String
    let help: String?
    let problem: String?
    var isConfirmation = false
    var checked = false
    var attachment: String?
    var isText = false
    var value: String?
    var maxLength: Int?
    var multiline = false
    var numeric = false
    var isChoice = false
    var options: [Option]?
    var isRows = false
    var rows: [UserRow]?
}

/// One section of the answers, read-only.
struct AnswerSection: Encodable, Sendable {
    struct Field: Encodable, Sendable {
        let label: String
        let lines: [String]
    }

    let title: String
    let fields: [Field]
}

/// 履歴: one status change.
struct HistoryRow: Encodable, Sendable {
    let time: String
    let company: String
    let user: String
    let before: String
    let after: String
    let comment: String
}
