import ShomeiDomain

/// A `pkcs11:` URI (RFC 7512) naming a token and, optionally, an object on it:
/// `pkcs11:token=usbtoken;object=C1-U1?pin-source=file:/run/pin`. The attributes Shomei uses
/// are read; a path attribute it does not know makes the URI refused rather than half-obeyed.
///
/// `pin-value` is refused: a PIN in a URI ends up in shell histories and process lists; give it
/// in a file (`pin-source`, `--pin-file`) or type it.
public struct TokenURI: Sendable, Equatable, CustomStringConvertible {
    /// CKA_CLASS the URI's `type=` names.
    public enum ObjectType: String, Sendable {
        case `private`, `public`, cert, secretKey = "secret-key", data
    }

    /// `token=`: the token's label (CK_TOKEN_INFO.label, without its space padding).
    public var token: String?
    public var manufacturer: String?
    public var serial: String?
    public var model: String?
    /// `object=`: CKA_LABEL.
    public var object: String?
    /// `id=`: CKA_ID, raw bytes.
    public var id: [UInt8]?
    public var type: ObjectType?
    /// `pin-source=`: a file holding the PIN (`file:` URI or a plain path).
    public var pinSource: String?
    /// `module-path=`: the PKCS#11 module, when the URI names it.
    public var modulePath: String?

    public init(token: String? = nil, object: String? = nil, id: [UInt8]? = nil, type: ObjectType? = nil) {
        self.token = token
        self.object = object
        self.id = id
        self.type = type
    }

    static let pathAttributes: Set<String> = [
        "token", "manufacturer", "serial", "model", "object", "id", "type",
        "library-manufacturer", "library-description", "library-version", "slot-description", "slot-manufacturer", "slot-id",
    ]

    public init(parsing whole: String) throws(ShomeiError) {
        // Looked for first, anywhere: a refusal for any other reason must not print the PIN.
        if whole.lowercased().contains("pin-value") { throw .token(.invalidURI("pin-value")) }
        // Messages show the path only: a query may name a PIN file or module the log need not hold.
        let text = whole
        let shown = String(whole.prefix { $0 != "?" })
        guard text.lowercased().hasPrefix("pkcs11:") else { throw .token(.invalidURI(shown)) }
        let rest = text.dropFirst("pkcs11:".count)
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var seen: Set<String> = []
        for (attribute, value) in try Self.pairs(parts[0], separator: ";", whole: shown) {
            guard Self.pathAttributes.contains(attribute), seen.insert(attribute).inserted else { throw .token(.invalidURI(shown)) }
            try assign(attribute, value, whole: shown)
        }
        if parts.count == 2 {
            for (attribute, value) in try Self.pairs(parts[1], separator: "&", whole: shown) {
                guard seen.insert(attribute).inserted else { throw .token(.invalidURI(shown)) }
                switch attribute {
                case "pin-value": throw .token(.invalidURI("pin-value"))
                case "pin-source": pinSource = try Self.text(value, whole: shown)
                case "module-path": modulePath = try Self.text(value, whole: shown)
                default: continue  // RFC 7512 §2.3: query attributes a consumer does not know are ignored.
                }
            }
        }
    }

    private mutating func assign(_ attribute: String, _ value: [UInt8], whole: String) throws(ShomeiError) {
        switch attribute {
        case "token": token = try Self.text(value, whole: whole)
        case "manufacturer": manufacturer = try Self.text(value, whole: whole)
        case "serial": serial = try Self.text(value, whole: whole)
        case "model": model = try Self.text(value, whole: whole)
        case "object": object = try Self.text(value, whole: whole)
        case "id":
            guard !value.isEmpty else { throw .token(.invalidURI(whole)) }
            id = value
        case "type":
            guard let kind = ObjectType(rawValue: try Self.text(value, whole: whole)) else { throw .token(.invalidURI(whole)) }
            type = kind
        default:
            break  // library-* and slot-* narrow nothing Shomei chooses by; they are accepted as written.
        }
    }

    /// `name=value` pairs, values percent-decoded to bytes.
    private static func pairs(_ text: Substring, separator: Character, whole: String) throws(ShomeiError) -> [(String, [UInt8])] {
        guard !text.isEmpty else { return [] }
        var pairs: [(String, [UInt8])] = []
        for piece in text.split(separator: separator, omittingEmptySubsequences: false) {
            let halves = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard halves.count == 2, !halves[0].isEmpty, halves[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
                throw .token(.invalidURI(whole))
            }
            pairs.append((String(halves[0]).lowercased(), try decoded(halves[1], whole: whole)))
        }
        return pairs
    }

    private static func decoded(_ text: Substring, whole: String) throws(ShomeiError) -> [UInt8] {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2, let high = hexValue(utf8.removeFirst()), let low = hexValue(utf8.removeFirst()) else {
                throw .token(.invalidURI(whole))
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func text(_ bytes: [UInt8], whole: String) throws(ShomeiError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self), !text.isEmpty else { throw .token(.invalidURI(whole)) }
        return text
    }

    /// The URI again, every value percent-encoded except RFC 3986 unreserved characters.
    public var description: String {
        var path: [String] = []
        for (name, value) in [("token", token), ("manufacturer", manufacturer), ("serial", serial), ("model", model), ("object", object)] {
            if let value { path.append("\(name)=\(Self.encoded(Array(value.utf8)))") }
        }
        if let id { path.append("id=\(Self.encoded(id, everything: true))") }
        if let type { path.append("type=\(type.rawValue)") }
        var query: [String] = []
        if let pinSource { query.append("pin-source=\(Self.encoded(Array(pinSource.utf8)))") }
        if let modulePath { query.append("module-path=\(Self.encoded(Array(modulePath.utf8)))") }
        return "pkcs11:" + path.joined(separator: ";") + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    private static func encoded(_ bytes: [UInt8], everything: Bool = false) -> String {
        bytes.map { byte in
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            return unreserved && !everything ? String(UnicodeScalar(byte)) : "%" + [byte].hexEncoded.uppercased()
        }.joined()
    }
}
