import Foundation
import Prometheus
import ShomeiDomain
import ShomeiRevocation

/// What the plain-HTTP listener tells a monitoring system about the server itself, so that a
/// scraper or a load balancer needs no client certificate: `/health/live` (the process
/// answers), `/health/ready` (it can do its work) and `/metrics` (Prometheus text format).
///
/// The metrics live in a registry of this server's own, passed in, not in a process-wide
/// `MetricsSystem`: two servers in one test process keep apart. The installation gives the same
/// registry to the RA (issuances, revocations, logins by outcome) and the store (connection
/// pools); the jobs and the traffic (`RequestMetrics`) are recorded here; values that are
/// stored elsewhere (the outbox, the CRL) are read when scraped.
public struct Monitoring: Sendable {
    let registry: PrometheusCollectorRegistry
    public let jobs: JobRecords
    public let requests: RequestMetrics
    private let crlPublisher: CRLPublisher
    /// The outbox tally, read from the store at each scrape and readiness check; nil for the
    /// stand-alone OCSP responder, which has no mail.
    private let outbox: (@Sendable () async throws -> OutboxTally)?
    private let gauges: Gauges

    public init(
        registry: PrometheusCollectorRegistry, crlPublisher: CRLPublisher, outbox: (@Sendable () async throws -> OutboxTally)?
    ) {
        self.registry = registry
        jobs = JobRecords(registry: registry)
        requests = RequestMetrics(registry: registry)
        self.crlPublisher = crlPublisher
        self.outbox = outbox
        gauges = Gauges(registry: registry)
    }

    /// Why the server is not ready at `now`; empty when it is. Ready means: the database answers,
    /// the CA's key has signed the current CRL, and no scheduled job is stalled (`JobRecords`).
    public func unreadiness(at now: Date) async -> [String] {
        var reasons: [String] = []
        if let outbox {
            // Not the error itself: this answers anyone on the public listener (the jobs log it).
            do { _ = try await outbox() } catch { reasons.append("the database does not answer") }
        }
        if crlPublisher.current == nil { reasons.append("no CRL has been signed yet") }
        reasons += jobs.stalled(at: now).map { "the scheduled job \($0) has not succeeded recently" }
        return reasons
    }

    /// The Prometheus text exposition, with the stored values read now.
    public func exposition(at now: Date) async -> [UInt8] {
        if let outbox, let tally = try? await outbox() {
            gauges.record(tally, at: now)
        }
        if let crl = crlPublisher.current { gauges.record(crl, at: now) }
        return registry.emitToBuffer()
    }
}

/// The gauges read at scrape time.
private struct Gauges: Sendable {
    let outboxMessages: [OutboxMessage.Status: Gauge]
    let outboxOldestPendingAge: Gauge
    let crlNumber: Gauge
    let crlAge: Gauge
    let crlNextUpdate: Gauge
    let crlEntries: Gauge
    let crlBytes: Gauge

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ name: String, _ unit: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .shomei(name, unit: unit, help: help))
        }
        outboxMessages = Dictionary(uniqueKeysWithValues: OutboxMessage.Status.allCases.map { status in
            (status, registry.makeGauge(
                descriptor: .shomei("outbox", unit: "messages", help: "Mail in the outbox, by status."),
                labels: [("status", status.rawValue)]))
        })
        outboxOldestPendingAge = gauge(
            "outbox_oldest_pending_age", "seconds", "How long the oldest unsent mail has waited (0 when none).")
        crlNumber = gauge("crl", "number", "The cRLNumber of the CRL being published.")
        crlAge = gauge("crl_age", "seconds", "Time since the published CRL's thisUpdate.")
        crlNextUpdate = gauge("crl_next_update_timestamp", "seconds", "The published CRL's nextUpdate (Unix time).")
        crlEntries = gauge("crl", "entries", "Revoked certificates listed in the published CRL.")
        crlBytes = gauge("crl_size", "bytes", "Size of the published CRL in DER.")
    }

    func record(_ tally: OutboxTally, at now: Date) {
        for (status, gauge) in outboxMessages { gauge.set(Double(tally.counts[status] ?? 0)) }
        outboxOldestPendingAge.set(tally.oldestPending.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    func record(_ crl: CRLPublisher.Published, at now: Date) {
        crlNumber.set(Double(crl.number))
        crlAge.set(max(0, now.timeIntervalSince(crl.thisUpdate)))
        crlNextUpdate.set(crl.nextUpdate.timeIntervalSince1970)
        crlEntries.set(Double(crl.entries))
        crlBytes.set(Double(crl.der.count))
    }
}

extension MetricNameDescriptor {
    /// `shomei_<name>_<unit>`, with the help line Prometheus shows.
    static func shomei(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "shomei", metricName: name, unitName: unit, helpText: help)
    }
}
