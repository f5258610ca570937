import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import Logging
import ShomeiAPI
import ShomeiDomain
import ShomeiRA

/// What every bank API request passes before its handler, in one place: the answer's language
/// (`Accept-Language`), the bearer token (`APIClientRegistry`), the body read in under a limit,
/// `Idempotency-Key` on POST, and every refusal turned into problem+json (`ProblemDetails`).
struct APIGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let clients: APIClientRegistry
    let idempotency: IdempotencyKeeper

    /// The bulk call's 10,000 rows of JSON with room to spare; larger bodies are 413.
    static var maximumBodyBytes: Int { 8 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let language = Language(acceptLanguage: request.headers[.acceptLanguage])
        do {
            let client = try await clients.authenticate(token: Self.bearerToken(request.headers[.authorization]))
            var request = request
            let body = try await Self.collect(&request)
            try Self.refuseNulls(in: body, request.headers[.contentType])
            return try await APICall.$current.withValue(APICall(client: client, language: language)) {
                guard request.method == .post, let key = request.headers[Self.idempotencyKey] else {
                    return try await answer(request, context, next, language)
                }
                return try await idempotent(key, client, body, request, context, next, language)
            }
        } catch {
            return problem(error, request, context, language)
        }
    }

    static var idempotencyKey: HTTPField.Name { HTTPField.Name("Idempotency-Key")! }

    /// The handler's answer, or its refusal as problem+json.
    private func answer(
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response, _ language: Language
    ) async throws -> Response {
        do { return try await next(request, context) } catch { return problem(error, request, context, language) }
    }

    /// The first answer again for a retried request; for a new one, the answer kept for the next
    /// retry (a 5xx is not kept: its claim is given back, so the retry acts).
    private func idempotent(
        _ key: String, _ client: APIClient, _ body: ByteBuffer, _ request: Request, _ context: Context,
        _ next: (Request, Context) async throws -> Response, _ language: Language
    ) async throws -> Response {
        switch try await idempotency.begin(
            client: client, key: key, method: request.method.rawValue, path: request.uri.description, body: Array(buffer: body))
        {
        case .replay(let status, let kept):
            return Self.replay(status: status, body: kept, language: language)
        case .proceed:
            let response = try await answer(request, context, next, language)
            guard response.status.code < 500 else {
                try await idempotency.release(client: client, key: key)
                return response
            }
            var collected = response
            let bytes = try await Self.collect(response.body)
            collected.body = .init(byteBuffer: bytes)
            try await idempotency.keep(client: client, key: key, status: response.status.code, body: String(buffer: bytes))
            return collected
        }
    }

    private static func replay(status: Int, body: String, language: Language) -> Response {
        let type = status >= 400 ? ProblemDetails.contentType : "application/json"
        var headers: HTTPFields = [:]
        if !body.isEmpty { headers[.contentType] = type }
        headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private func problem(_ error: any Error, _ request: Request, _ context: Context, _ language: Language) -> Response {
        guard let refusal = ProblemDetails.refusal(for: error) else {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            return ProblemDetails(.internalError, language).response(language)
        }
        return ProblemDetails(refusal, language).response(language)
    }

    /// `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 9110 §11.1).
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// No field of the document takes `null`, but the generated decoder reads one as a field left
    /// out; a JSON body holding `null` anywhere is refused, naming where.
    static func refuseNulls(in body: ByteBuffer, _ contentType: String?) throws {
        guard contentType?.lowercased().hasPrefix("application/json") == true, body.readableBytes > 0,
            body.readableBytesView.firstRange(of: Array("null".utf8)) != nil,
            let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
        else { return }
        if let pointer = nullPointer(in: json, at: "") { throw ShomeiError.requestBodyInvalid("\(pointer.isEmpty ? "/" : pointer): null") }
    }

    private static func nullPointer(in value: Any, at pointer: String) -> String? {
        switch value {
        case is NSNull: return pointer
        case let array as [Any]: return array.enumerated().lazy.compactMap { nullPointer(in: $1, at: "\(pointer)/\($0)") }.first
        case let object as [String: Any]: return object.sorted { $0.key < $1.key }.lazy.compactMap { nullPointer(in: $1, at: "\(pointer)/\($0)") }.first
        default: return nil
        }
    }

    /// Reads the whole body in (refusing one over the limit) and puts it back on the request.
    private static func collect(_ request: inout Request) async throws -> ByteBuffer {
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: maximumBodyBytes) } catch {
            throw ShomeiError.requestTooLarge(maximumBytes: maximumBodyBytes)
        }
        return body
    }

    private static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = CollectedBody()
        try await body.write(collector)
        return collector.buffer.withLock { $0 }
    }
}

/// A response body written into memory, so an idempotent answer can be kept as sent.
private final class CollectedBody: ResponseBodyWriter, Sendable {
    let buffer = Mutex(ByteBuffer())

    func write(_ buffer: ByteBuffer) async throws {
        _ = self.buffer.withLock { $0.writeImmutableBuffer(buffer) }
    }

    func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
        for buffer in buffers { try await write(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
