import CoreMetrics
import ShomeiDomain

/// How many issuances, revocations and logins ended which way, for `/metrics`: one counter per
/// event and outcome (`success`, or the refusal's `ShomeiError.name`, or `error` for anything
/// else), made through the factory the installation passes in (its Prometheus registry), so no
/// process-wide metrics system is needed and two servers in one process keep apart.
public struct OutcomeCounters: Sendable {
    private let factory: any MetricsFactory

    /// Counts nowhere (a CLI command, most tests).
    public static let discarded = OutcomeCounters(factory: NOOPMetricsHandler.instance)

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Each counter's help line, by name, for the registry (`DescribedMetricsFactory`).
    public static let help = [
        "shomei_issuances_total": "Certificate issuances (first issuance, renewal, re-acquisition), by kind and outcome.",
        "shomei_revocations_total": "Revocations committed by any path, by RFC 5280 reason; refused revocation calls by their refusal.",
        "shomei_logins_total": "Logins at the portal and the bank's console, by outcome.",
    ]

    /// What an event is counted as: its name and the dimensions besides the outcome.
    public struct Event: Sendable {
        let name: String
        let dimensions: [(String, String)]

        /// An issuance of this kind (`issued`, `renewed`, `reacquired`).
        static func issuance(_ kind: NoticeKind) -> Event { Event(name: "shomei_issuances_total", dimensions: [("kind", "\(kind)")]) }
        /// A revocation for this reason (RFC 5280's name), by whichever path.
        static func revocation(_ reason: RevocationReason) -> Event {
            Event(name: "shomei_revocations_total", dimensions: [("reason", reason.rfcName)])
        }
        /// A login at the portal (`portal`) or the bank's console (`console`).
        static func login(_ surface: String) -> Event { Event(name: "shomei_logins_total", dimensions: [("surface", surface)]) }
    }

    /// Runs `body` and counts how it ended.
    func counting<T>(_ event: Event, _ body: () async throws -> T) async throws -> T {
        let result = try await refusals(event, body)
        succeeded(event)
        return result
    }

    /// Runs `body` and counts it only if it is refused: its success is counted where it commits.
    func refusals<T>(_ event: Event, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            count(event, outcome: (error as? ShomeiError)?.name ?? "error")
            throw error
        }
    }

    func succeeded(_ event: Event) {
        count(event, outcome: "success")
    }

    private func count(_ event: Event, outcome: String) {
        Counter(label: event.name, dimensions: event.dimensions + [("outcome", outcome)], factory: factory).increment()
    }
}
