import Foundation
import Hummingbird
import Mustache
import ShomeiDomain

/// A page's typed view model, tied to its template in `Pages/`.
protocol PageView: Encodable, Sendable {
    static var template: String { get }
}

/// What every page's frame shows besides the page's own values.
struct Frame: Encodable, Sendable {
    /// The logged-in customer, shown in the header with the logout button.
    struct Customer: Encodable, Sendable {
        let contractId: String
        let userId: String
        let name: String
    }

    /// The logged-in staff member, shown in the console's header.
    struct StaffMember: Encodable, Sendable {
        let name: String
        let role: String
    }

    var title: String
    var user: Customer?
    var staff: StaffMember?
    /// The CSRF token the page's forms and script send back.
    var csrf: String?
    /// A refusal or problem, shown at the top of the page.
    var error: String?
    var info: String?

    init(title: String, csrf: String? = nil, error: String? = nil, info: String? = nil) {
        self.title = title
        self.csrf = csrf
        self.error = error
        self.info = info
    }
}

/// Renders the portal's and the console's HTML pages from the Mustache templates bundled in
/// `Pages/` and a typed view model per page.
///
/// Every page gets the frame: the label table `t` in the visitor's language, the bank's name
/// and contact line, the other language for the switch link, and `Frame`. Every value is escaped
/// on Unicode scalars on its way in (`TemplateValues`), so text a customer typed cannot become
/// markup on any page.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    public let bankName: String
    public let contactLine: String
    /// The values every page of one language shares, escaped once: labels, bank, language switch.
    private let shared: [Language: [String: String]]
    private let labels: [Language: [String: String]]

    public enum LoadError: Error, CustomStringConvertible {
        case bundledPagesMissing
        public var description: String { "the bundled portal page templates were not found" }
    }

    public init(bankName: String, contactLine: String) async throws {
        guard let folder = Self.folder else { throw LoadError.bundledPagesMissing }
        library = try await MustacheLibrary(directory: folder.path)
        self.bankName = bankName
        self.contactLine = contactLine
        labels = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
            (language, Label.table(language).mapValues(HTMLText.escape))
        })
        shared = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
            (language, [
                "lang": language.rawValue, "otherLang": language == .japanese ? Language.english.rawValue : Language.japanese.rawValue,
                "bank": bankName, "contact": contactLine,
            ].mapValues(HTMLText.escape))
        })
    }

    static var folder: URL? { Bundle.module.url(forResource: "Pages", withExtension: nil) }

    /// The HTML of `page` inside `frame`.
    func html(_ page: some PageView, frame: Frame, language: Language) throws -> String {
        var values = try TemplateValues.encode(page) as? [String: Any] ?? [:]
        values.merge(try TemplateValues.encode(frame) as? [String: Any] ?? [:]) { page, _ in page }
        values.merge(shared[language] ?? [:]) { page, _ in page }
        values["t"] = labels[language]
        return library.render(values, withTemplate: type(of: page).template) ?? ""
    }

    func response(_ page: some PageView, frame: Frame, language: Language, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: try html(page, frame: frame, language: language))))
    }
}
