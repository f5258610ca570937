import Prometheus
import ShomeiRevocation
import Synchronization

/// HTTP requests on both listeners by route class and status, with a latency histogram per
/// class, and OCSP answers by what they say and where they came from: what `/metrics` reports
/// about the traffic. Classes, not paths, keep the label set small and free of anything a
/// client chose. The HTTPS listener times a request from its head to its response; the
/// plain-HTTP one from its end (its bodies are a few hundred bytes) to its answer, and does
/// not count the requests its connection handler refuses before reading them (a body over the
/// limit, bytes that are not HTTP).
public final class RequestMetrics: Sendable {
    /// Which part of Shomei a request was for, told from its path alone (as bytes: a
    /// Character comparison walks graphemes, which a cached OCSP answer cannot afford). A path
    /// no route of the class serves is `other`.
    public enum RouteClass: String, Sendable, CaseIterable {
        case portal, console, est, api, assets, ca, crl, ocsp, health, metrics, other

        init(path: String) {
            func starts(_ prefix: String) -> Bool { path.utf8.starts(with: prefix.utf8) }
            func `is`(_ exact: String) -> Bool { path.utf8.elementsEqual(exact.utf8) }
            self = if starts("/ocsp/") || `is`("/ocsp") {
                .ocsp
            } else if starts("/crl/") {
                .crl
            } else if starts("/ca/") {
                .ca
            } else if starts("/health/") || `is`("/health") {
                .health
            } else if `is`("/metrics") {
                .metrics
            } else if starts("/.well-known/est/") {
                .est
            } else if starts("/api/") {
                .api
            } else if starts("/bank/") || `is`("/bank") {
                .console
            } else if starts("/portal/") || starts("/certificate/") || `is`("/login") || `is`("/logout") || `is`("/") {
                .portal
            } else if starts("/assets/") {
                .assets
            } else {
                .other
            }
        }
    }

    /// Bounds of the latency histograms: from a cached OCSP answer (tens of microseconds) to a
    /// login's bcrypt under load (seconds).
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]

    private struct Answered: Hashable {
        let routeClass: RouteClass
        let status: Int
    }

    private let registry: PrometheusCollectorRegistry
    private let latencies: [RouteClass: DurationHistogram]
    /// The registry's counters by class and status, found again without the registry's name
    /// and label checks: a cached OCSP answer costs microseconds, and is counted on every request.
    private let answered = Mutex<[Answered: Counter]>([:])
    private let ocspAnswers: [OCSPAnswer.Status: [OCSPAnswer.Source: Counter]]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        latencies = Dictionary(uniqueKeysWithValues: RouteClass.allCases.map { routeClass in
            (routeClass, registry.makeDurationHistogram(
                descriptor: .shomei("http_request_duration", unit: "seconds", help: "Time from a request's head to its answer, by route class."),
                labels: [("class", routeClass.rawValue)], buckets: Self.latencyBuckets))
        })
        ocspAnswers = Dictionary(uniqueKeysWithValues: OCSPAnswer.Status.allCases.map { status in
            (status, Dictionary(uniqueKeysWithValues: OCSPAnswer.Source.allCases.map { source in
                (source, registry.makeCounter(
                    descriptor: .shomei("ocsp_responses", unit: "total", help: "OCSP answers, by what they say and where they came from."),
                    labels: [("status", status.rawValue), ("source", source.rawValue)]))
            }))
        })
    }

    /// One answered request.
    func record(_ routeClass: RouteClass, status: Int, after duration: Duration) {
        latencies[routeClass]?.record(duration)
        let key = Answered(routeClass: routeClass, status: status)
        let counter = answered.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: .shomei("http_requests", unit: "total", help: "HTTP requests answered, by route class and status."),
                labels: [("class", routeClass.rawValue), ("status", String(status))])
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// One OCSP answer given.
    func record(_ answer: OCSPAnswer.Status, from source: OCSPAnswer.Source) {
        ocspAnswers[answer]?[source]?.increment()
    }
}
