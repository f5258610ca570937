import ShomeiDomain

// The customer portal's pages, one typed view model each (rendered by `PageRenderer`).

struct LoginPage: PageView {
    static let template = "login"

    /// The presented certificate's holder (電子証明書方式).
    struct Holder: Encodable, Sendable {
        let contractId: String
        let userId: String
        let userName: String
    }

    /// What was typed into the ID・パスワード方式 form, shown again after a refusal.
    struct Typed: Encodable, Sendable {
        let contractId: String
        let userId: String
    }

    var certificate: Holder?
    var passwordLogin: Typed?
}

/// 重要なお知らせ.
struct NoticesPage: PageView {
    static let template = "notices"

    struct Notice: Encodable, Sendable {
        let id: String
        let date: String
        let subject: String
        let body: String
        let link: Link?
    }

    struct Link: Encodable, Sendable {
        let href: String
        let text: String
    }

    let notices: [Notice]
    let hasNotices: Bool

    init(notices: [Notice]) {
        self.notices = notices
        hasNotices = !notices.isEmpty
    }
}

/// メインメニュー.
struct MenuPage: PageView {
    static let template = "menu"
    let canRenew: Bool
    let canApply: Bool
    let canAdminister: Bool
}

/// What a certificate's page shows of it (the portal's 証明書情報 and the console's history).
struct CertificateFacts: Encodable, Sendable {
    let serial: String
    let subject: String
    let notBefore: String
    let notAfter: String
    let medium: String
    let state: String

    init(_ record: CertificateRecord, state: LifecycleStatus.State, _ language: Language) {
        serial = record.serial.uppercased()
        subject = record.subject
        notBefore = TokyoTime.formatForCustomer(record.notBefore, language)
        notAfter = TokyoTime.formatForCustomer(record.notAfter, language)
        medium = Message.mediumLabel(record.medium).text(language)
        self.state = Message.lifecycleStateLabel(state).text(language)
    }
}

/// 証明書情報.
struct CertificatePage: PageView {
    static let template = "certificate"
    let record: CertificateFacts?
    let canRenew: Bool
}

/// 更新通知: 今すぐ更新する / 後で更新する.
struct RenewalPage: PageView {
    static let template = "renewal"
    let notice: String
}

/// Where the renewal stands (the steps bar of seed 003).
struct RenewalSteps: Encodable, Sendable {
    let preparing: String
    let start: String
    let done: String?

    static let starting = RenewalSteps(preparing: "finished", start: "current", done: nil)
}

/// 更新開始: パソコンに保存する / 専用USBに保存する.
struct RenewalStartPage: PageView {
    static let template = "renewal-start"
    let steps: RenewalSteps
}

/// The in-browser key generation form (`enroll.js`): where it posts, and its words.
struct EnrollForm: Encodable, Sendable {
    let endpoint: String
    let commonName: String
    let fileName: String
    let passwordMessage: String
    let button: String
    let credentials: Bool
    let activationCode: Bool
}

/// パソコンに保存する: the key is made in the browser.
struct RenewalPCPage: PageView {
    static let template = "renewal-pc"
    let steps: RenewalSteps
    let enroll: EnrollForm
}

/// 専用USBに保存する: the issuing app with the token.
struct RenewalUSBPage: PageView {
    static let template = "renewal-usb"
    let steps: RenewalSteps
    let appCommand: String
}

/// 電子証明書発行 / 電子証明書取得 from the login screen.
struct CertificateRequestPage: PageView {
    static let template = "certificate-request"
    let intro: String
    let enroll: EnrollForm
    let appCommand: String
}

/// A refusal with nothing else to show: its message (in the frame) and the way back.
struct RefusalPage: PageView {
    static let template = "refusal"
    let back: String
}
