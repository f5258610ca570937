/// HTML escaping on Unicode scalars, the one escaping every value reaching a page goes through
/// (`TemplateValues`).
///
/// Escaping by Swift `Character` (grapheme cluster), as swift-mustache 2.1.1 does, misses a `<`,
/// `>` or `"` that a neighbouring scalar joins into one cluster — U+0600 (a prepended
/// concatenation mark) before `<`, U+0301 (a combining accent) after `>` or `"` — while the
/// browser's HTML tokenizer reads code points and sees the bare `<`. Walking scalars, no input
/// can leave a raw `<`, `>`, `"`, `'` or `&` in text or in a quoted attribute.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
