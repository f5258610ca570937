import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import ShomeiDomain

/// A refusal as the bank API answers it: RFC 9457 `application/problem+json`, worded in the
/// caller's language, with the refusal's stable name in `code` for the bank's programs.
struct ProblemDetails: Codable, Sendable, Equatable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String

    init(_ refusal: ShomeiError, _ language: Language) {
        let status = refusal.httpStatus
        type = "urn:shomei:problem:\(refusal.name)"
        title = Message.problemTitle(status: status.code).text(language)
        self.status = status.code
        detail = refusal.message(language)
        code = refusal.name
    }

    static let contentType = "application/problem+json"

    func response(_ language: Language) -> Response {
        var headers: HTTPFields = [.contentType: Self.contentType, .contentLanguage: language.rawValue]
        if status == HTTPResponse.Status.unauthorized.code { headers[.wwwAuthenticate] = "Bearer realm=\"shomei\"" }
        if status == HTTPResponse.Status.serviceUnavailable.code { headers[.retryAfter] = "30" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data()
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The refusal behind whatever an API handler or the generated layer threw: a `ShomeiError`
    /// as it is; a body the generated decoder could not read, with the JSON pointer of the place;
    /// another request the generated layer refused (a wrong content type, a missing parameter),
    /// with its own status; anything else an internal error (logged by the caller).
    static func refusal(for error: any Error) -> ShomeiError? {
        switch error {
        case let refusal as ShomeiError: return refusal
        case let server as ServerError:
            if let refusal = server.underlyingError as? ShomeiError { return refusal }
            if let decoding = server.underlyingError as? DecodingError { return .requestBodyInvalid(pointer(decoding)) }
            switch server.httpStatus {
            case .unsupportedMediaType: return .requestContentTypeWrong(expected: "application/json")
            case .badRequest, .notAcceptable: return .requestBodyInvalid(String(describing: server.underlyingError))
            default: return nil
            }
        default: return nil
        }
    }

    /// `/3/email` from the decoder's coding path (RFC 6901), with what was wrong.
    static func pointer(_ error: DecodingError) -> String {
        let (path, what): ([any CodingKey], String) = switch error {
        case .keyNotFound(let key, let context): (context.codingPath + [key], "missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context): (context.codingPath, "wrong type")
        case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
        @unknown default: ([], "unreadable")
        }
        let pointer = path.map { key in
            "/" + (key.intValue.map(String.init) ?? key.stringValue.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))
        }.joined()
        return "\(pointer.isEmpty ? "/" : pointer): \(what)"
    }
}
