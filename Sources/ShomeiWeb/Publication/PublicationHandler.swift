import Foundation
import NIOCore
import NIOHTTP1

/// One connection of the publication listener, after NIO's HTTP/1 request decoder: collects a
/// request (its body capped), asks the endpoints, and writes the answer's bytes itself.
///
/// Answers leave in the order the requests came (HTTP/1.1 pipelining): each is queued, and one
/// that needs the store holds back those behind it until it is written. A client that sends
/// without reading is not buffered for: reading stops while the socket cannot take more output
/// or `maximumQueued` answers wait, and the kernel's flow control holds the client back.
final class PublicationHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private struct Queued {
        let includeBody: Bool
        let connection: ConnectionDisposition
        let answer: PublicationEndpoints.Answer
    }

    static let maximumQueued = 32

    private let endpoints: PublicationEndpoints
    private var reading = true
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false
    private var queue = CircularBuffer<Queued>()
    private var waitingForAnswer = false
    private var closing = false
    /// The Date header of the current second: most responses on a connection share it.
    private var date: (second: Int, text: String) = (0, "")

    init(endpoints: PublicationEndpoints) {
        self.endpoints = endpoints
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            (self.head, body, bodyTooLarge) = (head, nil, false)
        case .body(var chunk):
            collect(&chunk)
        case .end:
            guard let head else { return }
            let answer: PublicationEndpoints.Answer = bodyTooLarge
                ? .now(.plain(.payloadTooLarge, "Request bodies are limited to \(PublicationEndpoints.maximumBodySize) bytes"))
                : endpoints.answer(head, body: body)
            (self.head, body) = (nil, nil)
            enqueue(Queued(includeBody: head.method != .HEAD, connection: ConnectionDisposition(head), answer: answer), context: context)
        }
    }

    /// A request NIO's decoder cannot parse gets a 400, after the answers before it, and the end.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else { return context.close(promise: nil) }
        enqueue(Queued(includeBody: true, connection: .close, answer: .now(.plain(.badRequest, "Malformed HTTP request"))), context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReading(context: context)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
        context.close(promise: nil)
    }

    private func collect(_ chunk: inout ByteBuffer) {
        guard !bodyTooLarge else { return }
        guard (body?.readableBytes ?? 0) + chunk.readableBytes <= PublicationEndpoints.maximumBodySize else {
            (bodyTooLarge, body) = (true, nil)
            return
        }
        if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
    }

    private func enqueue(_ request: Queued, context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = request.connection == .close
        queue.append(request)
        answerQueued(context: context)
        updateReading(context: context)
    }

    private func updateReading(context: ChannelHandlerContext) {
        let wanted = context.channel.isWritable && queue.count < Self.maximumQueued
        guard wanted != reading else { return }
        reading = wanted
        try? context.channel.syncOptions?.setOption(.autoRead, value: wanted)
        if wanted { context.read() }
    }

    private func answerQueued(context: ChannelHandlerContext) {
        while !waitingForAnswer, let next = queue.popFirst() {
            switch next.answer {
            case .now(let response):
                write(response, for: next, context: context)
            case .later(let work):
                waitingForAnswer = true
                let promise = context.eventLoop.makePromise(of: PublicationResponse.self)
                promise.completeWithTask(work)
                promise.futureResult.assumeIsolated().whenSuccess { response in
                    self.waitingForAnswer = false
                    self.write(response, for: next, context: context)
                    self.answerQueued(context: context)
                    self.updateReading(context: context)
                }
            }
        }
    }

    private func write(_ response: PublicationResponse, for request: Queued, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256 + response.body.readableBytes)
        response.write(to: &buffer, date: currentDate(), connection: request.connection, includeBody: request.includeBody)
        let written = context.writeAndFlush(wrapOutboundOut(buffer))
        if request.connection == .close { written.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    private func currentDate() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970)
        if second != date.second { date = (second, HTTPDate.format(now)) }
        return date.text
    }
}
