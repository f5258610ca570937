import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The activation letter (手順書, seed 004 §2(3)): what the bank posts to the customer after a
/// re-issue or first issuance is approved — contract and user, the one-time code and its expiry,
/// where to log in, the bank's root fingerprint to check, and the steps of 電子証明書発行. It is
/// the approval's answer, so the code is on the screen this once and never again (only its hash
/// is stored); the page is laid out for A4 (`@media print` in portal.css) and written in the
/// customer's language, not the approver's.
struct ActivationLetterPage: PageView {
    static let template = "activation-letter"

    /// What every letter of this installation carries besides the user's own values.
    struct Letterhead: Sendable {
        /// Where customers open the login page (`https://…`, no path).
        let portalURL: String
        /// SHA-256 of the root CA certificate, as openssl and browsers show it (`AB:CD:…`).
        let rootFingerprint: String

        init(portalURL: String, rootFingerprintHex: String) {
            self.portalURL = portalURL
            var pairs: [String] = []
            var rest = Substring(rootFingerprintHex.uppercased())
            while !rest.isEmpty {
                pairs.append(String(rest.prefix(2)))
                rest = rest.dropFirst(2)
            }
            rootFingerprint = pairs.joined(separator: ":")
        }
    }

    let contractId: String
    let contractName: String
    let userId: String
    let userName: String
    let code: String
    let expiresAt: String
    let loginURL: String
    let rootFingerprint: String
}

extension ActivationLetterPage {
    init(user: User, contractName: String, code: (code: String, record: ActivationCode), letterhead: Letterhead) {
        contractId = user.key.contractID.rawValue
        self.contractName = contractName
        userId = user.key.userID.rawValue
        userName = user.name
        self.code = code.code
        expiresAt = TokyoTime.formatForCustomer(code.record.expiresAt, user.language)
        loginURL = letterhead.portalURL + "/login"
        rootFingerprint = letterhead.rootFingerprint
    }
}

extension BankConsole {
    /// The letter for a code just approved (its user deleted meanwhile: userNotFound, shown as a refusal).
    func activationLetter(
        _ code: (code: String, record: ActivationCode), _ context: ConsoleRequestContext
    ) async throws -> Response {
        guard let holder = try await queries.user(code.record.owner) else {
            throw ShomeiError.userNotFound(code.record.owner)
        }
        let language = holder.user.language
        var frame = Frame(title: Label.letterTitle.text(language), csrf: context.session.csrfToken)
        frame.staff = .init(name: context.staff.name, role: context.staff.role.rawValue)
        return try pages.response(
            ActivationLetterPage(user: holder.user, contractName: holder.contractName, code: code, letterhead: letterhead),
            frame: frame, language: language)
    }
}
