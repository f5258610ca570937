import struct Foundation.Date

/// A corporate customer (契約先) of the bank's internet banking.
public struct Contract: Sendable, Codable, Equatable {
    /// How the contract's users log in to the portal. Contracts move to certificates (SPEC §1);
    /// until the bank switches one over, its users log in with ID and password (seed 004 §2(4)).
    public enum LoginMethod: String, Sendable, Codable, CaseIterable {
        /// 電子証明書方式: client certificate in the TLS handshake, then the password.
        case certificate
        /// ID・パスワード方式.
        case password
    }

    public let id: ContractID
    /// The company name as the bank registered it (契約先名).
    public let name: String
    public let createdAt: Date
    public let loginMethod: LoginMethod
    /// Which 管理 actions this contract's administrators may take, where the bank chose for this
    /// contract; nil: the installation's `customerAdministration`.
    public let administration: AdministrationSwitches?

    public init(
        id: ContractID, name: String, createdAt: Date, loginMethod: LoginMethod = .certificate,
        administration: AdministrationSwitches? = nil
    ) throws(ShomeiError) {
        guard DisplayName.isValid(name) else { throw .invalidName(name) }
        self.id = id
        self.loginMethod = loginMethod
        self.administration = administration
        self.name = name
        self.createdAt = createdAt
    }
}

/// Display names (契約先名, 利用者名) are free text, but never empty, never control characters,
/// and short enough for a screen line and a certificate notice.
public enum DisplayName {
    /// A name as typed into a form or an API (`isValid`, and no 半角カナ: ｶﾅ does not survive
    /// mail and the bank's CP932 systems as the customer typed it; the message names the
    /// character). Names already stored are read as they are.
    public static func checked(_ name: String) throws(ShomeiError) -> String {
        guard isValid(name) else { throw .invalidName(name) }
        if let kana = name.first(where: { $0.unicodeScalars.contains { (0xFF61...0xFF9F).contains($0.value) } }) {
            throw .nameHalfWidthKatakana(String(kana))
        }
        return name
    }

    /// A name shows something, is at most 100 characters and is printable (`TextRules`).
    static func isValid(_ name: String) -> Bool {
        TextRules.hasVisibleContent(name) && name.count <= 100
            && TextRules.forbiddenCharacter(in: name, allowingLineBreaks: false) == nil
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
