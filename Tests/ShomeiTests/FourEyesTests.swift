import Foundation
import ShomeiDomain
import ShomeiRA
import ShomeiStorage
import Testing

/// Four-eyes direct actions on both databases: an operator requests, a different approver
/// approves, and only then the certificate is revoked or the activation code issued.
@Suite struct FourEyesTests {
    @Test(arguments: TestBackend.available)
    func requestApproveRejectAndTheRulesOfWhoMay(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let staff = StaffAuthority(store: ca.store, policy: SessionPolicy(), hasher: SecretHasher(passwordCost: 4, codeCost: 4))
        var accounts: [String: Staff] = [:]
        for (id, role) in [("op1", Staff.Role.operator), ("ap1", .approver), ("ap2", .approver), ("aud1", .auditor)] {
            accounts[id] = try await staff.add(id: id, name: id, role: role, password: "s3cret-password", actor: "operator:t").0
        }
        let desk = FourEyesDesk(registration: ca.registration)
        let key = try await ca.addUser()
        let issued = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "operator:t")
        let serial = issued.record.serial

        // Who may ask: not an auditor; the request must be possible now and give a reason.
        await #expect(throws: ShomeiError.staffNotPermitted) {
            _ = try await desk.request(.revokeNow(serial: serial, reason: .keyCompromise), reason: "盗難", by: accounts["aud1"]!)
        }
        await #expect(throws: ShomeiError.certificateNotFound("00")) {
            _ = try await desk.request(.revokeNow(serial: "00", reason: .keyCompromise), reason: "盗難", by: accounts["op1"]!)
        }
        await #expect(throws: ShomeiError.reacquisitionNotAllowed(.valid)) {
            _ = try await desk.request(.reissue(user: key), reason: "期限切れ", by: accounts["op1"]!)
        }
        let request = try await desk.request(.revokeNow(serial: serial, reason: .keyCompromise), reason: "PC盗難の電話連絡", by: accounts["op1"]!)
        #expect(request.status == .pending)
        #expect(try await ca.store.read { try await $0.validCertificate(of: key) } != nil, "nothing happens on request")

        // Who may approve: an approver other than the requester.
        await #expect(throws: ShomeiError.staffNotPermitted) { _ = try await desk.approve(id: request.id, by: accounts["aud1"]!) }
        let selfApproval = try await staff.add(id: "ap9", name: "ap9", role: .approver, password: "s3cret-password", actor: "t").0
        let own = try await desk.request(.revokeNow(serial: serial, reason: .keyCompromise), reason: "再度", by: selfApproval)
        await #expect(throws: ShomeiError.fourEyesSamePerson) { _ = try await desk.approve(id: own.id, by: selfApproval) }
        #expect(try await desk.reject(id: own.id, by: accounts["ap2"]!).status == .rejected)

        let approved = try await desk.approve(id: request.id, by: accounts["ap1"]!)
        #expect(approved.action.status == .approved && approved.action.decidedBy == "ap1" && approved.activationCode == nil)
        let record = try await ca.store.read { try await $0.certificate(serial: serial) }
        #expect(record?.revocation?.reason == .keyCompromise)
        await #expect(throws: ShomeiError.directActionDecided) { _ = try await desk.approve(id: request.id, by: accounts["ap2"]!) }

        // Re-issue for the now revoked user: the approver gets a code the user can redeem.
        let reissue = try await desk.request(.reissue(user: key), reason: "再発行依頼書受付", by: accounts["op1"]!)
        let code = try #require(try await desk.approve(id: reissue.id, by: accounts["ap2"]!).activationCode?.code)
        let again = try await ca.registration.issueCertificate(
            for: key, password: TestCA.password, activationCode: code, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc)
        #expect(again.record.revocation == nil)

        let audit = try await ca.store.read { try await $0.auditEvents(after: 0, limit: 1000) }
        #expect(audit.filter { $0.action == .directActionApproved }.map(\.actor) == ["staff:ap1", "staff:ap2"])
        #expect(audit.contains { $0.action == .certificateRevoked && $0.actor == "staff:ap1" })
        #expect(try await ca.store.read { try await $0.directActions(status: .pending, limit: 10) }.isEmpty)
        try await ca.store.shutdown()
    }
}
