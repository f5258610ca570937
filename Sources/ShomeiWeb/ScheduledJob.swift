import struct Foundation.Date
import Logging

/// Work the server repeats on an interval: the hook every periodic duty plugs into.
///
/// Jobs are written to be safe when several Shomei nodes run them on one database (they claim
/// their rows, see `ExpiryNoticeJob` and `OutboxSender`), and to catch up after downtime, since
/// each tick handles everything due up to now rather than only what fell due since the last tick.
public struct ScheduledJob: Sendable {
    public let name: String
    public let interval: Duration
    let tick: @Sendable (Date) async throws -> Void

    public init(name: String, interval: Duration, tick: @escaping @Sendable (Date) async throws -> Void) {
        self.name = name
        self.interval = interval
        self.tick = tick
    }

    /// Ticks until the task is cancelled. A failing tick (the database or mail relay briefly
    /// away) is logged and the next tick tries again; nothing is skipped for good.
    func run(logger: Logger) async {
        while !Task.isCancelled {
            do { try await tick(Date()) } catch { logger.error("job \(name) failed: \(error)") }
            try? await Task.sleep(for: interval)
        }
    }
}
