import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShomeiDomain
import ShomeiRA

/// Cookies, bodies, forms and the CSRF comparison shared by the browser-facing routes.
///
/// Cookies use the `__Host-` prefix (Secure, Path=/, no Domain: a sibling host cannot plant
/// them), HttpOnly, and SameSite=Strict, so another site's page cannot make the browser send
/// them at all; the CSRF token (`CSRFMiddleware`) is the second, independent guard.
enum BrowserSupport {
    static let sessionCookie = "__Host-shomei-session"
    /// Double-submit token for the forms shown before login (login, issue, obtain, console login).
    static let preLoginCookie = "__Host-shomei-pre"
    static let languageCookie = "__Host-shomei-lang"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let maximumFormSize = 16 * 1024

    static func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    /// The pre-login CSRF token: the one the browser already holds, or a new one to set.
    static func preLoginToken(_ request: Request) -> (token: String, isNew: Bool) {
        if let value = request.cookies[preLoginCookie]?.value, value.count == 43 { return (value, false) }
        return (GeneratedSecret.token(), true)
    }

    /// A page that carries the pre-login token, setting the cookie when it is new.
    static func withPreLoginCookie(_ response: Response, _ token: (token: String, isNew: Bool)) -> Response {
        var response = response
        if token.isNew { response.setCookie(cookie(preLoginCookie, token.token)) }
        return response
    }

    /// True when the request's token (form field or header) equals `expected`, compared in constant time.
    static func csrfMatches(_ sent: String?, expected: String?) -> Bool {
        guard let sent, let expected, !expected.isEmpty else { return false }
        return ConstantTime.equal(sent, expected)
    }

    /// The whole body, kept in the request for whoever reads it next; over `limit`, refused with
    /// `requestTooLarge` (413 and a message) rather than the framework's empty 413.
    static func collect(_ request: inout Request, upTo limit: Int) async throws -> ByteBuffer {
        do { return try await request.collectBody(upTo: limit) } catch is NIOTooManyBytesError {
            throw ShomeiError.requestTooLarge(maximumBytes: limit)
        }
    }

    /// A typed form; a body that is not valid form encoding is `formNotDecodable` (400).
    static func form<Form: Decodable>(_ request: Request, as type: Form.Type) async throws -> Form {
        var request = request
        let body = try await collect(&request, upTo: maximumFormSize)
        _ = try FormFields.parse(body)
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        } catch {
            throw ShomeiError.formNotDecodable
        }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func jsonError(_ error: ShomeiError, _ language: Language) -> Response {
        json(["error": error.message(language)], status: error.httpStatus)
    }
}

/// An HTML form's fields as `name → value` (application/x-www-form-urlencoded).
package enum FormFields {
    static func read(_ request: Request) async throws -> [String: String] {
        var request = request
        return try parse(try await BrowserSupport.collect(&request, upTo: BrowserSupport.maximumFormSize))
    }

    /// The fields, or `formNotDecodable` for a body that is not UTF-8 or has a `%` escape that
    /// is malformed (`%ZZ`) or does not decode to UTF-8 (`%FF%FE`, the overlong `%C0%BC`): such
    /// a value is refused, never taken as empty.
    package static func parse(_ body: ByteBuffer) throws(ShomeiError) -> [String: String] {
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else { throw .formNotDecodable }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = try parts.first.map(decode), !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? try decode(parts[1]) : ""
        }
        return fields
    }

    private static func decode(_ text: Substring) throws(ShomeiError) -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { throw .formNotDecodable }
        return decoded
    }
}

/// Picks the page language: `?lang=ja|en` switches (and is remembered in a cookie), otherwise
/// the cookie, otherwise Japanese.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = SecureRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let asked = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }
        context.language = asked ?? request.cookies[BrowserSupport.languageCookie].flatMap { Language(rawValue: $0.value) } ?? .japanese
        var response = try await next(request, context)
        if let asked { response.setCookie(BrowserSupport.cookie(BrowserSupport.languageCookie, asked.rawValue, maxAge: 365 * 86400)) }
        return response
    }
}
