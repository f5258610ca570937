import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiRA
import ShomeiStorage
import Synchronization
import Testing
import X509

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now: Mutex<Date>
    init(_ start: Date = Date()) { now = Mutex(start) }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var read: @Sendable () -> Date { { [self] in now.withLock { $0 } } }
}

@Suite struct RegistrationAuthorityTests {
    @Test(arguments: TestBackend.available)
    func issuingAgainSupersedesInTheSameTransaction(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let key = try await ca.addUser()
        let folder = TemporaryFolder()
        let first = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: folder), medium: .pc, actor: "operator:t")
        #expect(first.superseded == nil)
        #expect(first.record.subject == "CN=TKYM1408054 1403,OU=Test Issuing CA,O=Test Bank,C=JP")
        let second = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.rsa2048, in: folder), medium: .usb, actor: "operator:t")
        #expect(second.superseded?.serial == first.record.serial)
        #expect(second.superseded?.revocation?.reason == .superseded)
        let stored = try await ca.store.read { try await $0.certificate(serial: first.record.serial) }
        #expect(stored?.revocation?.reason == .superseded)
        #expect(try await ca.store.read { try await $0.validCertificate(of: key) }?.serial == second.record.serial)
        let actions = try await ca.store.read { try await $0.auditEvents(after: 0, limit: 100) }.map(\.action)
        #expect(actions == [.contractAdded, .userAdded, .certificateIssued, .certificateRevoked, .certificateIssued])
        #expect(second.record.serial.count == 32 && second.record.medium == .usb)
        try await ca.store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func concurrentIssuanceLeavesExactlyOneValidCertificate(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let key = try await ca.addUser()
        let folder = TemporaryFolder()
        let csrs = try (0..<8).map { try OpenSSL.csr(OpenSSL.p256, in: folder, name: "k\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for csr in csrs {
                group.addTask { _ = try await ca.registration.issueCertificate(for: key, csr: csr, medium: .pc, actor: "t") }
            }
            try await group.waitForAll()
        }
        let all = try await ca.store.read { try await $0.certificates(of: key.contractID) }
        #expect(all.count == 8 && all.filter { $0.revocation == nil }.count == 1)
        #expect(all.compactMap(\.revocation?.reason) == Array(repeating: .superseded, count: 7))
        let issued = try await ca.store.read { try await $0.auditEvents(action: .certificateIssued, target: nil, before: nil, limit: 10) }
        // Each issuance superseded the one committed just before it: the "supersedes" links form one chain.
        #expect(Set(issued.map { $0.details["supersedes"] ?? "" }).count == 8)
        #expect(try await AuditChain.verify(ca.store) == .intact(entries: 2 + 8 + 7))
        try await ca.store.shutdown()
    }

    /// Guesses sent at once are checked without a lock held through bcrypt, but each first takes
    /// one of the remaining tries: no more are checked than the limit allows, for either secret.
    @Test(arguments: TestBackend.available)
    func guessesSentAtOnceNeverExceedTheLimits(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore(), policy: .init(lifetimeSeconds: 3600, maxAttempts: 3))
        let key = try await ca.addUser()
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        let (code, _) = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        let wrong: @Sendable (String, String) async -> Void = { password, typedCode in
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        _ = try? await ca.registration.issueCertificate(
                            for: key, password: password, activationCode: typedCode, csr: csr, medium: .pc)
                    }
                }
            }
        }
        await wrong(TestCA.password, "000000000000")
        #expect(try await ca.store.read { try await $0.unusedActivationCode(of: key) }?.failedAttempts == 3)
        await #expect(throws: ShomeiError.activationCodeLocked) {
            _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: code, csr: csr, medium: .pc)
        }
        await wrong("wrong", code)
        let audit = try await ca.store.read { try await $0.auditEvents(after: 0, limit: 200) }.map(\.action)
        #expect(audit.filter { $0 == .activationCodeFailed }.count == 3)
        #expect(audit.filter { $0 == .passwordFailed }.count == 5)
        #expect(audit.filter { $0 == .userLocked }.count == 1)
        #expect(try await ca.store.read { try await $0.user(key) }?.status == .locked)
        #expect(try await ca.store.read { try await $0.certificates(of: nil) }.isEmpty)
        try await ca.store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func oneActivationCodeSentTwiceAtOnceIssuesOnce(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let key = try await ca.addUser()
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        let (code, _) = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        let outcomes = await withTaskGroup(of: ShomeiError?.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        _ = try await ca.registration.issueCertificate(
                            for: key, password: TestCA.password, activationCode: code, csr: csr, medium: .pc)
                        return nil
                    } catch { return error as? ShomeiError ?? .csrNotDecodable }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .noActivationCode(key) }, "\(outcomes)")
        #expect(try await ca.store.read { try await $0.certificates(of: nil) }.count == 1)
        try await ca.store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func badInputIsRefusedAndWritesNothing(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let key = try await ca.addUser()
        let folder = TemporaryFolder()
        let good = try OpenSSL.csr(OpenSSL.p256, in: folder, name: "good")
        var tampered = try OpenSSL.csrDER(OpenSSL.p256, in: folder)
        tampered[tampered.count - 5] ^= 0xFF
        let stranger = UserKey(contractID: key.contractID, userID: try UserID("9999"))
        let noContract = UserKey(contractID: try ContractID("NOPE"), userID: key.userID)
        let before = try await StoreSnapshot(ca.store)
        let cases: [(ShomeiError, () async throws -> Void)] = [
            (.csrNotDecodable, { _ = try await ca.registration.issueCertificate(for: key, csr: Array("garbage".utf8), medium: .pc, actor: "t") }),
            (.csrSignatureInvalid, { _ = try await ca.registration.issueCertificate(for: key, csr: tampered, medium: .pc, actor: "t") }),
            (.keyTooWeak(bits: 1024), {
                _ = try await ca.registration.issueCertificate(for: key, csr: try OpenSSL.csr(["-newkey", "rsa:1024"], in: folder), medium: .pc, actor: "t")
            }),
            (.userNotFound(stranger), { _ = try await ca.registration.issueCertificate(for: stranger, csr: good, medium: .pc, actor: "t") }),
            (.contractNotFound(noContract.contractID), { _ = try await ca.registration.issueCertificate(for: noContract, csr: good, medium: .pc, actor: "t") }),
            (.contractExists(key.contractID), { _ = try await ca.registration.addContract(id: key.contractID, name: "x", actor: "t") }),
            (.userExists(key), {
                _ = try await ca.registration.addUser(NewUser(key: key, name: "x", role: .general, email: try EmailAddress("x@example.jp")), actor: "t")
            }),
            (.invalidPassword, {
                _ = try await ca.registration.addUser(NewUser(key: stranger, name: "x", role: .general, email: try EmailAddress("x@example.jp"), password: "short"), actor: "t")
            }),
            (.noActivationCode(key), { _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: "1", csr: good, medium: .pc) }),
            (.certificateNotFound("abcd"), { _ = try await ca.registration.revokeCertificate(serial: "AB:CD", reason: .keyCompromise, actor: "t") }),
            (.revocationReasonNotOffered(.removeFromCRL), { _ = try await ca.registration.revokeCertificate(serial: "ab", reason: .removeFromCRL, actor: "t") }),
        ]
        for (expected, attempt) in cases {
            await #expect(throws: expected) { try await attempt() }
        }
        #expect(try await StoreSnapshot(ca.store) == before)

        try await ca.registration.disableUser(key, actor: "t")
        let disabled = try await StoreSnapshot(ca.store)
        await #expect(throws: ShomeiError.userDisabled(key)) {
            _ = try await ca.registration.issueCertificate(for: key, csr: good, medium: .pc, actor: "t")
        }
        await #expect(throws: ShomeiError.userDisabled(key)) { _ = try await ca.registration.issueActivationCode(for: key, actor: "t") }
        #expect(try await StoreSnapshot(ca.store) == disabled)
        try await ca.store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func activationCodesAreSingleUseAttemptLimitedAndExpire(_ backend: TestBackend) async throws {
        let clock = TestClock()
        let ca = try await TestCA(store: try await backend.makeStore(), policy: .init(lifetimeSeconds: 3600, maxAttempts: 3), clock: clock.read)
        let key = try await ca.addUser()
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())

        let (code, record) = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        #expect(code.count == 12 && code.allSatisfy(\.isNumber) && record.codeHash != code && !record.codeHash.contains(code))
        await #expect(throws: ShomeiError.activationCodeWrong(remainingAttempts: 2)) {
            _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: "000000000000", csr: csr, medium: .pc)
        }
        #expect(try await ca.store.read { try await $0.unusedActivationCode(of: key) }?.failedAttempts == 1)
        #expect(try await ca.store.read { try await $0.certificates(of: nil) }.isEmpty)

        let issued = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: code, csr: csr, medium: .pc)
        #expect(issued.record.owner == key)
        let afterUse = try await StoreSnapshot(ca.store)
        await #expect(throws: ShomeiError.noActivationCode(key)) {
            _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: code, csr: csr, medium: .pc)
        }
        #expect(try await StoreSnapshot(ca.store) == afterUse)

        // Expiry: a code one second past its lifetime is refused and nothing changes.
        let (expiring, _) = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        clock.advance(3600)
        let beforeExpired = try await StoreSnapshot(ca.store)
        await #expect(throws: ShomeiError.activationCodeExpired) {
            _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: expiring, csr: csr, medium: .pc)
        }
        #expect(try await StoreSnapshot(ca.store) == beforeExpired)

        // Lockout: after maxAttempts wrong tries even the right code is refused.
        let (locked, _) = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        for remaining in [2, 1, 0] {
            await #expect(throws: ShomeiError.activationCodeWrong(remainingAttempts: remaining)) {
                _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: "111111111111", csr: csr, medium: .pc)
            }
        }
        await #expect(throws: ShomeiError.activationCodeLocked) {
            _ = try await ca.registration.issueCertificate(for: key, password: TestCA.password, activationCode: locked, csr: csr, medium: .pc)
        }
        #expect(try await AuditChain.verify(ca.store) == .intact(entries: try await ca.store.read { try await $0.auditEvents(after: 0, limit: 1000) }.count))
        try await ca.store.shutdown()
    }

    @Test func revocationRecordsTimeAndReasonOnce() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore(), clock: clock.read)
        let key = try await ca.addUser()
        let issued = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "t")
        clock.advance(10)
        let revoked = try await ca.registration.revokeCertificate(
            serial: issued.certificate.serialNumber.description, reason: .keyCompromise, actor: "operator:t")
        #expect(revoked.revocation == .init(time: Date(timeIntervalSince1970: 1_800_000_010), reason: .keyCompromise))
        await #expect(throws: ShomeiError.certificateAlreadyRevoked(issued.record.serial)) {
            _ = try await ca.registration.revokeCertificate(serial: issued.record.serial, reason: .keyCompromise, actor: "t")
        }
        try await ca.store.shutdown()
    }

    @Test(arguments: TestBackend.available)
    func wrongPasswordsLockTheUserUntilTheBankUnlocks(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let key = try await ca.addUser()
        let (code, _) = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        let csr = try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder())
        let enroll = { (password: String) in
            _ = try await ca.registration.issueCertificate(for: key, password: password, activationCode: code, csr: csr, medium: .pc)
        }
        await #expect(throws: ShomeiError.passwordWrong(remainingAttempts: 4)) { try await enroll("wrong-1") }
        // A right password resets the count.
        _ = try await ca.registration.issueActivationCode(for: key, actor: "operator:t")
        await #expect(throws: ShomeiError.activationCodeWrong(remainingAttempts: 4)) { try await enroll(TestCA.password) }
        for remaining in [4, 3, 2, 1] {
            await #expect(throws: ShomeiError.passwordWrong(remainingAttempts: remaining)) { try await enroll("wrong") }
        }
        await #expect(throws: ShomeiError.userLocked(key)) { try await enroll("wrong") }
        #expect(try await ca.store.read { try await $0.user(key) }?.status == .locked)
        // Locked: even the right password is refused, and nothing was issued.
        await #expect(throws: ShomeiError.userLocked(key)) { try await enroll(TestCA.password) }
        #expect(try await ca.store.read { try await $0.certificates(of: nil) }.isEmpty)
        try await ca.registration.unlockUser(key, actor: "operator:t")
        await #expect(throws: ShomeiError.userNotLocked(key)) { try await ca.registration.unlockUser(key, actor: "operator:t") }
        await #expect(throws: ShomeiError.passwordWrong(remainingAttempts: 4)) { try await enroll("wrong") }
        let audit = try await ca.store.read { try await $0.auditEvents(after: 0, limit: 100) }.map(\.action)
        #expect(audit.filter { $0 == .passwordFailed }.count == 7 && audit.contains(.userLocked) && audit.contains(.userUnlocked))
    }
}

/// Switching a contract between ID・パスワード方式 and 電子証明書方式 (seed 004 §2(4)).
@Suite struct LoginMethodTests {
    @Test(arguments: TestBackend.available)
    func switchingToCertificatesEndsPasswordLoginAndIsAuditedOnce(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let contract = try ContractID("PWONLY1")
        _ = try await ca.registration.addContract(id: contract, name: "株式会社パスワード", loginMethod: .password, actor: "operator:t")
        let key = try await ca.addUser(contract: "PWONLY1", user: "U1")
        #expect(try await ca.registration.logIn(user: key, password: TestCA.password).user.key == key)

        let switched = try await ca.registration.changeLoginMethod(of: contract, to: .certificate, actor: "operator:t")
        #expect(switched.loginMethod == .certificate)
        #expect(try await ca.store.read { try await $0.contract(contract) }?.loginMethod == .certificate)
        await #expect(throws: ShomeiError.certificateLoginRequired) {
            _ = try await ca.registration.logIn(user: key, password: TestCA.password)
        }
        // The same method again: nothing changes, nothing more is audited.
        _ = try await ca.registration.changeLoginMethod(of: contract, to: .certificate, actor: "operator:t")
        let changes = try await ca.store.read {
            try await $0.auditEvents(action: .contractLoginMethodChanged, target: "contract:PWONLY1", before: nil, limit: 10)
        }
        #expect(changes.count == 1 && changes.first?.details == ["from": "password", "to": "certificate"], "\(changes)")

        _ = try await ca.registration.changeLoginMethod(of: contract, to: .password, actor: "operator:t")
        #expect(try await ca.registration.logIn(user: key, password: TestCA.password).user.key == key)
        await #expect(throws: ShomeiError.contractNotFound(try ContractID("NOSUCH"))) {
            _ = try await ca.registration.changeLoginMethod(of: try ContractID("NOSUCH"), to: .password, actor: "operator:t")
        }
    }
}

/// 確認用パスワード: set by the bank, apart from the login password, with its own count and lock.
@Suite struct ConfirmationPasswordTests {
    @Test(arguments: TestBackend.available)
    func itsOwnSecretCountedAndLockedApartFromTheLogin(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let master = try await ca.addUser(user: "M1", role: .master)
        let general = try await ca.addUser(user: "G1", role: .general)
        let ra = ca.registration
        await #expect(throws: ShomeiError.administrationRefused(.notAdministrator)) {
            _ = try await ra.setConfirmationPassword("confirm-pass-2026", for: general, actor: "operator:t")
        }
        await #expect(throws: ShomeiError.confirmationPasswordSameAsLogin) {
            _ = try await ra.setConfirmationPassword(TestCA.password, for: master, actor: "operator:t")
        }
        await #expect(throws: ShomeiError.confirmationPasswordNotSet) {
            _ = try await ra.checkConfirmationPassword("confirm-pass-2026", of: master)
        }
        #expect(try await ra.setConfirmationPassword("confirm-pass-2026", for: master, actor: "operator:t") == nil)
        #expect(try await ra.checkConfirmationPassword("confirm-pass-2026", of: master).key == master)

        for remaining in [4, 3, 2, 1] {
            await #expect(throws: ShomeiError.confirmationPasswordWrong(remainingAttempts: remaining)) {
                _ = try await ra.checkConfirmationPassword("wrong", of: master)
            }
        }
        await #expect(throws: ShomeiError.confirmationPasswordLocked) { _ = try await ra.checkConfirmationPassword("wrong", of: master) }
        await #expect(throws: ShomeiError.confirmationPasswordLocked) {
            _ = try await ra.checkConfirmationPassword("confirm-pass-2026", of: master)
        }
        // The user (and the login password) is not locked by it.
        #expect(try await ca.store.read { try await $0.user(master) }?.status == .active)
        // The bank sets it again: unlocked, counted from zero, the new one works.
        let generated = try #require(try await ra.setConfirmationPassword(nil, for: master, actor: "operator:t"))
        #expect(generated.count == 16)
        await #expect(throws: ShomeiError.confirmationPasswordWrong(remainingAttempts: 4)) {
            _ = try await ra.checkConfirmationPassword("confirm-pass-2026", of: master)
        }
        #expect(try await ra.checkConfirmationPassword(generated, of: master).key == master)
        let audit = try await ca.store.read { try await $0.auditEvents(after: 0, limit: 500) }.map(\.action)
        #expect(audit.filter { $0 == .confirmationPasswordSet }.count == 2)
        #expect(audit.filter { $0 == .confirmationPasswordFailed }.count == 6)
        #expect(audit.filter { $0 == .confirmationPasswordLocked }.count == 1)
        let stored = try #require(try await ca.store.read { try await $0.confirmationPassword(of: master) })
        #expect(stored.hash.hasPrefix("$2") && !stored.hash.contains(generated) && stored.lockedAt == nil && stored.failedAttempts == 0)
    }
}

/// 証明書失効 from the 管理 menu, at the RA: refusals before the 確認用パスワード is counted, and
/// a right password whose action fails gives its try back.
@Suite struct AdministratorRevocationTests {
    @Test(arguments: TestBackend.available)
    func refusedBeforeCountingAndARightPasswordIsNeverCountedAgainstItsHolder(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let master = try await ca.addUser(user: "M1", role: .master)
        let general = try await ca.addUser(user: "G1", role: .general)
        let ra = ca.registration
        let issued = try await ra.issueCertificate(for: general, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "t")
        _ = try await ra.setConfirmationPassword("confirm-pass-2026", for: master, actor: "operator:t")
        let actor = try #require(try await ca.store.read { try await $0.user(master) })
        let store = ca.store
        /// The target as a confirmation page would show it now.
        func stamp(_ key: UserKey) async throws -> String {
            guard let (user, status) = try await ra.administeredUser(key, by: actor) else { return "" }
            return RegistrationAuthority.administrationStamp(of: user, certificate: status.certificate)
        }
        func tries() async throws -> Int? {
            let record = try await store.read { reader in try await reader.confirmationPassword(of: master) }
            return record?.failedAttempts
        }

        await #expect(throws: ShomeiError.revocationReasonNotOffered(.caCompromise)) {
            _ = try await ra.administer(.revokeCertificate(serial: issued.record.serial, reason: .caCompromise), on: general,
                by: actor, confirmationPassword: "x", stamp: try await stamp(general))
        }
        await #expect(throws: ShomeiError.formFieldMissing("confirmationPassword")) {
            _ = try await ra.administer(.revokeCertificate(serial: issued.record.serial, reason: .keyCompromise), on: general,
                by: actor, confirmationPassword: "", stamp: try await stamp(general))
        }
        await #expect(throws: ShomeiError.administrationRefused(.ownAccount)) {
            _ = try await ra.administer(.revokeCertificate(serial: issued.record.serial, reason: .keyCompromise), on: master,
                by: actor, confirmationPassword: "confirm-pass-2026", stamp: try await stamp(master))
        }
        #expect(try await tries() == 0)
        // Right password, but the serial is not the target's (a stale or forged form).
        await #expect(throws: ShomeiError.certificateNotFound("00ff")) {
            _ = try await ra.administer(.revokeCertificate(serial: "00FF", reason: .keyCompromise), on: general,
                by: actor, confirmationPassword: "confirm-pass-2026", stamp: try await stamp(general))
        }
        #expect(try await tries() == 0, "a right password whose action failed is not counted")
        // The bank turns immediate revocation off for this contract only: refused before counting.
        let off = AdministrationSwitches(immediateRevocation: false, reissue: true, userRegistration: true)
        #expect(try await ra.setAdministration(of: general.contractID, to: off, actor: "api:t").administration == off)
        #expect(try await ra.administeredUsers(by: actor).policy.immediateRevocation == false)
        await #expect(throws: ShomeiError.administrationRefused(.notOffered)) {
            _ = try await ra.administer(.revokeCertificate(serial: issued.record.serial, reason: .keyCompromise), on: general,
                by: actor, confirmationPassword: "wrong-but-not-counted", stamp: try await stamp(general))
        }
        #expect(try await tries() == 0)
        #expect(try await ra.setAdministration(of: general.contractID, to: nil, actor: "api:t").administration == nil)
        let revoked = try await ra.administer(.revokeCertificate(serial: issued.record.serial, reason: .keyCompromise), on: general,
                by: actor, confirmationPassword: "confirm-pass-2026", stamp: try await stamp(general))
        #expect(revoked.revoked?.revocation?.reason == .keyCompromise)
        await #expect(throws: ShomeiError.certificateAlreadyRevoked(issued.record.serial)) {
            _ = try await ra.administer(.revokeCertificate(serial: issued.record.serial, reason: .keyCompromise), on: general,
                by: actor, confirmationPassword: "confirm-pass-2026", stamp: try await stamp(general))
        }
        #expect(try await tries() == 0)
    }
}

/// The lock of a 確認用パスワード applies only to the password the tries were counted against.
@Suite struct ConfirmationPasswordResetTests {
    @Test(arguments: TestBackend.available)
    func aTryAgainstTheOldPasswordDoesNotLockTheOneTheBankSetSince(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let master = try await ca.addUser(user: "M1", role: .master)
        _ = try await ca.registration.setConfirmationPassword("confirm-pass-2026", for: master, actor: "operator:t")
        for _ in 0..<5 { _ = try await ca.store.write { try await $0.takeConfirmationTry(of: master) } }
        // The bank sets it again while the fifth wrong try is being checked.
        _ = try await ca.registration.setConfirmationPassword("another-pass-2026", for: master, actor: "operator:t")
        #expect(try await ca.store.write { try await $0.lockConfirmationPassword(of: master, at: Date(), ifTriesAtLeast: 5) } == false)
        #expect(try await ca.store.read { try await $0.confirmationPassword(of: master) }?.lockedAt == nil)
        #expect(try await ca.registration.checkConfirmationPassword("another-pass-2026", of: master).key == master)
        // With the count still there, the same call locks.
        for _ in 0..<5 { _ = try await ca.store.write { try await $0.takeConfirmationTry(of: master) } }
        #expect(try await ca.store.write { try await $0.lockConfirmationPassword(of: master, at: Date(), ifTriesAtLeast: 5) })
        await #expect(throws: ShomeiError.confirmationPasswordLocked) {
            _ = try await ca.registration.checkConfirmationPassword("another-pass-2026", of: master)
        }
    }
}
