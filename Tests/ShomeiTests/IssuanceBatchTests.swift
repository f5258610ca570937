import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import Testing

/// The storage half of batched issuance: `StoreTransaction.record` writes exactly the prepared
/// issuances whose expectations still hold, and `IssuanceBatcher` gives each caller the outcome
/// it would have had alone. Runs on SQLite and PostgreSQL alike.
@Suite struct IssuanceBatchTests {
    static let time = Date(timeIntervalSince1970: 1_800_000_100)

    static func user(_ id: String) throws -> UserKey {
        UserKey(contractID: try ContractID("C1"), userID: try UserID(id))
    }

    /// Contract C1 with users U1…U5 (U3 disabled); returns nothing, the tests name users by id.
    static func seed(_ store: any Store) async throws {
        try await store.write { tx in
            try await tx.insert(try Contract(id: try ContractID("C1"), name: "株式会社テスト", createdAt: Date(timeIntervalSince1970: 1)))
            for id in ["U1", "U2", "U3", "U4", "U5"] {
                try await tx.insert(try User(
                    key: try user(id), name: id, role: .general, email: try EmailAddress("\(id.lowercased())@example.jp"),
                    passwordHash: "$2b$x", createdAt: Date(timeIntervalSince1970: 2)))
            }
            try await tx.setStatus(.disabled, of: try user("U3"))
        }
    }

    static func write(
        _ certificate: CertificateRecord, superseding previous: CertificateRecord? = nil, code: String? = nil,
        messages: [OutboxMessage] = []
    ) -> IssuanceWrite {
        let superseded = previous.map { old in
            var old = old
            old.revocation = .init(time: time, reason: .superseded)
            return old
        }
        var audit = [AuditEntry(actor: "t", action: .certificateIssued, target: "certificate:\(certificate.serial)")]
        if let superseded {
            audit.insert(AuditEntry(actor: "t", action: .certificateRevoked, target: "certificate:\(superseded.serial)"), at: 0)
        }
        return IssuanceWrite(
            certificate: certificate, firstNoticeAt: time.addingTimeInterval(1000), superseded: superseded,
            spentActivationCode: code, messages: messages, audit: audit, time: time)
    }

    static func message(_ key: String) throws -> OutboxMessage {
        OutboxMessage(id: "m-\(key)", dedupeKey: key, recipient: try EmailAddress("u4@example.jp"), subject: "件名",
                      body: "本文", createdAt: time)
    }

    @Test(arguments: TestBackend.available)
    func recordWritesWhatStillHoldsAndLeavesTheRest(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        try await Self.seed(store)
        let (u1, u2, u3, u4, u5) = (try Self.user("U1"), try Self.user("U2"), try Self.user("U3"), try Self.user("U4"), try Self.user("U5"))
        let current = StoreContractTests.sampleCertificate(u4)
        let elsewhere = StoreContractTests.sampleCertificate(u5)
        try await store.write { tx in
            try await tx.insert(current)
            try await tx.insert(elsewhere)
            try await tx.replaceActivationCode(with: ActivationCode(
                id: "code4", owner: u4, codeHash: "$2b$h", issuedAt: Self.time, expiresAt: Self.time.addingTimeInterval(600)))
            for id in ["code5", "code5-newer"] {  // the newer code voids code5
                try await tx.replaceActivationCode(with: ActivationCode(
                    id: id, owner: u5, codeHash: "$2b$h", issuedAt: Self.time, expiresAt: Self.time.addingTimeInterval(600)))
            }
        }
        let revisionBefore = try await store.read { try await $0.revocationRevision() }
        let first = StoreContractTests.sampleCertificate(u1)
        let renewed = StoreContractTests.sampleCertificate(u4)
        let writes = [
            Self.write(first),
            Self.write(StoreContractTests.sampleCertificate(u1)),  // same user again: only the first in a batch
            Self.write(StoreContractTests.sampleCertificate(u3)),  // disabled
            Self.write(renewed, superseding: current, code: "code4",
                       messages: [try Self.message("k1"), try Self.message("k2")]),
            Self.write(StoreContractTests.sampleCertificate(u2), superseding: StoreContractTests.sampleCertificate(u2)),  // U2 has none
            Self.write(CertificateRecord(  // serial taken, by another certificate
                serial: elsewhere.serial, owner: u2, der: elsewhere.der, fingerprint: "another", keySHA256: nil, subject: "CN=x",
                notBefore: elsewhere.notBefore, notAfter: elsewhere.notAfter, medium: .pc, issuedAt: elsewhere.issuedAt)),
            Self.write(StoreContractTests.sampleCertificate(u5), superseding: elsewhere, code: "code5"),  // code voided
        ]
        let written = try await store.write { tx in try await tx.record(writes) }
        #expect(written == [true, false, false, true, false, false, false])

        try await store.read { (reader) async throws -> Void in
            #expect(try await reader.validCertificate(of: u1) == first)
            #expect(try await reader.validCertificate(of: u4) == renewed)
            let old = try await reader.certificate(serial: current.serial)
            #expect(old?.revocation == .init(time: Self.time, reason: .superseded))
            #expect(try await reader.validCertificate(of: u2) == nil)
            #expect(try await reader.validCertificate(of: u3) == nil)
            #expect(try await reader.validCertificate(of: u5) == elsewhere)
            #expect(try await reader.revocationRevision() == revisionBefore + 1)
            #expect(try await reader.unusedActivationCode(of: u4) == nil)
            let due = try await reader.dueNotices(at: Self.time.addingTimeInterval(1000), limit: 10).map(\.certificate.serial)
            #expect(Set(due) == [first.serial, renewed.serial])
            #expect(Set(try await reader.outboxMessages(status: nil, limit: 10).map(\.dedupeKey)) == ["k1", "k2"])
            let audit = try await reader.auditEvents(after: 0, limit: 10).map(\.target)
            #expect(audit == ["certificate:\(first.serial)", "certificate:\(current.serial)", "certificate:\(renewed.serial)"])
        }
        #expect(try await AuditChain.verify(store) == .intact(entries: 3))

        // The same batch again (a retry after a lost answer): what was written reads as written,
        // and nothing is written twice.
        #expect(try await store.write { tx in try await tx.record(writes) } == written)
        #expect(try await store.read { try await $0.certificates(of: nil) }.count == 4)
        #expect(try await AuditChain.verify(store) == .intact(entries: 3))
        try await store.shutdown()
    }

    /// Every caller gets its own outcome, batched or not: written, stale, or the database's
    /// refusal of that one issuance (a duplicate fingerprint here) without failing the others.
    @Test(arguments: TestBackend.available)
    func theBatcherGivesEachIssuanceTheOutcomeItWouldHaveAlone(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let users = try await Self.seedUsers(43, in: store)
        let taken = CertificateRecord(
            serial: "cd", owner: users[41], der: [0x30, 0x00], fingerprint: "taken", keySHA256: nil, subject: "CN=x",
            notBefore: Self.time, notAfter: Self.time.addingTimeInterval(86_400), medium: .pc, issuedAt: Self.time)
        try await store.write { tx in
            try await tx.insert(StoreContractTests.sampleCertificate(users[40], serial: "ab"))
            try await tx.insert(taken)
        }
        // B0…B39 are written; B40 already holds a certificate the write did not expect; B42's
        // fingerprint is B41's, which the database refuses.
        let writes = users[0...40].map { Self.write(StoreContractTests.sampleCertificate($0)) } + [
            Self.write(CertificateRecord(
                serial: "ef", owner: users[42], der: taken.der, fingerprint: taken.fingerprint, keySHA256: nil, subject: "CN=x",
                notBefore: taken.notBefore, notAfter: taken.notAfter, medium: .pc, issuedAt: taken.issuedAt)),
        ]
        let outcomes = await Self.recordAtOnce(writes, with: IssuanceBatcher(store: store))
        for index in 0..<40 { #expect((try? outcomes[index]?.get()) == true, "B\(index)") }
        #expect((try? outcomes[40]?.get()) == false)
        #expect(throws: (any Error).self) { try outcomes[41]?.get() }
        #expect(try await store.read { try await $0.certificates(of: nil) }.count == 42)
        #expect(try await AuditChain.verify(store) == .intact(entries: 40))
        try await store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func issuancesThatArriveTogetherShareATransaction(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let users = try await Self.seedUsers(30, in: store)
        let batcher = IssuanceBatcher(store: store)
        let outcomes = await Self.recordAtOnce(users.map { Self.write(StoreContractTests.sampleCertificate($0)) }, with: batcher)
        #expect(outcomes.values.allSatisfy { (try? $0.get()) == true })
        let statistics = await batcher.statistics
        #expect(statistics.issuances == 30)
        #expect(statistics.transactions < 30, "no two issuances shared a transaction")
        #expect(try await AuditChain.verify(store) == .intact(entries: 30))
        try await store.shutdown()
    }

    /// Contract C1 with `count` general users B0, B1, …
    static func seedUsers(_ count: Int, in store: any Store) async throws -> [UserKey] {
        let users = try (0..<count).map { UserKey(contractID: try ContractID("C1"), userID: try UserID("B\($0)")) }
        try await store.write { tx in
            try await tx.insert(try Contract(id: try ContractID("C1"), name: "x", createdAt: Date(timeIntervalSince1970: 1)))
            for key in users {
                try await tx.insert(try User(key: key, name: "b", role: .general, email: try EmailAddress("b@example.jp"),
                                             passwordHash: "$2b$x", createdAt: Date(timeIntervalSince1970: 2)))
            }
        }
        return users
    }

    /// Hands every write to the batcher at once; each one's outcome by its index.
    static func recordAtOnce(_ writes: [IssuanceWrite], with batcher: IssuanceBatcher) async -> [Int: Result<Bool, any Error>] {
        await withTaskGroup(of: (Int, Result<Bool, any Error>).self) { group in
            for (index, write) in writes.enumerated() {
                group.addTask {
                    do { return (index, .success(try await batcher.record(write))) } catch { return (index, .failure(error)) }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }
}
