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
    public static func normalize(_ input: String) throws(ShomeiError) -> String {
        let compact = input.filter { $0 != ":" && $0 != " " }.lowercased()
        guard !compact.isEmpty, compact.count <= 40, compact.allSatisfy(\.isHexDigit) else {
            throw .invalidSerial(input)
        }
        return compact
    }
}
