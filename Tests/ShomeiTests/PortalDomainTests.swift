import Foundation
import ShomeiDomain
import ShomeiStorage
import ShomeiWeb
import Testing

/// The portal's rules without a server: who a certificate admits, when a session ends, the
/// label table against the templates, and the session rows on both databases.
@Suite struct PortalDomainTests {
    typealias L = LifecycleTests

    @Test func certificateLoginRefusals() {
        let current = L.record(serial: "02")
        let older = L.record(serial: "01", issuedAt: L.notAfter.addingTimeInterval(-400 * L.day), notAfter: L.notAfter.addingTimeInterval(-35 * L.day),
                             revoked: .superseded)
        let both = [current, older]
        func refusal(_ serial: String, _ record: CertificateRecord?, _ records: [CertificateRecord], at offset: TimeInterval) -> CertificateRefusal? {
            CertificateLogin.refusal(presenting: serial, record: record, status: L.state(at: offset, records))
        }
        #expect(refusal("02", current, both, at: -100 * L.day) == nil, "current and valid")
        #expect(refusal("02", current, both, at: -1 * L.day) == nil, "in the renewal window it still logs in")
        #expect(refusal("02", current, both, at: 0) == nil, "notAfter itself is valid")
        #expect(refusal("01", older, both, at: -100 * L.day) == .superseded)
        #expect(refusal("99", nil, both, at: -100 * L.day) == .unknown)
        let expired = refusal("02", current, both, at: 1)
        #expect(expired == .lifecycle(.expiredReacquirable, reacquirableUntil: L.notAfter.addingTimeInterval(90 * L.day)))
        #expect(refusal("02", current, both, at: 91 * L.day) == .lifecycle(.reissueRequired, reacquirableUntil: L.notAfter.addingTimeInterval(90 * L.day)))
        let revoked = L.record(serial: "03", revoked: .keyCompromise)
        guard case .lifecycle(.revoked, _)? = refusal("03", revoked, [revoked], at: -100 * L.day) else {
            Issue.record("a revoked current certificate reads as revoked")
            return
        }
        // Each refusal tells the customer what to do, in both languages.
        for case let refused? in [expired, .superseded, .unknown] {
            #expect(ShomeiError.certificateNotAccepted(refused).message(.japanese).contains("電子証明書"))
            #expect(ShomeiError.certificateNotAccepted(refused).message(.english).contains("certificate"))
        }
        #expect(ShomeiError.certificateNotAccepted(expired!).message(.japanese).contains("電子証明書取得"))
    }

    @Test func sessionTimeouts() throws {
        let policy = try SessionPolicy(idleTimeout: 900, absoluteTimeout: 8 * 3600).validated()
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        var session = PortalSession(id: "h", user: L.owner, certificateSerial: "01", csrfToken: "t", createdAt: opened, lastSeenAt: opened)
        #expect(session.endReason(at: opened.addingTimeInterval(899.999), policy: policy) == nil)
        #expect(session.endReason(at: opened.addingTimeInterval(900), policy: policy) == .idleTimeout)
        session.lastSeenAt = opened.addingTimeInterval(8 * 3600 - 60)
        #expect(session.endReason(at: opened.addingTimeInterval(8 * 3600 - 1), policy: policy) == nil)
        #expect(session.endReason(at: opened.addingTimeInterval(8 * 3600), policy: policy) == .absoluteTimeout, "activity never extends past the cap")
        #expect(throws: ShomeiError.self) { try SessionPolicy(idleTimeout: 30).validated() }
        #expect(throws: ShomeiError.self) { try SessionPolicy(idleTimeout: 3600, absoluteTimeout: 600).validated() }
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd") && !ConstantTime.equal("abc", "ab") && !ConstantTime.equal("", "a"))
        for _ in 0..<200 {
            let a = String((0..<Int.random(in: 0...8)).map { _ in "ab".randomElement()! })
            let b = String((0..<Int.random(in: 0...8)).map { _ in "ab".randomElement()! })
            #expect(ConstantTime.equal(a, b) == (a == b))
        }
    }

    /// Every `{{t.key}}` a page uses is a `Label`, and every label is used by a page or by code
    /// (which always names one as `Label.x`).
    @Test func labelTableMatchesTheTemplates() throws {
        let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/ShomeiWeb")
        var used = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: web.appendingPathComponent("Pages").path) {
            let text = try String(contentsOf: web.appendingPathComponent("Pages").appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /\{\{t\.([A-Za-z0-9]+)\}\}/) { used.insert(String(match.1)) }
        }
        let labels = Set(Label.allCases.map(\.rawValue))
        #expect(used.subtracting(labels).isEmpty, "templates name labels that do not exist: \(used.subtracting(labels))")
        let code = web.deletingLastPathComponent()
        let sources = FileManager.default.enumerator(atPath: code.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(sources.count > 10)
        for file in sources {
            let text = try String(contentsOf: code.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /Label\.([A-Za-z0-9]+)/) where labels.contains(String(match.1)) { used.insert(String(match.1)) }
        }
        #expect(labels.subtracting(used).isEmpty, "unused labels: \(labels.subtracting(used))")
    }

    @Test(arguments: TestBackend.available)
    func sessionsAreStoredUpdatedAndPurged(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await StoreContractTests.seed(store)
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        let session = PortalSession(id: "a1", user: key, certificateSerial: "0a", csrfToken: "t", createdAt: opened, lastSeenAt: opened)
        let idle = PortalSession(id: "b2", user: key, certificateSerial: nil, csrfToken: "u", createdAt: opened, lastSeenAt: opened.addingTimeInterval(-3600))
        try await store.write { tx in
            try await tx.insert(session)
            try await tx.insert(idle)
        }
        #expect(try await store.read { try await $0.portalSession(id: "a1") } == session)
        var changed = session
        changed.lastSeenAt = opened.addingTimeInterval(60)
        changed.renewalPostponed = true
        try await store.write { [changed] tx in
            try await tx.touchPortalSession(id: "a1", at: changed.lastSeenAt)
            try await tx.postponeRenewal(inPortalSession: "a1")
        }
        #expect(try await store.read { try await $0.portalSession(id: "a1") } == changed)
        // Staff sessions: their own table, purged by the same call.
        let staff = try Staff(id: "op1", name: "IT", role: .operator, passwordHash: "$2b$x", createdAt: opened)
        let console = StaffSession(id: "c3", staffID: "op1", csrfToken: "v", createdAt: opened.addingTimeInterval(-90_000), lastSeenAt: opened)
        try await store.write { tx in
            try await tx.insert(staff)
            try await tx.insert(console)
            try await tx.touchStaffSession(id: "c3", at: opened.addingTimeInterval(5))
        }
        #expect(try await store.read { try await $0.staffSession(id: "c3") }?.lastSeenAt == opened.addingTimeInterval(5))
        let purged = try await store.write { tx in
            try await tx.deleteSessions(idleBefore: opened.addingTimeInterval(-60), createdBefore: opened.addingTimeInterval(-86400))
        }
        #expect(purged == 2, "the idle portal session and the console session past the absolute timeout")
        #expect(try await store.read { try await $0.portalSession(id: "b2") } == nil)
        #expect(try await store.read { try await $0.staffSession(id: "c3") } == nil)
        try await store.write { tx in try await tx.deletePortalSession(id: "a1") }
        #expect(try await store.read { try await $0.portalSession(id: "a1") } == nil)
        try await store.shutdown()
    }
}
