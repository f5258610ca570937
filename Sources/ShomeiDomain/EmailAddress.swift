/// An e-mail address that notices can be delivered to.
///
/// The check is deliberately the practical subset of RFC 5321 that bank mail systems accept:
/// one `@`, a non-empty dot-atom local part, a domain of at least two labels. Anything a user
/// would be surprised to receive mail at is refused when the user is created, not when a
/// notice fails to send months later.
public struct EmailAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(ShomeiError) {
        guard Self.isValid(rawValue) else { throw .invalidEmail(rawValue) }
        self.rawValue = rawValue
    }

    static func isValid(_ value: String) -> Bool {
        guard value.utf8.count <= 254 else { return false }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return isDotAtom(parts[0], allowed: localCharacters, maxLength: 64) && isDomain(parts[1])
    }

    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-".utf8)
    private static let labelCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)

    private static func isDotAtom(_ text: Substring, allowed: Set<UInt8>, maxLength: Int) -> Bool {
        guard (1...maxLength).contains(text.utf8.count) else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.utf8.allSatisfy(allowed.contains)
        }
    }

    private static func isDomain(_ text: Substring) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            isDotAtom(label, allowed: labelCharacters, maxLength: 63) && label.first != "-" && label.last != "-"
        }
    }

    public var description: String { rawValue }
}
