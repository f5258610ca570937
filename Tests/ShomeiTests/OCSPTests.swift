import Foundation
import ShomeiDomain
@testable import ShomeiPKI
import ShomeiRevocation
import ShomeiStorage
import Testing
import X509

@Suite struct OCSPTests {
    /// A CA with three users: one good, one revoked (keyCompromise), and files for openssl.
    struct Fixture {
        let ca: TestCA
        let folder = TemporaryFolder()
        let good: String
        let revoked: String
        let revokedSerial: String
        let root: String
        let issuing: String

        init(_ backend: TestBackend) async throws {
            ca = try await TestCA(store: try await backend.makeStore())
            let alice = try await ca.addUser(user: "alice"), bob = try await ca.addUser(user: "bob")
            let a = try await ca.registration.issueCertificate(for: alice, csr: try OpenSSL.csr(OpenSSL.p256, in: folder), medium: .pc, actor: "t")
            let b = try await ca.registration.issueCertificate(for: bob, csr: try OpenSSL.csr(OpenSSL.p256, in: folder), medium: .pc, actor: "t")
            good = folder.file("good.pem").path
            revoked = folder.file("revoked.pem").path
            try Data(try a.certificate.pemString.utf8).write(to: URL(fileURLWithPath: good))
            try Data(try b.certificate.pemString.utf8).write(to: URL(fileURLWithPath: revoked))
            revokedSerial = b.record.serial
            _ = try await ca.registration.revokeCertificate(serial: b.record.serial, reason: .keyCompromise, actor: "t")
            (root, issuing) = try ca.writePEMs(to: folder)
        }

        /// openssl builds the request (`-reqout`), our responder answers, openssl reads the answer.
        func ask(_ responder: OCSPResponder, cert: String, extra: [String] = ["-no_nonce"]) async throws -> (text: String, der: [UInt8]) {
            let request = folder.file("req-\(UUID().uuidString).der").path
            let made = try run(["openssl", "ocsp"] + extra + ["-issuer", issuing, "-cert", cert, "-reqout", request])
            #expect(made.status == 0, "\(made.stderr)")
            let der = await responder.respond(to: Array(try Data(contentsOf: URL(fileURLWithPath: request))))
            let response = folder.file("resp-\(UUID().uuidString).der").path
            try Data(der).write(to: URL(fileURLWithPath: response))
            // With a nonce, openssl checks it against the original request (`-reqin`); given
            // -issuer/-cert it would build a new request with a new nonce instead.
            let subject = extra.contains("-nonce") ? ["-reqin", request] : ["-issuer", issuing, "-cert", cert]
            let read = try run(["openssl", "ocsp", "-respin", response, "-CAfile", root, "-verify_other", issuing, "-resp_text"] + subject)
            return (read.stdout + read.stderr, der)
        }
    }

    @Test(arguments: TestBackend.available)
    func opensslReadsGoodRevokedAndNonce(_ backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        let responder = try await OCSPResponder(records: RevocationRecords(store: fixture.ca.store), issuer: fixture.ca.hierarchy.issuing, issuerKey: fixture.ca.hierarchy.issuingKey)
        let good = try await fixture.ask(responder, cert: fixture.good)
        #expect(good.text.contains("Response verify OK") && good.text.contains(": good"), "\(good.text)")
        #expect(good.text.contains("OCSP Signing") && good.text.contains("OCSP No Check"))
        let revoked = try await fixture.ask(responder, cert: fixture.revoked)
        #expect(revoked.text.contains(": revoked") && revoked.text.contains("Reason: keyCompromise"), "\(revoked.text)")
        let withNonce = try await fixture.ask(responder, cert: fixture.good, extra: ["-nonce"])
        #expect(withNonce.text.contains("Response verify OK") && withNonce.text.contains("OCSP Nonce"), "\(withNonce.text)")
        #expect(!withNonce.text.contains("WARNING: no nonce"))
        let sha256 = try await fixture.ask(responder, cert: fixture.revoked, extra: ["-no_nonce", "-sha256"])
        #expect(sha256.text.contains(": revoked") && sha256.text.contains("Hash Algorithm: sha256"), "\(sha256.text)")
        let python = try run(["python3", "-c", """
            import sys
            from cryptography.x509 import ocsp
            r = ocsp.load_der_ocsp_response(bytes.fromhex(sys.argv[1]))
            print(r.response_status.name, r.certificate_status.name, r.revocation_reason.name, format(r.serial_number, '032x'))
            """, revoked.der.hexEncoded])
        #expect(python.stdout.trimmingCharacters(in: .newlines) == "SUCCESSFUL REVOKED key_compromise \(fixture.revokedSerial)", "\(python.stderr)")
        try await fixture.ca.store.shutdown()
    }

    @Test func cachedGoodAnswerTurnsRevokedOnceTheRevisionMoves() async throws {
        let fixture = try await Fixture(.sqlite)
        let responder = try await OCSPResponder(records: RevocationRecords(store: fixture.ca.store), issuer: fixture.ca.hierarchy.issuing, issuerKey: fixture.ca.hierarchy.issuingKey)
        let first = try await fixture.ask(responder, cert: fixture.good)
        let second = try await fixture.ask(responder, cert: fixture.good)
        #expect(first.der == second.der, "the second answer comes from the cache")
        let serial = try Certificate(pemEncoded: String(contentsOfFile: fixture.good, encoding: .utf8)).serialHex
        // The RA tells the responder through its observer before the revocation returns: no poll needed.
        _ = try await fixture.ca.registration(observedBy: responder).revokeCertificate(serial: serial, reason: .affiliationChanged, actor: "t")
        let after = try await fixture.ask(responder, cert: fixture.good)
        #expect(after.text.contains(": revoked") && after.text.contains("affiliationChanged"), "\(after.text)")
        try await fixture.ca.store.shutdown()
    }

    @Test func keptAnswersAreOnlyNoncelessOnesOfTheCurrentGeneration() async throws {
        let fixture = try await Fixture(.sqlite)
        let responder = try await OCSPResponder(records: RevocationRecords(store: fixture.ca.store), issuer: fixture.ca.hierarchy.issuing, issuerKey: fixture.ca.hierarchy.issuingKey)
        func request(_ extra: [String]) throws -> [UInt8] {
            let file = fixture.folder.file("fast-\(UUID().uuidString).der").path
            try run(["openssl", "ocsp"] + extra + ["-issuer", fixture.issuing, "-cert", fixture.good, "-reqout", file])
            return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        }
        let plain = try request(["-no_nonce"]), withNonce = try request(["-nonce"])
        let first = await responder.answer(to: plain)
        #expect(responder.isCurrent(first))
        #expect(await responder.answer(to: plain).der == first.der, "the second answer comes from the cache")
        #expect(!responder.isCurrent(await responder.answer(to: withNonce)), "a nonce asks for a fresh signature every time")
        #expect(!responder.isCurrent(await responder.answer(to: Array("garbage".utf8))), "an error is not kept")
        let serial = try Certificate(pemEncoded: String(contentsOfFile: fixture.good, encoding: .utf8)).serialHex
        _ = try await fixture.ca.registration(observedBy: responder).revokeCertificate(serial: serial, reason: .superseded, actor: "t")
        #expect(!responder.isCurrent(first), "a revocation ends every kept answer before it is reported")
        #expect(await responder.answer(to: plain).der != first.der)
        try await fixture.ca.store.shutdown()
    }

    @Test func errorsAreOCSPStatusesNeverCrashes() async throws {
        let fixture = try await Fixture(.sqlite)
        let responder = try await OCSPResponder(records: RevocationRecords(store: fixture.ca.store), issuer: fixture.ca.hierarchy.issuing, issuerKey: fixture.ca.hierarchy.issuingKey)
        #expect(await responder.respond(to: []) == OCSPResponse.error(.malformedRequest))
        #expect(await responder.respond(to: Array("garbage".utf8)) == OCSPResponse.error(.malformedRequest))
        // A CertID for another issuer is not ours to answer.
        let other = try await TestCA(store: fixture.ca.store)
        let otherIssuing = try other.writePEMs(to: TemporaryFolder()).issuing
        let request = fixture.folder.file("other.der").path
        try run(["openssl", "ocsp", "-issuer", otherIssuing, "-serial", "0x1234", "-reqout", request, "-no_nonce"])
        #expect(await responder.respond(to: Array(try Data(contentsOf: URL(fileURLWithPath: request)))) == OCSPResponse.error(.unauthorized))

        // Property: truncations and random mutations of a real request never crash; what decodes
        // is answered, what does not is malformedRequest or unauthorized.
        let valid = fixture.folder.file("valid.der").path
        try run(["openssl", "ocsp", "-issuer", fixture.issuing, "-cert", fixture.good, "-reqout", valid])
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: valid)))
        var generator = SystemRandomNumberGenerator()
        for length in 0..<original.count {
            let answer = await responder.respond(to: Array(original[..<length]))
            #expect(answer == OCSPResponse.error(.malformedRequest))
        }
        for _ in 0..<2000 {
            var mutated = original
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            let answer = await responder.respond(to: mutated)
            #expect(answer.count > 4, "an OCSP response, successful or error")
            let random = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(await responder.respond(to: random).count >= 5)
        }
        try await fixture.ca.store.shutdown()
    }
}
