import struct Foundation.Date
import Logging
import ServiceLifecycle

/// Work the server repeats on an interval, as a service of the server's `ServiceGroup`: the
/// hook every periodic duty plugs into.
///
/// Jobs are written to be safe when several Shomei nodes run them on one database (they claim
/// their rows, see `ExpiryNoticeJob` and `OutboxSender`), and to catch up after downtime, since
/// each tick handles everything due up to now rather than only what fell due since the last tick.
/// On graceful shutdown the wait between ticks ends, but a tick under way is finished (a mail
/// being marked sent), so the group stops once every job is between ticks, or at the server's
/// shutdown limit (`ShomeiServer.gracefulShutdownLimit`), whichever comes first.
public struct ScheduledJob: Service {
    public let name: String
    public let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let tick: @Sendable (Date) async throws -> Void

    public init(
        name: String, interval: Duration, clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "shomei.jobs"), tick: @escaping @Sendable (Date) async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.tick = tick
    }

    /// Ticks until graceful shutdown or cancellation. A failing tick (the database or mail relay
    /// briefly away) is logged and the next tick tries again; nothing is skipped for good.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await tick(clock()) } catch { logger.error("job \(name) failed: \(error)") }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
