import Foundation
import Prometheus
import ShomeiDomain
import ShomeiRA
import ShomeiWeb
import Testing

/// Issuances, revocations and logins counted by outcome through a Prometheus registry, as
/// `shomei serve` wires it: each success and each refusal once, by the refusal's name.
@Suite struct OutcomeMetricsTests {
    @Test(arguments: TestBackend.available)
    func outcomesAreCountedOnceEachBySuccessOrRefusal(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let registry = PrometheusCollectorRegistry()
        let outcomes = OutcomeCounters(factory: DescribedMetricsFactory(registry: registry, help: OutcomeCounters.help))
        let registration = ca.registration(outcomes: outcomes)
        let key = try await ca.addUser()
        let folder = TemporaryFolder()

        let csr = try OpenSSL.csr(OpenSSL.p256, in: folder)
        let first = try await registration.issueCertificate(for: key, csr: csr, medium: .pc, actor: "operator:t")
        await #expect(throws: ShomeiError.keyReused) {
            _ = try await registration.issueCertificate(for: key, csr: csr, medium: .pc, actor: "operator:t")
        }
        let second = try await registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: folder, name: "second"), medium: .pc, actor: "operator:t")
        #expect(second.superseded?.serial == first.record.serial)

        await #expect(throws: ShomeiError.loginPasswordWrong(remainingAttempts: 4)) {
            _ = try await registration.logIn(presenting: second.certificate, password: "wrong password")
        }
        _ = try await registration.logIn(presenting: second.certificate, password: TestCA.password)
        await #expect(throws: ShomeiError.certificateLoginRequired) {
            _ = try await registration.logIn(user: key, password: TestCA.password)
        }

        _ = try await registration.revokeCertificate(serial: second.record.serial, reason: .keyCompromise, actor: "operator:t")
        await #expect(throws: ShomeiError.certificateAlreadyRevoked(second.record.serial)) {
            _ = try await registration.revokeCertificate(serial: second.record.serial, reason: .keyCompromise, actor: "operator:t")
        }

        let staff = StaffAuthority(store: ca.store, policy: SessionPolicy(), hasher: ca.hasher, outcomes: outcomes)
        _ = try await staff.add(id: "op1", name: "op1", role: .operator, password: "s3cret-password", actor: "t")
        await #expect(throws: ShomeiError.staffLoginFailed) { _ = try await staff.logIn(id: "op1", password: "wrong") }
        await #expect(throws: ShomeiError.staffLoginFailed) { _ = try await staff.logIn(id: "nobody", password: "wrong") }
        _ = try await staff.logIn(id: "op1", password: "s3cret-password")

        let exposition = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        let samples = MonitoringTests.samples(exposition)
        let expected: [String: Double] = [
            #"shomei_issuances_total{kind="issued",outcome="success"}"#: 2,
            #"shomei_issuances_total{kind="issued",outcome="keyReused"}"#: 1,
            #"shomei_revocations_total{reason="superseded",outcome="success"}"#: 1,
            #"shomei_revocations_total{reason="keyCompromise",outcome="success"}"#: 1,
            #"shomei_revocations_total{reason="keyCompromise",outcome="certificateAlreadyRevoked"}"#: 1,
            #"shomei_logins_total{surface="portal",outcome="loginPasswordWrong"}"#: 1,
            #"shomei_logins_total{surface="portal",outcome="certificateLoginRequired"}"#: 1,
            #"shomei_logins_total{surface="portal",outcome="success"}"#: 1,
            #"shomei_logins_total{surface="console",outcome="staffLoginFailed"}"#: 2,
            #"shomei_logins_total{surface="console",outcome="success"}"#: 1,
        ]
        for (sample, value) in expected { #expect(samples[sample] == value, "\(sample) in\n\(exposition)") }
        #expect(samples.keys.filter { $0.hasPrefix("shomei_") }.count == expected.count, "\(exposition)")
        try MonitoringTests.expectPromtoolAccepts(exposition, in: folder)
    }

    /// The label is the case's name alone, whatever the case carries.
    @Test func aRefusalIsNamedByItsCase() {
        #expect(ShomeiError.passwordWrong(remainingAttempts: 3).name == "passwordWrong")
        #expect(ShomeiError.keyReused.name == "keyReused")
        #expect(ShomeiError.renewalNotAllowed(.valid).name == "renewalNotAllowed")
        #expect(ShomeiError.applicationInvalid([]).name == "applicationInvalid")
    }
}
