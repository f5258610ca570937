import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import Testing

/// The contract every `Store` implementation must meet; runs on SQLite and PostgreSQL alike.
@Suite struct StoreContractTests {
    static func sampleCertificate(_ key: UserKey, serial: String = SerialNumberGenerator.next().hexEncoded) -> CertificateRecord {
        CertificateRecord(
            serial: serial, owner: key, der: [0x30, 0x03, 0x02, 0x01, 0x01], fingerprint: serial + "f", keySHA256: nil, subject: "CN=x",
            notBefore: Date(timeIntervalSince1970: 1_800_000_000), notAfter: Date(timeIntervalSince1970: 1_831_536_000),
            medium: .usb, issuedAt: Date(timeIntervalSince1970: 1_800_000_000.123))
    }

    static func seed(_ store: any Store) async throws -> UserKey {
        let key = UserKey(contractID: try ContractID("C1"), userID: try UserID("U1"))
        try await store.write { tx in
            try await tx.insert(try Contract(id: key.contractID, name: "株式会社テスト", createdAt: Date(timeIntervalSince1970: 1)))
            try await tx.insert(try User(
                key: key, name: "山田", role: .admin, email: try EmailAddress("a@example.jp"), passwordHash: "$2b$x",
                createdAt: Date(timeIntervalSince1970: 2)))
        }
        return key
    }

    @Test(arguments: TestBackend.available)
    func roundTripsEveryRecord(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await Self.seed(store)
        let certificate = Self.sampleCertificate(key)
        let code = ActivationCode(id: "code1", owner: key, codeHash: "$2b$h", issuedAt: Date(timeIntervalSince1970: 5),
                                  expiresAt: Date(timeIntervalSince1970: 500))
        try await store.write { tx in
            try await tx.insert(certificate)
            try await tx.replaceActivationCode(with: code)
        }
        try await store.read { (reader) async throws -> Void in
            #expect(try await reader.contract(key.contractID)?.name == "株式会社テスト")
            #expect(try await reader.user(key)?.role == .admin)
            #expect(try await reader.certificate(serial: certificate.serial) == certificate)
            #expect(try await reader.validCertificate(of: key) == certificate)
            #expect(try await reader.unusedActivationCode(of: key) == code)
            #expect(try await reader.certificates(of: try ContractID("other")).isEmpty)
        }
        try await store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func aFailedTransactionLeavesNothing(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await Self.seed(store)
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await store.write { tx in
                try await tx.insert(Self.sampleCertificate(key))
                try await tx.appendAudit(AuditEntry(actor: "t", action: .certificateIssued, target: "x"), at: Date())
                throw Abort()
            }
        }
        #expect(try await store.read { try await $0.certificates(of: nil) }.isEmpty)
        #expect(try await store.read { try await $0.auditEvents(after: 0, limit: 10) }.isEmpty)
        try await store.shutdown()
    }

    /// What issuance is decided from: a commit that lands between two queries of one read is
    /// seen by neither (before, the second saw it: an activation code read unspent, then the
    /// certificate that spent it, which turned a second try into "key reused").
    @Test(arguments: TestBackend.available)
    func aReadIsOneSnapshot(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await Self.seed(store)
        let certificate = Self.sampleCertificate(key)
        let seen = try await store.read { reader in
            let before = try await reader.certificates(of: nil).count
            try await store.write { try await $0.insert(certificate) }
            return (before, try await reader.certificates(of: nil).count, try await reader.validCertificate(of: key))
        }
        #expect(seen.0 == 0 && seen.1 == 0 && seen.2 == nil)
        #expect(try await store.read { try await $0.validCertificate(of: key) } == certificate)
        try await store.shutdown()
    }

    /// The event feed's key lookup: stored serials with a key hash, and nothing for the others.
    @Test(arguments: TestBackend.available)
    func keyFingerprintsAreThoseOfStoredCertificatesWithAKeyHash(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await Self.seed(store)
        let unhashed = Self.sampleCertificate(key)
        let old = Self.sampleCertificate(key), hashed = CertificateRecord(
            serial: old.serial, owner: key, der: old.der, fingerprint: old.fingerprint, keySHA256: "ab12", subject: old.subject,
            notBefore: old.notBefore, notAfter: old.notAfter, medium: old.medium, issuedAt: old.issuedAt,
            revocation: .init(time: old.issuedAt, reason: .superseded))
        try await store.write { tx in
            try await tx.insert(hashed)
            try await tx.insert(unhashed)
        }
        let keys = try await store.read { try await $0.keyFingerprints(serials: [hashed.serial, unhashed.serial, "00ff"]) }
        #expect(keys == [hashed.serial: "ab12"])
        #expect(try await store.read { try await $0.keyFingerprints(serials: []) }.isEmpty)
        try await store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func theDatabaseAllowsOneValidCertificatePerUser(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await Self.seed(store)
        let first = Self.sampleCertificate(key)
        try await store.write { try await $0.insert(first) }
        await #expect(throws: (any Error).self) {
            try await store.write { try await $0.insert(Self.sampleCertificate(key)) }
        }
        let revocation = CertificateRecord.Revocation(time: Date(timeIntervalSince1970: 1_800_000_100), reason: .superseded)
        let second = Self.sampleCertificate(key)
        #expect(try await store.write { tx in
            let revoked = try await tx.revoke(serial: first.serial, revocation)
            try await tx.insert(second)
            return revoked
        })
        #expect(try await store.read { try await $0.certificate(serial: first.serial) }?.revocation == revocation)
        // A second revocation changes nothing and says so.
        #expect(try await store.write { try await $0.revoke(serial: first.serial, .init(time: Date(), reason: .keyCompromise)) } == false)
        #expect(try await store.read { try await $0.certificate(serial: first.serial) }?.revocation == revocation)
        #expect(try await store.read { try await $0.validCertificate(of: key) } == second)
        try await store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func activationCodesReplaceCountAndSpend(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        let key = try await Self.seed(store)
        let old = ActivationCode(id: "old", owner: key, codeHash: "h1", issuedAt: Date(timeIntervalSince1970: 10), expiresAt: Date(timeIntervalSince1970: 99))
        let new = ActivationCode(id: "new", owner: key, codeHash: "h2", issuedAt: Date(timeIntervalSince1970: 20), expiresAt: Date(timeIntervalSince1970: 99))
        try await store.write { try await $0.replaceActivationCode(with: old) }
        try await store.write { tx in
            try await tx.replaceActivationCode(with: new)
            try await tx.takeActivationCodeTry(id: "new")
            try await tx.takeActivationCodeTry(id: "new")
        }
        #expect(try await store.read { try await $0.unusedActivationCode(of: key) }?.failedAttempts == 2)
        #expect(try await store.read { try await $0.unusedActivationCode(of: key) }?.id == "new")
        // Spent by the issuance that redeems it.
        let issuance = IssuanceBatchTests.write(Self.sampleCertificate(key), code: "new")
        #expect(try await store.write { try await $0.record([issuance]) } == [true])
        #expect(try await store.read { try await $0.unusedActivationCode(of: key) } == nil)
        try await store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func auditIsChainedAppendOnlyAndVerifiable(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        for index in 0..<5 {
            _ = try await store.write { tx in
                try await tx.appendAudit(
                    AuditEntry(actor: "operator:a", action: .contractAdded, target: "contract:\(index)", details: ["n": "\(index)", "名": "値"]),
                    at: Date(timeIntervalSince1970: 1_000 + Double(index)))
            }
        }
        let events = try await store.read { try await $0.auditEvents(after: 0, limit: 100) }
        #expect(events.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(events[0].previousHash == AuditChain.genesisHash)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.hash == $1.previousHash })
        #expect(events[4].details["名"] == "値")
        #expect(try await AuditChain.verify(store, batchSize: 2) == .intact(entries: 5))
        #expect(try await AuditChain.verify(store) == .intact(entries: 5))
        try await store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func concurrentAuditAppendsFormOneChain(_ backend: TestBackend) async throws {
        let store = try await backend.makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    _ = try await store.write { tx in
                        try await tx.appendAudit(AuditEntry(actor: "t", action: .userAdded, target: "\(index)"), at: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await AuditChain.verify(store) == .intact(entries: 20))
        try await store.shutdown()
    }

    /// Tampering from outside Shomei (python's sqlite3 on the file): the trigger refuses edits,
    /// and when someone drops it and edits anyway, `verify` points at the edited entry.
    @Test func tamperingIsRefusedAndThenDetected() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("audit.sqlite").path
        let store = try await SQLStore.sqlite(path: path)
        for index in 0..<4 {
            _ = try await store.write { tx in
                try await tx.appendAudit(AuditEntry(actor: "a", action: .userAdded, target: "\(index)"), at: Date())
            }
        }
        try await store.shutdown()
        let python = { (sql: String) in
            try run(["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, sql])
        }
        let refused = try python("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 3;")
        #expect(refused.status != 0 && refused.stderr.contains("append-only"))
        let deleted = try python("DELETE FROM audit_events WHERE sequence = 3;")
        #expect(deleted.status != 0)
        let forced = try python("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'mallory' WHERE sequence = 3;")
        #expect(forced.status == 0, "\(forced.stderr)")
        let reopened = try await SQLStore.sqlite(path: path)
        #expect(try await AuditChain.verify(reopened) == .broken(atSequence: 3))
        try await reopened.shutdown()
        // Details that are not an object of strings are a corrupt row, reported and never guessed at.
        #expect(try python(#"UPDATE audit_events SET details = '{"n":1}' WHERE sequence = 2;"#).status == 0)
        let damaged = try await SQLStore.sqlite(path: path)
        await #expect(throws: CorruptRowError.self) { _ = try await damaged.read { try await $0.auditEvents(after: 0, limit: 10) } }
        try await damaged.shutdown()
    }
}
