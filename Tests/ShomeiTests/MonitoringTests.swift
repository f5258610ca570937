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

        // One OCSP request three times: signed (POST), from the responder's cache (the same bytes
        // by GET), then from the listener's own cache (the same GET again).
        let issuing = op.folder.file("data/ca/issuing.pem").path
        _ = try run(["openssl", "ocsp", "-issuer", issuing, "-cert", op.folder.file("leaf.pem").path, "-no_nonce",
                     "-reqout", op.folder.file("ocsp.req").path, "-url", "\(base)/ocsp", "-noverify"])
        let encoded = try Data(contentsOf: op.folder.file("ocsp.req")).base64EncodedString()
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        for _ in 0..<2 { #expect(try run(["curl", "-sf", "-o", "/dev/null", "\(base)/ocsp/\(encoded)"]).status == 0) }
        // The HTTPS listener's classes: a portal page, a console page and an unknown path.
        let https = "https://127.0.0.1:\(server.httpsPort)"
        for (path, status) in [("/login", "200"), ("/bank/login", "200"), ("/no-such-page", "404")] {
            #expect(try run(["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", https + path]).stdout == status, "\(path)")
        }

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
        for source in ["signed", "responder", "front"] {
            #expect(samples[#"shomei_ocsp_responses_total{status="good",source="\#(source)"}"#] == 1, "\(source)")
        }
        #expect(samples[#"shomei_ocsp_responses_total{status="revoked",source="signed"}"#] == 0)
        #expect(samples[#"shomei_http_requests_total{class="ocsp",status="200"}"#] == 3)
        #expect(samples[#"shomei_http_request_duration_seconds_count{class="ocsp"}"#] == 3)
        #expect(samples[#"shomei_http_requests_total{class="metrics",status="405"}"#] == 1)
        #expect(samples[#"shomei_http_requests_total{class="portal",status="200"}"#] == 1)
        #expect(samples[#"shomei_http_requests_total{class="other",status="404"}"#] == 1)
        #expect(samples[#"shomei_http_requests_total{class="console",status="200"}"#] == 1)
        #expect((samples[#"shomei_http_requests_total{class="health",status="200"}"#] ?? 0) >= 3)
        #expect(samples[#"shomei_database_connections_max{pool="write"}"#] == 1)
        #expect(samples[#"shomei_database_connections_max{pool="read"}"#] == 4)
        // The scrape itself holds a reading connection while it reads the outbox; none is waited for.
        #expect(samples[#"shomei_database_connection_waiters{pool="write"}"#] == 0)

        try Self.expectPromtoolAccepts(scraped.stdout, in: op.folder)
    }

    /// `promtool check metrics` (lint included: help lines, counter names) accepts the exposition.
    static func expectPromtoolAccepts(_ exposition: String, in folder: TemporaryFolder) throws {
        guard (try? run(["promtool", "--version"]))?.status == 0 else {
            print("NOTE: promtool check SKIPPED: promtool not found (bash .ci/run installs Debian's prometheus).")
            return
        }
        try exposition.write(to: folder.file("metrics.txt"), atomically: true, encoding: .utf8)
        let checked = try run(["sh", "-c", "promtool check metrics < \(folder.file("metrics.txt").path)"])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
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
