import Foundation
import ShomeiDomain
@testable import ShomeiPKI
import ShomeiRevocation
import ShomeiStorage
import Testing
import X509

@Suite struct CRLTests {
    /// Property: the integer date arithmetic agrees with Foundation for any second in 1950–2200.
    @Test func derTimeMatchesFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        var generator = SystemRandomNumberGenerator()
        let range = -631_152_000.0...7_258_118_400.0
        let samples = (0..<5000).map { _ in Date(timeIntervalSince1970: Double.random(in: range, using: &generator).rounded(.down)) }
            + [Date(timeIntervalSince1970: 2_524_607_999), Date(timeIntervalSince1970: 2_524_608_000), Date(timeIntervalSince1970: 951_782_400)]
        for date in samples {
            let expected = formatter.string(from: date)
            let (bytes, isUTC) = DERTime.text(date)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(isUTC == (expected < "2050"))
            #expect(text == (isUTC ? String(expected.dropFirst(2)) : expected), "\(date)")
        }
    }

    @Test(arguments: TestBackend.available)
    func opensslAndPythonAcceptTheCRLAndRejectRevokedCertificates(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let folder = TemporaryFolder()
        let alice = try await ca.addUser(user: "alice")
        let bob = try await ca.addUser(user: "bob")
        let carol = try await ca.addUser(user: "carol")
        let good = try await ca.registration.issueCertificate(for: alice, csr: try OpenSSL.csr(OpenSSL.p256, in: folder), medium: .pc, actor: "t")
        let stolen = try await ca.registration.issueCertificate(for: bob, csr: try OpenSSL.csr(OpenSSL.rsa2048, in: folder), medium: .pc, actor: "t")
        let vague = try await ca.registration.issueCertificate(for: carol, csr: try OpenSSL.csr(OpenSSL.p256, in: folder), medium: .pc, actor: "t")
        _ = try await ca.registration.revokeCertificate(serial: stolen.record.serial, reason: .keyCompromise, actor: "t")
        _ = try await ca.registration.revokeCertificate(serial: vague.record.serial, reason: .unspecified, actor: "t")

        let publisher = CRLPublisher(records: RevocationRecords(store: ca.store), issuer: ca.hierarchy.issuing, key: ca.hierarchy.issuingKey, policy: .init())
        let first = try await publisher.publish()
        let second = try await publisher.publish()
        #expect(second.number == first.number + 1 && second.entries == 2)

        let (root, issuing) = try ca.writePEMs(to: folder)
        let crl = folder.file("issuing.crl").path
        try Data(second.der).write(to: URL(fileURLWithPath: crl))
        let text = try run(["openssl", "crl", "-inform", "DER", "-in", crl, "-noout", "-text"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Version 2") && text.stdout.contains("X509v3 CRL Number"))
        #expect(text.stdout.uppercased().contains(stolen.record.serial.uppercased()))
        #expect(text.stdout.contains("Key Compromise"))
        #expect(!text.stdout.contains(good.record.serial.uppercased()))
        let signature = try run(["openssl", "crl", "-inform", "DER", "-in", crl, "-noout", "-CAfile", issuing])
        #expect(signature.stderr.contains("verify OK"), "\(signature.stderr)")

        let crlPEM = folder.file("issuing.crl.pem").path
        try run(["openssl", "crl", "-inform", "DER", "-in", crl, "-out", crlPEM])
        for (issued, shouldPass) in [(good, true), (stolen, false), (vague, false)] {
            let leaf = folder.file("\(issued.record.serial).pem").path
            try Data(try issued.certificate.pemString.utf8).write(to: URL(fileURLWithPath: leaf))
            let verdict = try run(["openssl", "verify", "-crl_check", "-CRLfile", crlPEM, "-CAfile", root, "-untrusted", issuing, leaf])
            #expect((verdict.status == 0) == shouldPass, "\(verdict.stdout)\(verdict.stderr)")
            if !shouldPass { #expect(verdict.stdout.contains("certificate revoked") || verdict.stderr.contains("certificate revoked")) }
        }

        let python = try run(["python3", "-c", """
            import sys
            from cryptography import x509
            crl = x509.load_der_x509_crl(open(sys.argv[1], 'rb').read())
            issuer = x509.load_pem_x509_certificate(open(sys.argv[2], 'rb').read())
            assert crl.is_signature_valid(issuer.public_key())
            assert crl.next_update_utc > crl.last_update_utc
            print('number', crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
            for entry in crl:
                reason = [e.value.reason.name for e in entry.extensions if isinstance(e.value, x509.CRLReason)]
                print(format(entry.serial_number, '032x'), reason[0] if reason else '-')
            """, crl, issuing])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(Set(python.stdout.split(separator: "\n")) == [
            "number \(second.number)", "\(stolen.record.serial) key_compromise", "\(vague.record.serial) -",
        ])
        try await ca.store.shutdown()
    }

    @Test func refreshFollowsTheRevocationRevision() async throws {
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore())
        let key = try await ca.addUser()
        let issued = try await ca.registration.issueCertificate(for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: TemporaryFolder()), medium: .pc, actor: "t")
        let publisher = CRLPublisher(records: RevocationRecords(store: ca.store), issuer: ca.hierarchy.issuing, key: ca.hierarchy.issuingKey, policy: .init())
        try await publisher.refreshIfNeeded()
        let before = try #require(publisher.current)
        try await publisher.refreshIfNeeded()
        #expect(publisher.current?.number == before.number, "no change, no new CRL")
        _ = try await ca.registration.revokeCertificate(serial: issued.record.serial, reason: .affiliationChanged, actor: "t")
        try await publisher.refreshIfNeeded()
        #expect(publisher.current?.number == before.number + 1 && publisher.current?.entries == 1)
        try await ca.store.shutdown()
    }
}
