/// What text a person may type into each class of field, in one place (docs/APPLICATIONS.md):
///
/// - **Names** (利用者名, staff and contract names, the names on 05's rows) and **free text**
///   (comments, reasons): printable text only. Refused, with the character named: control
///   characters (free text keeps line breaks and tabs), format characters — the bidi overrides
///   and isolates (U+202A–U+202E, U+2066–U+2069) that can make a comment read backwards in the
///   console, zero-width joiners and marks —, private-use characters (which show as nothing, or
///   as the sender's own glyph), unassigned code points and noncharacters, and line or paragraph
///   separators in a name.
/// - **全角** fields: the same, then the CP932 rule of `JapaneseText`; a value of nothing but
///   spaces (full-width ones included) is empty, not an answer.
/// - **Phone numbers**: ASCII digits only (`JapaneseText.phoneProblem`).
public enum TextRules {
    /// The first character a name or a free-text answer may not contain, if any.
    public static func forbiddenCharacter(in text: String, allowingLineBreaks: Bool) -> String? {
        for character in text {
            for scalar in character.unicodeScalars where isForbidden(scalar, allowingLineBreaks: allowingLineBreaks) {
                return visible(scalar)
            }
        }
        return nil
    }

    /// Whether the text shows anything once spaces of every width are taken away.
    public static func hasVisibleContent(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    private static func isForbidden(_ scalar: Unicode.Scalar, allowingLineBreaks: Bool) -> Bool {
        if allowingLineBreaks, scalar == "\n" || scalar == "\r" || scalar == "\t" { return false }
        if scalar.properties.isNoncharacterCodePoint { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .unassigned, .surrogate, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// How a refused character is named in the message: as `U+XXXX`, since it may not show.
    private static func visible(_ scalar: Unicode.Scalar) -> String {
        "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
