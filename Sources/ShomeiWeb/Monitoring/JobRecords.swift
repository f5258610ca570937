import Foundation
import Prometheus
import ShomeiDomain
import Synchronization

/// Each scheduled job's last success, how long its last tick took, and how often it failed: what
/// `/health/ready` and `/metrics` report about the jobs.
///
/// A job is stalled when it has not succeeded for three of its intervals, and at least a minute,
/// since it started or last succeeded: a failing tick or two (the database restarting, the relay
/// away) is normal and retried; a job that keeps failing, or a tick that never ends, is not.
public final class JobRecords: Sendable {
    struct Record {
        let interval: Duration
        let since: Date
        var lastSuccess: Date?
        let lastSuccessGauge: Gauge
        let durationGauge: Gauge
        let failures: Counter
    }

    private let registry: PrometheusCollectorRegistry
    private let records = Mutex<[String: Record]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func started(_ job: String, interval: Duration, at now: Date) {
        let labels = [("job", job)]
        let record = Record(
            interval: interval, since: now,
            lastSuccessGauge: registry.makeGauge(
                descriptor: .shomei("job_last_success_timestamp", unit: "seconds",
                                    help: "When the scheduled job last finished a tick without error (Unix time)."),
                labels: labels),
            durationGauge: registry.makeGauge(
                descriptor: .shomei("job_last_duration", unit: "seconds", help: "How long the scheduled job's last tick took."),
                labels: labels),
            failures: registry.makeCounter(
                descriptor: .shomei("job_failures", unit: "total", help: "Ticks of the scheduled job that ended in an error."),
                labels: labels))
        records.withLock { $0[job] = record }
    }

    func succeeded(_ job: String, at now: Date, after duration: Duration) {
        records.withLock { records in
            records[job]?.lastSuccess = now
            records[job]?.lastSuccessGauge.set(now.timeIntervalSince1970)
            records[job]?.durationGauge.set(duration.inSeconds)
        }
    }

    func failed(_ job: String, after duration: Duration) {
        records.withLock { records in
            records[job]?.failures.increment()
            records[job]?.durationGauge.set(duration.inSeconds)
        }
    }

    /// The jobs that are stalled at `now` (see the type's comment), by name.
    public func stalled(at now: Date) -> [String] {
        records.withLock { records in
            records.filter { _, record in
                let allowed = max(3 * record.interval.inSeconds, 60)
                return now.timeIntervalSince(record.lastSuccess ?? record.since) > allowed
            }.keys.sorted()
        }
    }
}
