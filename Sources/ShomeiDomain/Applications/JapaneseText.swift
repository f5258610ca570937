import Foundation

/// What 全角 and 半角数字 mean on Shomei's forms (seed 000's 担当部署名 (全角), 担当者名 (全角),
/// 連絡先電話番号 (半角数字、ハイフンなし)). The rule is written down once, here:
///
/// - Text is first normalised to NFC, so a kana typed with a combining voiced mark (か + U+3099)
///   is the precomposed が the bank's systems expect. Nothing else is rewritten silently.
/// - **全角** = every character is a double-byte character of Windows-31J (CP932): JIS X 0208
///   plus the NEC and IBM extensions that Windows PCs type (①, ㈱, 髙 are accepted). Refused
///   with the character named: ASCII and other single-byte characters, half-width katakana
///   (ｶﾞ), and what CP932 cannot encode at all (𠮷, WAVE DASH 〜 as Macs type it, emoji).
///   CP932 rather than strict JIS X 0208 because the customers' PCs are Windows and their
///   company names use those characters; the bank's own systems take CP932 data.
/// - Length is counted in characters (grapheme clusters after NFC), never in UTF-16 units.
/// - **半角数字** = ASCII digits only. Full-width digits and hyphens get a message saying what
///   to type, not a silent conversion.
public enum JapaneseText {
    public enum Problem: Sendable, Equatable, Codable {
        case empty
        case tooLong(maximum: Int)
        case asciiCharacter(String)
        case halfWidthKatakana(String)
        case notInCharacterSet(String)
        case fullWidthDigits
        case hyphen
        case notDigits
        case phoneLength
        case phoneMustStartWithZero
    }

    public static func normalised(_ text: String) -> String { text.precomposedStringWithCanonicalMapping }

    /// The first problem of a 全角 field, or nil when it is acceptable.
    public static func fullWidthProblem(_ text: String, maximumLength: Int) -> Problem? {
        let text = normalised(text)
        guard TextRules.hasVisibleContent(text) else { return .empty }
        if let character = TextRules.forbiddenCharacter(in: text, allowingLineBreaks: false) { return .notInCharacterSet(character) }
        guard text.count <= maximumLength else { return .tooLong(maximum: maximumLength) }
        for character in text {
            // Scalar by scalar: ｶﾞ is one Character (U+FF9E extends the grapheme) whose two
            // single-byte halves would otherwise pass as one double-byte character.
            if let problem = character.unicodeScalars.lazy.compactMap({ scalarProblem($0, shown: String(character)) }).first {
                return problem
            }
        }
        return nil
    }

    /// The first problem of a Japanese phone number field: 半角 digits, no hyphens, 10 or 11
    /// digits starting with 0 (fixed lines 0X-XXXX-XXXX, mobiles 0X0-XXXX-XXXX).
    public static func phoneProblem(_ text: String) -> Problem? {
        guard !text.isEmpty else { return .empty }
        let hyphens: Set<Character> = ["-", "‐", "‑", "–", "—", "―", "−", "ー", "－", "ｰ"]
        if text.contains(where: { hyphens.contains($0) }) { return .hyphen }
        if text.unicodeScalars.contains(where: { (0xFF10...0xFF19).contains($0.value) }) { return .fullWidthDigits }
        guard text.unicodeScalars.allSatisfy({ (0x30...0x39).contains($0.value) }) else { return .notDigits }
        guard (10...11).contains(text.count) else { return .phoneLength }
        guard text.hasPrefix("0") else { return .phoneMustStartWithZero }
        return nil
    }

    private static func scalarProblem(_ scalar: Unicode.Scalar, shown: String) -> Problem? {
        guard !isControl(scalar), let bytes = String(scalar).data(using: .shiftJIS) else { return .notInCharacterSet(shown) }
        switch bytes.count {
        case 2: return nil
        case 1 where (0xA1...0xDF).contains(bytes[bytes.startIndex]): return .halfWidthKatakana(shown)
        case 1: return .asciiCharacter(shown)
        default: return .notInCharacterSet(shown)
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
    }
}
