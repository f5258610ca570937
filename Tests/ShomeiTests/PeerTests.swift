import Foundation
import ShomeiDomain
import ShomeiPKI
import Testing

/// What Shomei emits, checked by real peers: openssl and Python `cryptography`.
@Suite struct PeerTests {
    /// A bank's certificate policy OID, as `shomei init --policy-oid` sets it; without one the
    /// certificates carry no certificatePolicies extension (no placeholder OID).
    static let bankPolicy: String? = "1.3.6.1.4.1.59999.1.1"

    @Test(arguments: [(CAKeyAlgorithm.p256, OpenSSL.p256, bankPolicy), (.rsa2048, OpenSSL.rsa2048, nil), (.p384, OpenSSL.p384, bankPolicy)] as [(CAKeyAlgorithm, [String], String?)])
    func opensslPythonAndPkilintAcceptIssuedCertificates(_ caKey: CAKeyAlgorithm, _ clientKey: [String], _ policyOID: String?) async throws {
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore(), issuingKey: caKey, policyOID: policyOID)
        let key = try await ca.addUser()
        let folder = TemporaryFolder()
        let issued = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(clientKey, in: folder), medium: .pc, actor: "t")
        let (root, issuing) = try ca.writePEMs(to: folder)
        let leaf = folder.file("leaf.pem").path
        try Data(try issued.certificate.pemString.utf8).write(to: URL(fileURLWithPath: leaf))

        let verify = try run(["openssl", "verify", "-purpose", "sslclient", "-CAfile", root, "-untrusted", issuing, leaf])
        #expect(verify.status == 0 && verify.stdout.contains("OK"), "\(verify.stdout)\(verify.stderr)")
        let wrongRoot = try await TestCA(store: ca.store)
        let other = try wrongRoot.writePEMs(to: TemporaryFolder())
        #expect(try run(["openssl", "verify", "-CAfile", other.root, "-untrusted", issuing, leaf]).status != 0)

        let text = try run(["openssl", "x509", "-in", leaf, "-noout", "-text"]).stdout
        for expected in [
            "CA:FALSE", "TLS Web Client Authentication", "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier",
            "URI:http://127.0.0.1:8080/crl/issuing.crl", "OCSP - URI:http://127.0.0.1:8080/ocsp",
            "CA Issuers - URI:http://127.0.0.1:8080/ca/issuing.der",
            "Subject: C = JP, O = Test Bank, OU = Test Issuing CA, CN = TKYM1408054 1403",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(!text.contains("attacker-chosen"))
        #expect(text.contains("Certificate Policies") == (policyOID != nil))
        if let policyOID { #expect(text.contains("Policy: \(policyOID)")) }

        let python = try run(["python3", "-c", Self.pythonCheck, leaf, issuing, policyOID ?? ""])
        #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
        #expect(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == issued.record.serial)
        // pkilint (RFC 5280 linter): no fatal finding and no error.
        if (try? run(["lint_pkix_cert", "validations"]))?.status == 0 {
            let lint = try run(["lint_pkix_cert", "lint", "-s", "ERROR", leaf])
            #expect(lint.status == 0 && !lint.stdout.contains("FATAL") && !lint.stdout.contains("(ERROR)"), "\(lint.stdout)\(lint.stderr)")
        } else {
            print("NOTE: pkilint missing (pip install pkilint): the certificate is not linted")
        }
        try await ca.store.shutdown()
    }

    /// Loads the certificate with `cryptography`, checks the extensions and the issuer's signature,
    /// and prints the serial in hex for the test to compare.
    static let pythonCheck = """
        import sys
        from cryptography import x509
        from cryptography.x509.oid import ExtendedKeyUsageOID, AuthorityInformationAccessOID
        leaf = x509.load_pem_x509_certificate(open(sys.argv[1], 'rb').read())
        issuer = x509.load_pem_x509_certificate(open(sys.argv[2], 'rb').read())
        leaf.verify_directly_issued_by(issuer)
        ext = leaf.extensions
        assert ext.get_extension_for_class(x509.BasicConstraints).value.ca is False
        assert ext.get_extension_for_class(x509.BasicConstraints).critical
        assert ext.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
        ski = ext.get_extension_for_class(x509.SubjectKeyIdentifier).value
        assert ski == x509.SubjectKeyIdentifier.from_public_key(leaf.public_key()), 'SKI is not RFC 5280 method 1'
        aki = ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        assert aki.key_identifier == issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        crl = ext.get_extension_for_class(x509.CRLDistributionPoints).value
        assert crl[0].full_name[0].value == 'http://127.0.0.1:8080/crl/issuing.crl'
        aia = {d.access_method: d.access_location.value for d in ext.get_extension_for_class(x509.AuthorityInformationAccess).value}
        assert aia[AuthorityInformationAccessOID.OCSP] == 'http://127.0.0.1:8080/ocsp'
        if sys.argv[3]:
            assert ext.get_extension_for_class(x509.CertificatePolicies).value[0].policy_identifier.dotted_string == sys.argv[3]
        else:
            assert not any(isinstance(e.value, x509.CertificatePolicies) for e in ext)
        assert leaf.serial_number.bit_length() > 64
        print(format(leaf.serial_number, '032x'))
        """
}
