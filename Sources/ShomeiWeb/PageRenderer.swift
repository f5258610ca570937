import Foundation
import Hummingbird
import Mustache
import ShomeiDomain

/// Renders the portal's HTML pages from the Mustache templates bundled in `Pages/`.
///
/// Every page gets the same frame values: the label table `t` in the visitor's language, the
/// bank's name and contact line, and the other language for the switch link. Mustache escapes
/// every `{{value}}`, so text a customer typed cannot become markup on any page.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    public let bankName: String
    public let contactLine: String

    public enum LoadError: Error, CustomStringConvertible {
        case bundledPagesMissing
        public var description: String { "the bundled portal page templates were not found" }
    }

    public init(bankName: String, contactLine: String) async throws {
        guard let folder = Bundle.module.url(forResource: "Pages", withExtension: nil) else { throw LoadError.bundledPagesMissing }
        library = try await MustacheLibrary(directory: folder.path)
        self.bankName = bankName
        self.contactLine = contactLine
    }

    /// The template names, for the test that renders each one.
    public var pageNames: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: Bundle.module.url(forResource: "Pages", withExtension: nil)!.path))?
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(9)) }.sorted() ?? []
    }

    /// The HTML of `page` with the frame values added to `values`.
    public func html(_ page: String, title: String, language: Language, values: [String: Any] = [:]) -> String {
        // Only the caller's values can hold absent optionals; the frame values below never do.
        var context = Self.withoutAbsentValues(values) as? [String: Any] ?? [:]
        context["t"] = ScreenText.table(language)
        context["lang"] = language.rawValue
        context["otherLang"] = language == .japanese ? Language.english.rawValue : Language.japanese.rawValue
        context["bank"] = bankName
        context["contact"] = contactLine
        context["title"] = title
        return library.render(context, withTemplate: page) ?? ""
    }

    /// Drops optionals that are nil and unwraps the others, at every depth. Mustache takes an
    /// `Optional.none` stored in an `Any` for a value and prints "nil"; absent must mean absent,
    /// so `{{#error}}` sections stay closed and hidden inputs are not written.
    static func withoutAbsentValues(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.flatMap { withoutAbsentValues($0.value) }
        }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(withoutAbsentValues) }
        if let array = value as? [Any] { return array.compactMap(withoutAbsentValues) }
        return value
    }

    public func response(
        _ page: String, title: String, language: Language, values: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html(page, title: title, language: language, values: values))))
    }
}
