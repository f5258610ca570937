import ShomeiDomain

// The 管理 menu's pages (issue #17): 利用者一覧, then for every action 入力 → 確認 → 結果.

/// 利用者一覧: the contract's users, their 権限, 利用状況 and certificate state, and the actions
/// the rule offers on each.
struct AdminUsersPage: PageView {
    static let template = "admin-users"

    struct Row: Encodable, Sendable {
        let id: String
        let name: String
        let role: String
        let status: String
        let certificate: String
        let notAfter: String
        /// 最終ログイン; empty when the user has never logged in.
        let lastLogin: String
        let actions: [ActionLink]
    }

    /// One action offered on a row; `slug` is its URL's last part and the link's class.
    struct ActionLink: Encodable, Sendable {
        let href: String
        let slug: String
        let label: String
    }

    let rows: [Row]
    /// 利用者登録, when the rule and the bank's switches offer it.
    let register: ActionLink?
}

/// 利用者登録入力 / 利用者情報変更入力.
struct AdminUserFormPage: PageView {
    static let template = "admin-user-form"
    let post: String
    let registering: Bool
    let userId: String
    let userName: String
    let email: String
    let roles: [SelectOption]
    let stamp: String
}

/// A fact on a 確認 or 結果 page; `id` lets a script (and a test) find it.
struct AdminFact: Encodable, Sendable {
    let id: String
    let label: String
    let value: String
}

/// The 確認 page of every 管理 action: what will be done to whom, the form's values carried
/// in hidden fields (with the stamp of the user as shown), and the 確認用パスワード.
struct AdminConfirmPage: PageView {
    static let template = "admin-confirm"

    struct Hidden: Encodable, Sendable {
        let name: String
        let value: String
    }

    let note: String
    let facts: [AdminFact]
    let post: String
    let hidden: [Hidden]
    /// The reasons to choose from, for a revocation; empty otherwise.
    let reasons: [SelectOption]
    let hasReasons: Bool
    /// 利用者登録: the initial login password is typed on this page (left empty, one is made).
    let asksInitialPassword: Bool
}

/// The 結果 page: what was done, and the one-time secrets the action made, shown this once.
struct AdminResultPage: PageView {
    static let template = "admin-result"
    let action: String
    let text: String
    let facts: [AdminFact]
    let secrets: [AdminFact]
    let hasSecrets: Bool
    /// How the user goes on with a re-issue code (電子証明書発行 on the login screen).
    let reissued: Bool
}

/// ログインパスワード変更 / 確認用パスワード変更.
struct PasswordChangePage: PageView {
    static let template = "password-change"
    let post: String
    /// The login password was set by someone else: nothing else opens until it is changed.
    let required: Bool
}
