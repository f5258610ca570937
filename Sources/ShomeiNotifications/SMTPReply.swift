import NIOCore

/// One SMTP reply: a three-digit code and its text lines (RFC 5321 §4.2).
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let lines: [String]

    var text: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// Splits the byte stream into replies, joining `250-…` continuation lines up to the final `250 …`.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// A reply line longer than this is not SMTP (RFC 5321 allows 512 octets).
    static let maxLineLength = 4096
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw SMTPError.malformedReply("line too long") }
            return .needMoreData
        }
        let line = String(decoding: buffer.readBytes(length: newline - buffer.readerIndex + 1)!, as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
              bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
            throw SMTPError.malformedReply(line)
        }
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") { return .continue }
        let reply = SMTPReply(code: code, lines: lines)
        lines = []
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }
}

/// Hands each reply to the command waiting for it, in order; a reply that arrives before anyone
/// waits (the greeting) is kept until asked for. A wait longer than the timeout closes the channel.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply

    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var early = CircularBuffer<SMTPReply>()
    private var failure: (any Error)?
    private var timeout: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    let timeoutSeconds: Int64

    init(timeoutSeconds: Int64) {
        self.timeoutSeconds = timeoutSeconds
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Replies nobody asked for yet. After STARTTLS there must be none: a reply that arrived in
    /// plaintext must not be read as if it came over TLS (the CVE-2011-0411 injection).
    var hasUnrequestedReplies: Bool { !early.isEmpty }

    func expect(_ promise: EventLoopPromise<SMTPReply>) {
        if let failure { return promise.fail(failure) }
        if let reply = early.popFirst() { return promise.succeed(reply) }
        waiting.append(promise)
        armTimeout()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        timeout?.cancel()
        if let promise = waiting.popFirst() { promise.succeed(reply) } else { early.append(reply) }
        if !waiting.isEmpty { armTimeout() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }

    private func armTimeout() {
        guard let context else { return }
        timeout?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: .seconds(timeoutSeconds)) {
            loopBound.value.failAll(SMTPError.timeout)
            loopBound.value.context?.close(promise: nil)
        }
    }

    private func failAll(_ error: any Error) {
        if failure == nil { failure = error }
        timeout?.cancel()
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}
