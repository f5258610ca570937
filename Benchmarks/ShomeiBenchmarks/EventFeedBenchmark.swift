import Foundation
import ShomeiDomain
import ShomeiRA
import ShomeiStorage

/// The bank API's event feed read end to end: `count` audit entries (issuances, revocations and
/// refused logins with their details, as a busy day writes them) and the certificate each
/// issuance or revocation names (so each page looks up the keys of ~667 stored certificates, as
/// in production), then the whole feed read in pages of 1,000 through `IntegrationQueries.events`,
/// as `GET /api/v1/events` reads it.
///
///     ShomeiBenchmarks events [count] [postgres-url]
enum EventFeedBenchmark {
    static func run(count: Int, postgres: String?) async throws {
        let store = if let postgres {
            try await SQLStore.postgres(url: postgres, schema: "bench_events_\(getpid())", maxConnections: 2)
        } else {
            try await SQLStore.sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("events-\(getpid()).sqlite").path)
        }
        let fill = ContinuousClock.now
        let now = Date()
        try await store.write { tx in
            for contract in 0..<50 { try await tx.insert(try Contract(id: ContractID("C\(contract)"), name: "Bench", createdAt: now)) }
            for user in 0..<1000 { try await tx.insert(try holder(user, at: now)) }
        }
        for start in stride(from: 0, to: count, by: 1000) {
            try await store.write { tx in
                for index in start..<min(start + 1000, count) {
                    try await tx.appendAudit(entry(index), at: now)
                    if let certificate = try certificate(index, at: now) { try await tx.insert(certificate) }
                }
            }
        }
        print(String(format: "filled %d audit entries in %.1f s", count, seconds(ContinuousClock.now - fill)))
        let queries = IntegrationQueries(store: store, lifecyclePolicy: LifecyclePolicy())
        for run in 1...3 {
            let started = ContinuousClock.now
            var cursor: Int64 = 0
            var events = 0
            var pages = 0
            while true {
                let page = try await queries.events(after: cursor, limit: 1000)
                events += page.events.count
                pages += 1
                if page.next == cursor { break }
                cursor = page.next
            }
            let elapsed = seconds(ContinuousClock.now - started)
            print(String(format: "run %d (%@): %d events in %d pages, %.2f s (%.0f events/s)",
                         run, postgres == nil ? "SQLite" : "PostgreSQL", events, pages, elapsed, Double(events) / elapsed))
        }
        try await store.shutdown()
    }

    /// Every third an issuance, a revocation or a refused login, of a thousand users.
    static func entry(_ index: Int) -> AuditEntry {
        let user = "C\(index % 50)/U\(index % 1000)"
        let serial = String(format: "%032x", index)
        switch index % 3 {
        case 0:
            return AuditEntry(actor: "user:\(user)", action: .certificateIssued, target: "certificate:\(serial)",
                              details: ["user": user, "kind": "renewed", "medium": "pc", "key": "p256", "ip": "192.0.2.1"])
        case 1:
            return AuditEntry(actor: "api:core-banking", action: .certificateRevoked, target: "certificate:\(serial)",
                              details: ["user": user, "reason": "keyCompromise", "ip": "192.0.2.2"])
        default:
            return AuditEntry(actor: "user:\(user)", action: .loginRefused, target: "user:\(user)",
                              details: ["reason": "passwordWrong(remainingAttempts: 3)", "ip": "198.51.100.7"])
        }
    }

    /// User `U<n>` of contract `C<n mod 50>`, as `entry` names them.
    static func holder(_ user: Int, at now: Date) throws -> User {
        try User(key: UserKey(contractID: ContractID("C\(user % 50)"), userID: UserID("U\(user)")), name: "Bench",
                 role: .general, email: EmailAddress("u@example.jp"), passwordHash: "-", createdAt: now)
    }

    /// The certificate an issuance or revocation entry names: a certificate-sized DER blob (the
    /// feed never parses it) and a key hash, stored revoked (one valid certificate per user).
    static func certificate(_ index: Int, at now: Date) throws -> CertificateRecord? {
        guard index % 3 != 2 else { return nil }
        let serial = String(format: "%032x", index)
        return CertificateRecord(
            serial: serial, owner: try holder(index % 1000, at: now).key, der: Array(repeating: 0x30, count: 700),
            fingerprint: "f" + serial, keySHA256: "k" + serial, subject: "CN=Bench", notBefore: now,
            notAfter: now.addingTimeInterval(86_400 * 365), medium: .pc, issuedAt: now,
            revocation: .init(time: now, reason: .keyCompromise))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
