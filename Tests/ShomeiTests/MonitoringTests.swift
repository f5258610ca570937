import Foundation
import ShomeiDomain
@testable import ShomeiWeb
import Prometheus
import Testing

/// `/health/live`, `/health/ready` and `/metrics` on the plain-HTTP listener of a real
/// `shomei serve`, the exposition checked by Prometheus's own `promtool`.
@Suite struct MonitoringTests {
    @Test func serveReportsHealthAndMetricsThatPromtoolAccepts() async throws {
        let op = CLITests.Operator()
        #expect(try op.shomei("init").status == 0)
        // One mail waits in the outbox (no relay runs here): the issuance notice.
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test")
        try op.shomei("user", "add", "--contract", "C1", "--user", "U1", "--name", "x", "--role", "master", "--email", "a@example.jp")
        _ = try OpenSSL.csr(OpenSSL.p256, in: op.folder)
        try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", op.folder.file("req.csr").path,
                      "--out", op.folder.file("leaf.pem").path)
        let startedAt = Date().timeIntervalSince1970.rounded(.down)
        let server = try await CLITests.ServeProcess(op)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"

        #expect(try run(["curl", "-sf", "\(base)/health/live"]).stdout == "ok\n")
        let ready = try run(["curl", "-s", "-w", "%{http_code}", "\(base)/health/ready"])
        #expect(ready.stdout == "ready\n200", "\(ready.stdout)")
        #expect(try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "\(base)/metrics"]).stdout == "405")

        // Give the jobs a tick (CRL every 2 s, OCSP every 0.5 s).
        try await Task.sleep(for: .seconds(2.5))
        let scraped = try run(["curl", "-sf", "-D", op.folder.file("headers").path, "\(base)/metrics"])
        #expect(scraped.status == 0)
        let headers = try String(contentsOf: op.folder.file("headers"), encoding: .utf8).lowercased()
        #expect(headers.contains("content-type: text/plain; version=0.0.4"))
        let samples = Self.samples(scraped.stdout)
        #expect(samples["shomei_outbox_messages{status=\"pending\"}"] == 1, "\(scraped.stdout)")
        #expect(samples["shomei_outbox_messages{status=\"sent\"}"] == 0)
        #expect((samples["shomei_outbox_oldest_pending_age_seconds"] ?? -1) > 0)
        #expect(samples["shomei_crl_number"].map { $0 >= 1 } == true)
        #expect(samples["shomei_crl_entries"] == 0)
        // Every job ticked once at start; the fast ones since.
        let now = Date().timeIntervalSince1970
        for job in ["crl-refresh", "ocsp-refresh", "outbox-delivery", "expiry-notices", "session-purge"] {
            let last = try #require(samples["shomei_job_last_success_timestamp_seconds{job=\"\(job)\"}"], "\(job)")
            #expect(last >= startedAt && last <= now, "\(job) last succeeded at \(last), server started at \(startedAt)")
        }
        // The relay is away: each delivery tick fails to connect, which is a deferral, not a job failure.
        #expect(samples["shomei_job_failures_total{job=\"outbox-delivery\"}"] == 0)

        if (try? run(["promtool", "--version"]))?.status == 0 {
            try scraped.stdout.write(to: op.folder.file("metrics.txt"), atomically: true, encoding: .utf8)
            let checked = try run(["sh", "-c", "promtool check metrics < \(op.folder.file("metrics.txt").path)"])
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        } else {
            print("NOTE: promtool check SKIPPED: promtool not found (bash .ci/run installs Debian's prometheus).")
        }
    }

    /// A job is stalled after three of its intervals, and at least a minute, without a success.
    @Test func aJobIsStalledAfterThreeIntervalsAndAtLeastAMinuteWithoutSuccess() {
        let records = JobRecords(registry: PrometheusCollectorRegistry())
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        records.started("fast", interval: .seconds(2), at: start)
        records.started("slow", interval: .seconds(300), at: start)
        #expect(records.stalled(at: start.addingTimeInterval(59)).isEmpty)
        #expect(records.stalled(at: start.addingTimeInterval(61)) == ["fast"])
        records.failed("fast", after: .seconds(1))
        #expect(records.stalled(at: start.addingTimeInterval(61)) == ["fast"])
        records.succeeded("fast", at: start.addingTimeInterval(61), after: .milliseconds(5))
        #expect(records.stalled(at: start.addingTimeInterval(62)).isEmpty)
        #expect(records.stalled(at: start.addingTimeInterval(901)) == ["fast", "slow"])
    }

    /// `name{labels} value` lines of the text format; comments skipped.
    static func samples(_ exposition: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }
}
