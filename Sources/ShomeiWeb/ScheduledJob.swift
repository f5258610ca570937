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
/// being marked sent), so the group stops once every job is between ticks; a tick still running
/// at the server's shutdown limit is cancelled, and one that ignores cancellation ends the process
/// 5 s later (`ShomeiServer.gracefulShutdownLimit`).
public struct ScheduledJob: Service {
    public let name: String
    public let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let tick: @Sendable (Date) async throws -> Void
    /// Where each tick's outcome is recorded for readiness and metrics (set by `ShomeiServer`).
    var records: JobRecords?

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
        records?.started(name, interval: interval, at: clock())
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await tick(clock())
                records?.succeeded(name, at: clock(), after: ContinuousClock.now - started)
            } catch is CancellationError where Task.isCancelled {
                // The server is stopping (a listener failed, or the shutdown limit passed): not a failure of the job.
                break
            } catch {
                records?.failed(name, after: ContinuousClock.now - started)
                logger.error("job \(name) failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// The same job, recording its ticks in `records`.
    func recording(to records: JobRecords) -> ScheduledJob {
        var job = self
        job.records = records
        return job
    }
}
