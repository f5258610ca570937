import NIOCore
import NIOHTTP1

/// One answer of the plain-HTTP publication listener, and its HTTP/1.1 wire form.
struct PublicationResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: [(name: String, value: String)]
    var body: ByteBuffer

    init(status: HTTPResponseStatus, headers: [(name: String, value: String)], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    init(_ document: PublishedDocument) {
        self.init(status: .ok, headers: [("Content-Type", document.contentType)], body: ByteBuffer(bytes: document.body))
    }

    /// Errors for relying-party software, not people: short English text.
    static func plain(_ status: HTTPResponseStatus, _ text: String) -> Self {
        Self(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: ByteBuffer(string: text + "\n"))
    }

    /// Status line, these headers plus Date, Content-Length and Connection, and the body unless
    /// the request was HEAD. Every header value here is written by Shomei (types, dates,
    /// numbers, an ETag), never copied from a request, so none can carry a line break.
    func write(to buffer: inout ByteBuffer, date: String, connection: ConnectionDisposition, includeBody: Bool) {
        // Piece by piece rather than interpolated: no temporary strings on the hot path.
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for (name, value) in headers { Self.writeHeader(name, value, to: &buffer) }
        Self.writeHeader("Date", date, to: &buffer)
        if status != .notModified {  // a 304 has no body and no length of its own
            Self.writeHeader("Content-Length", String(body.readableBytes), to: &buffer)
        }
        buffer.writeStaticString(connection.headerAndBlankLine)
        if includeBody { buffer.writeImmutableBuffer(body) }
    }

    private static func writeHeader(_ name: String, _ value: String, to buffer: inout ByteBuffer) {
        buffer.writeString(name)
        buffer.writeStaticString(": ")
        buffer.writeString(value)
        buffer.writeStaticString("\r\n")
    }
}

/// What becomes of the connection after a response, and how the response says so.
enum ConnectionDisposition {
    /// HTTP/1.1's default: nothing to say.
    case persistent
    /// An HTTP/1.0 client that sent `Connection: keep-alive` must hear it back, or it closes.
    case persistentHTTP10
    case close

    init(_ request: HTTPRequestHead) {
        if !request.isKeepAlive {
            self = .close
        } else {
            self = request.version == .http1_0 ? .persistentHTTP10 : .persistent
        }
    }

    var headerAndBlankLine: StaticString {
        switch self {
        case .persistent: "\r\n"
        case .persistentHTTP10: "Connection: keep-alive\r\n\r\n"
        case .close: "Connection: close\r\n\r\n"
        }
    }
}
