import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// `shomei serve`'s plain-HTTP listener for relying parties (CA certificates, CRL, OCSP), and
/// all of `shomei ocsp serve`.
///
/// It is swift-nio's HTTP/1 request decoder and one handler rather than a Hummingbird application:
/// an OCSP responder is asked the same few questions at a high rate, and issue #6 asks for ten
/// times openssl's responder, more than the framework's smallest route reaches on this machine
/// (docs/BENCHMARKS.md). Its five fixed endpoints need no router, middleware or sessions; the
/// customer-facing HTTPS side stays on Hummingbird.
public struct PublicationListener: Service {
    let host: String
    let port: Int
    let endpoints: PublicationEndpoints
    let logger: Logger

    /// A connection that sends nothing for this long is closed (clients that open and wait).
    static let idleTimeout = TimeAmount.seconds(30)

    init(host: String, port: Int, endpoints: PublicationEndpoints, logger: Logger) {
        self.host = host
        self.port = port
        self.endpoints = endpoints
        self.logger = logger
    }

    public func run() async throws {
        let endpoints = endpoints
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try pipeline.addHandler(IdleStateHandler(readTimeout: Self.idleTimeout))
                    try pipeline.addHandler(PublicationHandler(endpoints: endpoints))
                }
            }
            .bind(host: host, port: port).get()
        logger.info("publication listener on http://\(host):\(port)")
        // Closed on graceful shutdown, and on cancellation too: when another listener fails to
        // start, the group cancels this one, and a wait that ignored it ended the process with
        // ServiceLifecycle's "Cancellation took longer than allowed" after 5 s.
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await server.closeFuture.get()
            } onCancel: {
                server.close(promise: nil)
            }
        } onGracefulShutdown: {
            server.close(promise: nil)
        }
    }
}
