/// The two languages every customer- and operator-facing text exists in.
///
/// Japanese is the bank's first language; English is the alternative a user can switch to.
public enum Language: String, Sendable, CaseIterable, Codable {
    case japanese = "ja"
    case english = "en"

    /// Chooses the language from a POSIX locale string such as `ja_JP.UTF-8` or `C.UTF-8`.
    public init(locale: String?) {
        self = (locale ?? "").lowercased().hasPrefix("ja") ? .japanese : .english
    }

    func pick(ja: String, en: String) -> String {
        self == .japanese ? ja : en
    }
}

extension Language {
    /// The language an HTTP `Accept-Language` header (RFC 9110 §12.5.4) prefers among the two,
    /// by quality value; Japanese when it names neither.
    public init(acceptLanguage header: String?) {
        var best: (language: Language, quality: Double)?
        for item in (header ?? "").split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" } }
            let primary = parts.first?.split(separator: "-").first?.lowercased() ?? ""
            guard let language = Language(rawValue: primary) else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0, quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        self = best?.language ?? .japanese
    }
}
