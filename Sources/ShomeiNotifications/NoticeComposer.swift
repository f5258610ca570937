import Foundation
import Mustache
import ShomeiDomain

/// Who the mail is from, as the templates sign it.
public struct BankSignature: Sendable, Codable, Equatable {
    /// 銀行名 as it appears in subjects and signatures.
    public var bankName: String
    /// The bank's official contact line (phone and hours): the number a voice-phishing victim
    /// must call, so every notice carries it.
    public var contactLine: String

    public init(bankName: String, contactLine: String) {
        self.bankName = bankName
        self.contactLine = contactLine
    }
}

/// Words notices from Mustache templates in files: `<language>/<kind>.mustache`, whose first
/// rendered line is the subject and the rest, after one blank line, the body.
///
/// The templates shipped with Shomei are bundled; a bank overrides any of them by putting a file
/// with the same relative path in its own template folder.
public struct NoticeComposer: NoticeComposing {
    let library: MustacheLibrary
    let signature: BankSignature

    public enum LoadError: Error, CustomStringConvertible {
        case bundledTemplatesMissing
        case missingTemplate(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .bundledTemplatesMissing: "the bundled notice templates were not found"
            case .missingTemplate(let name): "notice template \(name).mustache is missing"
            case .malformed(let name): "notice template \(name) must render a subject line, a blank line and a body"
            }
        }
    }

    /// Loads the bundled templates, then the bank's overrides from `overrides` if given.
    public static func load(signature: BankSignature, overrides: URL? = nil) async throws -> NoticeComposer {
        guard let bundled = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw LoadError.bundledTemplatesMissing
        }
        var library = try await MustacheLibrary(directory: bundled.path)
        if let overrides, FileManager.default.fileExists(atPath: overrides.path) {
            let extra = try await MustacheLibrary(directory: overrides.path)
            for name in Self.templateNames where extra.getTemplate(named: name) != nil {
                library.register(extra.getTemplate(named: name)!, named: name)
            }
        }
        for name in Self.templateNames where library.getTemplate(named: name) == nil {
            throw LoadError.missingTemplate(name)
        }
        let composer = NoticeComposer(library: library, signature: signature)
        try composer.renderEverySample()
        return composer
    }

    /// Renders every kind in every language once, so a broken override is refused when the
    /// server starts, not inside a revocation's transaction.
    func renderEverySample() throws {
        let key = UserKey(contractID: try ContractID("SAMPLE"), userID: try UserID("SAMPLE"))
        let certificate = CertificateRecord(
            serial: "00", owner: key, der: [], fingerprint: "", keySHA256: nil, subject: "CN=SAMPLE", notBefore: Date(), notAfter: Date(),
            medium: .pc, issuedAt: Date(), revocation: .init(time: Date(), reason: .unspecified))
        for language in Language.allCases {
            let user = try User(key: key, name: "SAMPLE", role: .master, email: try EmailAddress("sample@example.jp"),
                                passwordHash: "", createdAt: Date(), language: language)
            for kind in Self.kinds {
                _ = try compose(Notice(kind: kind, recipient: user, holder: user, certificate: certificate, time: Date(),
                                       reacquirableUntil: Date()))
            }
            for action in AdministrationAction.allCases {
                _ = try compose(AdministrationNotice(
                    action: action, recipient: user, target: user, actor: user, time: Date(), clientAddress: "192.0.2.1",
                    revokedSerial: "00", auditSequence: 0))
            }
            let contract = try Contract(id: key.contractID, name: "SAMPLE", createdAt: Date())
            for method in Contract.LoginMethod.allCases {
                for holds in [false, true] {
                    _ = try compose(LoginMethodNotice(recipient: user, contract: contract, method: method, time: Date(),
                                                      holdsValidCertificate: holds, applicationID: "SAMPLE"))
                }
            }
        }
    }

    static let kinds: [NoticeKind] = [.renewalDue(daysBefore: 0), .expired, .reissueRequired, .issued, .renewed, .reacquired, .revoked]
    static let partials = ["_certificate", "_footer"]
    static var templateNames: [String] {
        Language.allCases.flatMap { language in
            (kinds.map(\.templateName) + [Self.administrationTemplate, Self.loginMethodTemplate] + partials)
                .map { "\(language.rawValue)/\($0)" }
        }
    }

    /// The one template of every 管理 action's notice (the action is a value in it).
    static let administrationTemplate = "administered"
    /// The notice of a contract's new login method (03_本人確認方式の変更).
    static let loginMethodTemplate = "login-method"

    public func compose(_ notice: Notice) throws -> MailContent {
        try render(context(notice), template: "\(notice.recipient.language.rawValue)/\(notice.kind.templateName)")
    }

    public func compose(_ notice: AdministrationNotice) throws -> MailContent {
        try render(context(notice), template: "\(notice.recipient.language.rawValue)/\(Self.administrationTemplate)")
    }

    public func compose(_ notice: LoginMethodNotice) throws -> MailContent {
        try render(context(notice), template: "\(notice.recipient.language.rawValue)/\(Self.loginMethodTemplate)")
    }

    /// The subject line, a blank line, the body: what every template must render.
    private func render(_ context: [String: Any], template name: String) throws -> MailContent {
        guard let rendered = library.render(context, withTemplate: name) else {
            throw LoadError.missingTemplate(name)
        }
        let lines = rendered.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, !lines[0].trimmingCharacters(in: .whitespaces).isEmpty,
              lines[1].trimmingCharacters(in: .whitespaces).isEmpty else { throw LoadError.malformed(name) }
        return MailContent(subject: String(lines[0]).trimmingCharacters(in: .whitespaces), body: String(lines[2]))
    }

    /// What the 管理 notice says: the action, both users, the time and the address.
    func context(_ notice: AdministrationNotice) -> [String: Any] {
        let language = notice.recipient.language
        var values: [String: Any] = [
            "bank_name": signature.bankName,
            "bank_contact": signature.contactLine,
            "recipient_name": notice.recipient.name,
            "contract_id": notice.target.key.contractID.rawValue,
            "action": Message.administrationActionLabel(notice.action).text(language),
            "target_name": notice.target.name,
            "target_id": notice.target.key.userID.rawValue,
            "actor_name": notice.actor.name,
            "actor_id": notice.actor.key.userID.rawValue,
            "event_time": TokyoTime.formatForCustomer(notice.time, language),
            "client_ip": notice.clientAddress ?? "-",
        ]
        if let serial = notice.revokedSerial { values["serial"] = serial.uppercased() }
        return values
    }

    /// What the login method notice says: the contract, the method, and whether the recipient
    /// still has to obtain a certificate.
    func context(_ notice: LoginMethodNotice) -> [String: Any] {
        let language = notice.recipient.language
        return [
            "bank_name": signature.bankName,
            "bank_contact": signature.contactLine,
            "recipient_name": notice.recipient.name,
            "contract_name": notice.contract.name,
            "contract_id": notice.contract.id.rawValue,
            "user_id": notice.recipient.key.userID.rawValue,
            "method": Label.loginMethodName(notice.method).text(language),
            "certificate": notice.method == .certificate,
            "has_certificate": notice.holdsValidCertificate,
            "event_time": TokyoTime.formatForCustomer(notice.time, language),
        ]
    }

    /// Everything a template may say, as strings (and one flag).
    func context(_ notice: Notice) -> [String: Any] {
        let language = notice.recipient.language
        let certificate = notice.certificate
        var values: [String: Any] = [
            "bank_name": signature.bankName,
            "bank_contact": signature.contactLine,
            "recipient_name": notice.recipient.name,
            "holder_name": notice.holder.name,
            "contract_id": notice.holder.key.contractID.rawValue,
            "user_id": notice.holder.key.userID.rawValue,
            "is_copy": notice.recipient.key != notice.holder.key,
            "serial": certificate.serial.uppercased(),
            "certificate_subject": certificate.subject,
            "not_after": TokyoTime.formatForCustomer(certificate.notAfter, language),
            "event_time": TokyoTime.formatForCustomer(notice.time, language),
        ]
        if case .renewalDue(let days) = notice.kind { values["days_before"] = "\(days)" }
        if let until = notice.reacquirableUntil {
            values["reacquirable_until"] = TokyoTime.formatForCustomer(until, language)
        }
        if let revocation = certificate.revocation {
            values["reason"] = Message.revocationReasonLabel(revocation.reason).text(language)
        }
        return values
    }
}
