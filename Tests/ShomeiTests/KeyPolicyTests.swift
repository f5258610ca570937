import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiRA
import ShomeiStorage
import Testing
import X509

/// The key policy, as a public CA keeps it: one key, one certificate, one user, ever; the keys of
/// certificates revoked for keyCompromise never again — each refused with its message and
/// nothing written, on both databases.
@Suite struct KeyPolicyTests {
    @Test(arguments: TestBackend.available)
    func aKeyIsCertifiedOnceForOneUserAndACompromisedKeyNeverAgain(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let alice = try await ca.addUser(contract: "C1", user: "A")
        let bob = try await ca.addUser(contract: "C2", user: "B")
        let carol = try await ca.addUser(contract: "C1", user: "C")
        let folder = TemporaryFolder()
        let first = try OpenSSL.csr(OpenSSL.p256, in: folder, name: "first")
        _ = try await ca.registration.issueCertificate(for: alice, csr: first, medium: .pc, actor: "operator:t")

        let before = try await StoreSnapshot(ca.store)
        // Another user, of another contract or the same one: the key is Alice's.
        await #expect(throws: ShomeiError.keyInUse) { _ = try await ca.registration.issueCertificate(for: bob, csr: first, medium: .pc, actor: "t") }
        await #expect(throws: ShomeiError.keyInUse) { _ = try await ca.registration.issueCertificate(for: carol, csr: first, medium: .pc, actor: "t") }
        // Alice again with her own key: a new certificate needs a new key.
        await #expect(throws: ShomeiError.keyReused) { _ = try await ca.registration.issueCertificate(for: alice, csr: first, medium: .pc, actor: "t") }
        #expect(try await StoreSnapshot(ca.store) == before, "refusals write nothing")

        // A new key is fine; then that certificate is revoked for keyCompromise and its key is
        // blocked for everyone, with a new activation code too, and stays blocked when Alice
        // moves on to a third key (which supersedes nothing of the blocked one).
        let second = try OpenSSL.csr(OpenSSL.p256, in: folder, name: "second")
        let compromised = try await ca.registration.issueCertificate(for: alice, csr: second, medium: .pc, actor: "operator:t")
        _ = try await ca.registration.revokeCertificate(serial: compromised.record.serial, reason: .keyCompromise, actor: "operator:t")
        let (code, _) = try await ca.registration.issueActivationCode(for: alice, actor: "operator:t")
        await #expect(throws: ShomeiError.keyCompromised) {
            _ = try await ca.registration.issueCertificate(for: alice, password: TestCA.password, activationCode: code, csr: second, medium: .pc)
        }
        await #expect(throws: ShomeiError.keyCompromised) { _ = try await ca.registration.issueCertificate(for: bob, csr: second, medium: .pc, actor: "t") }
        _ = try await ca.registration.issueCertificate(
            for: alice, password: TestCA.password, activationCode: code, csr: try OpenSSL.csr(OpenSSL.p256, in: folder, name: "third"), medium: .pc)
        #expect(try await ca.store.read { try await $0.keyUse(compromised.record.keySHA256 ?? "") }.blocked)
        for message in [ShomeiError.keyInUse, .keyReused, .keyCompromised] {
            #expect(message.category == .invalidInput && message.message(.japanese).contains("鍵") && message.message(.english).contains("key"))
        }
        try await ca.store.shutdown()
    }

    /// Two requests with one key for two users at once: decided from reads that both pass, but the
    /// batch re-checks the key, so exactly one certificate is issued and the other is refused.
    @Test(arguments: TestBackend.available)
    func oneKeySentForTwoUsersAtOnceIsCertifiedOnce(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let users = [try await ca.addUser(user: "A"), try await ca.addUser(user: "B"), try await ca.addUser(user: "C")]
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        let outcomes = await withTaskGroup(of: ShomeiError?.self) { group in
            for user in users {
                group.addTask {
                    do {
                        _ = try await ca.registration.issueCertificate(for: user, csr: csr, medium: .pc, actor: "t")
                        return nil
                    } catch { return error as? ShomeiError ?? .internalError }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 1 && outcomes.compactMap { $0 }.allSatisfy { $0 == .keyInUse }, "\(outcomes)")
        #expect(try await ca.store.read { try await $0.certificates(of: nil) }.count == 1)
        try await ca.store.shutdown()
    }

    /// Certificates stored before the key index get their key's hash at start-up, and one revoked
    /// for keyCompromise back then has its key blocked from then on.
    @Test(arguments: TestBackend.available)
    func certificatesFromBeforeTheIndexAreCompletedAndTheirCompromisedKeysBlocked(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let alice = try await ca.addUser(user: "A")
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        let issued = try await ca.registration.issueCertificate(for: alice, csr: csr, medium: .pc, actor: "t").record
        // As an older version stored it: no key hash, and revoked for keyCompromise without a block.
        let old = CertificateRecord(
            serial: issued.serial, owner: alice, der: issued.der, fingerprint: issued.fingerprint, keySHA256: nil, subject: issued.subject,
            notBefore: issued.notBefore, notAfter: issued.notAfter, medium: .pc, issuedAt: issued.issuedAt,
            revocation: .init(time: Date(), reason: .keyCompromise))
        let replaced = try await backend.makeStore()
        try await replaced.write { tx in
            try await tx.insert(try Contract(id: alice.contractID, name: "株式会社テスト", createdAt: Date()))
            try await tx.insert(try User(key: alice, name: "a", role: .general, email: try EmailAddress("a@example.jp"), passwordHash: "x",
                                         createdAt: Date()))
            try await tx.insert(old)
        }
        let later = try await TestCA(store: replaced)
        #expect(try await replaced.read { try await $0.certificatesWithoutKeyHash(limit: 10) }.map(\.serial) == [issued.serial])
        try await later.registration.completeKeyIndex()
        #expect(try await replaced.read { try await $0.certificatesWithoutKeyHash(limit: 10) }.isEmpty)
        let use = try await replaced.read { try await $0.keyUse(issued.keySHA256 ?? "") }
        #expect(use.blocked && use.holders == [alice])
        try await ca.store.shutdown()
        try await replaced.shutdown()
    }
}
