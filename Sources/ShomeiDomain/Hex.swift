extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte, no separators.
    public var hexEncoded: String {
        var text = ""
        for byte in self {
            text.append(Self.digits[Int(byte >> 4)])
            text.append(Self.digits[Int(byte & 0x0F)])
        }
        return text
    }

    private static var digits: [Character] { Array("0123456789abcdef") }
}

/// Serial numbers as people type them: `0A:1B…`, `0a1b…`, with or without colons and spaces.
public enum SerialText {
    /// The canonical form the store keys certificates by: lower-case hex, no separators.
    /// With colons each group is one byte, so `5:0a` is `050a` (some tools drop the leading zero).
    public static func normalize(_ input: String) throws(ShomeiError) -> String {
        let trimmed = input.filter { $0 != " " }.lowercased()
        let groups = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count == 1 || groups.allSatisfy({ (1...2).contains($0.count) }) else { throw .invalidSerial(input) }
        let compact = groups.count == 1 ? trimmed : groups.map { $0.count == 1 ? "0" + $0 : String($0) }.joined()
        guard !compact.isEmpty, compact.count <= 40, compact.allSatisfy(\.isHexDigit) else {
            throw .invalidSerial(input)
        }
        return compact
    }
}
