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
