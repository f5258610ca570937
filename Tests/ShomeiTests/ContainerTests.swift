import Crypto
import Foundation
import ShomeiDomain
import ShomeiPKI
import Testing
import X509

/// PKCS#7 certs-only and PKCS#12, checked by the peers that import them: openssl and Python
/// `cryptography`.
@Suite struct ContainerTests {
    /// A client key made by openssl, its certificate from a test CA, and the PKCS#8 DER of the key.
    static func clientCredential(_ keyArguments: [String], in folder: TemporaryFolder) async throws
        -> (pkcs8: [UInt8], chain: [Certificate], ca: TestCA) {
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore())
        let key = try await ca.addUser()
        let issued = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(keyArguments, in: folder), medium: .pc, actor: "operator:t")
        try run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", folder.file("req.key").path, "-outform", "DER",
                 "-out", folder.file("key.p8").path])
        return (Array(try Data(contentsOf: folder.file("key.p8"))), [issued.certificate, ca.hierarchy.issuing], ca)
    }

    @Test func certsOnlyPKCS7ReadsInOpenSSLAndPython() async throws {
        let folder = TemporaryFolder()
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore())
        let der = try CertsOnlyPKCS7.encode([ca.hierarchy.issuing, ca.hierarchy.root])
        try Data(der).write(to: folder.file("certs.p7"))
        let printed = try run(["openssl", "pkcs7", "-inform", "DER", "-in", folder.file("certs.p7").path, "-print_certs", "-noout"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("Test Issuing CA") && printed.stdout.contains("Test Root CA"))
        let python = try run(["python3", "-c", """
            import sys
            from cryptography.hazmat.primitives.serialization import pkcs7
            certs = pkcs7.load_der_pkcs7_certificates(open(sys.argv[1], 'rb').read())
            print(len(certs))
            """, folder.file("certs.p7").path])
        #expect(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "\(python.stderr)")
    }

    @Test(arguments: [OpenSSL.p256, OpenSSL.rsa2048])
    func pkcs12ImportsIntoOpenSSLAndPython(_ keyArguments: [String]) async throws {
        let folder = TemporaryFolder()
        let (pkcs8, chain, _) = try await Self.clientCredential(keyArguments, in: folder)
        let password = "パスワード-2026"
        let p12 = try PKCS12.encode(pkcs8: pkcs8, chain: chain, password: password, friendlyName: "TKYM140 8054",
                                    keyEncryption: .random(iterations: 10_000))
        try Data(p12).write(to: folder.file("user.p12"))

        // openssl checks the MAC (wrong password: refused) and decrypts the key.
        let opened = try run(["openssl", "pkcs12", "-in", folder.file("user.p12").path, "-passin", "pass:\(password)",
                              "-nodes", "-out", folder.file("out.pem").path])
        #expect(opened.status == 0, "\(opened.stderr)")
        let wrong = try run(["openssl", "pkcs12", "-in", folder.file("user.p12").path, "-passin", "pass:wrong", "-nodes"])
        #expect(wrong.status != 0 && wrong.stderr.lowercased().contains("mac"))
        let keyPub = try run(["openssl", "pkey", "-in", folder.file("out.pem").path, "-pubout"])
        let leafPub = try run(["openssl", "x509", "-in", folder.file("out.pem").path, "-pubkey", "-noout"])
        #expect(!keyPub.stdout.isEmpty && keyPub.stdout == leafPub.stdout, "the key in the file is the leaf's key")
        let pem = try String(contentsOf: folder.file("out.pem"), encoding: .utf8)
        #expect(pem.contains("friendlyName: TKYM140 8054") && pem.components(separatedBy: "BEGIN CERTIFICATE").count == 3)

        let python = try run(["python3", "-c", """
            import sys
            from cryptography.hazmat.primitives.serialization import pkcs12
            p12 = pkcs12.load_pkcs12(open(sys.argv[1], 'rb').read(), sys.argv[2].encode())
            print(p12.cert.friendly_name.decode(), len(p12.additional_certs),
                  p12.key.public_key().public_numbers() == p12.cert.certificate.public_key().public_numbers())
            """, folder.file("user.p12").path, password])
        #expect(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "TKYM140 8054 1 True", "\(python.stderr)")
    }

    static let nssAvailable = (try? run(["sh", "-c", "command -v pk12util && command -v certutil"]))?.status == 0

    @Test(.enabled(if: !nssAvailable))
    func nssSkipped() {
        print("NOTE: NSS import test SKIPPED: pk12util/certutil not found (bash .ci/run installs libnss3-tools).")
    }

    /// The browsers' store (Chrome and Firefox on Linux use NSS) imports the file with its key.
    @Test(.enabled(if: nssAvailable))
    func pkcs12ImportsIntoNSS() async throws {
        let folder = TemporaryFolder()
        let (pkcs8, chain, _) = try await Self.clientCredential(OpenSSL.rsa2048, in: folder)
        try Data(try PKCS12.encode(pkcs8: pkcs8, chain: chain, password: "p12-パス", friendlyName: "TKYM140 8054",
                                   keyEncryption: .random(iterations: 10_000))).write(to: folder.file("user.p12"))
        let db = "sql:" + folder.file("nssdb").path
        try FileManager.default.createDirectory(at: folder.file("nssdb"), withIntermediateDirectories: true)
        #expect(try run(["certutil", "-N", "-d", db, "--empty-password"]).status == 0)
        let imported = try run(["pk12util", "-i", folder.file("user.p12").path, "-d", db, "-W", "p12-パス"])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let keys = try run(["certutil", "-K", "-d", db])
        #expect(keys.stdout.contains("TKYM140 8054"), "\(keys.stdout)\(keys.stderr)")
        #expect(try run(["pk12util", "-i", folder.file("user.p12").path, "-d", db, "-W", "wrong"]).status != 0)
    }

    @Test func readsItsOwnAndOpenSSLsPKCS12AndRefusesAWrongPassword() async throws {
        let folder = TemporaryFolder()
        let (pkcs8, chain, _) = try await Self.clientCredential(OpenSSL.p256, in: folder)
        let ours = try PKCS12.encode(pkcs8: pkcs8, chain: chain, password: "pw-日本", friendlyName: "x",
                                     keyEncryption: .random(iterations: 2048))
        let read = try PKCS12.decode(ours, password: "pw-日本")
        #expect(read.pkcs8 == pkcs8 && read.certificates == chain)
        #expect(throws: ShomeiPKIError.decryptionFailed) { try PKCS12.decode(ours, password: "pw-日本!") }

        // OpenSSL 3's default -export: PBES2 AES-256 key and certificate bags, HMAC-SHA-256 MAC.
        try Data(try chain[1].pemString.utf8).write(to: folder.file("issuing.pem"))
        try Data(try chain[0].pemString.utf8).write(to: folder.file("leaf.pem"))
        let exported = try run(["openssl", "pkcs12", "-export", "-inkey", folder.file("req.key").path,
                                "-in", folder.file("leaf.pem").path, "-certfile", folder.file("issuing.pem").path,
                                "-passout", "pass:openssl-pw", "-out", folder.file("openssl.p12").path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let fromOpenSSL = try PKCS12.decode(Array(try Data(contentsOf: folder.file("openssl.p12"))), password: "openssl-pw")
        #expect(fromOpenSSL.certificates.count == 2 && fromOpenSSL.certificates.contains(chain[0]))
        let key = try P256.Signing.PrivateKey(derRepresentation: fromOpenSSL.pkcs8)
        #expect(Certificate.PublicKey(key.publicKey) == chain[0].publicKey)
    }

    /// Structures a damaged file can have that the random damage below only rarely hits: a MAC
    /// whose algorithm or DigestInfo has lost its elements (once an index out of range).
    @Test(arguments: [
        // PFX { 3, ContentInfo { data, [0] OCTET STRING "" }, MacData { DigestInfo { {}, "" }, "" } }
        [0x30, 0x1E, 0x02, 0x01, 0x03, 0x30, 0x0F, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x02, 0x04, 0x00,
         0x30, 0x08, 0x30, 0x04, 0x30, 0x00, 0x04, 0x00, 0x04, 0x00],
        // … MacData { DigestInfo { { sha256 } }, "" }: no digest
        [0x30, 0x27, 0x02, 0x01, 0x03, 0x30, 0x0F, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x02, 0x04, 0x00,
         0x30, 0x11, 0x30, 0x0D, 0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x00],
    ] as [[UInt8]])
    func aPKCS12WithElementsMissingIsMalformed(_ der: [UInt8]) {
        #expect(throws: ShomeiPKIError.self) { try PKCS12.decode(der, password: "pw") }
    }

    @Test func containerReadersNeverCrashOnDamagedInput() async throws {
        let folder = TemporaryFolder()
        let (pkcs8, chain, _) = try await Self.clientCredential(OpenSSL.p256, in: folder)
        let p12 = try PKCS12.encode(pkcs8: pkcs8, chain: chain, password: "pw", friendlyName: "x", keyEncryption: .random(iterations: 1000))
        let p7 = try CertsOnlyPKCS7.encode(chain)
        #expect(Set(try CertsOnlyPKCS7.certificates(in: p7)) == Set(chain))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<400 {
            var damaged = round.isMultiple(of: 2) ? p12 : p7
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if round.isMultiple(of: 5) { damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &generator))) }
            // Either a clean refusal or (for a harmless change) the same contents; never a crash.
            _ = try? PKCS12.decode(damaged, password: "pw")
            _ = try? CertsOnlyPKCS7.certificates(in: damaged)
        }
        // openssl's own certs-only bundle reads too.
        try Data((try chain.map { try $0.pemString }.joined(separator: "\n") + "\n").utf8).write(to: folder.file("chain.pem"))
        try run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", folder.file("chain.pem").path, "-outform", "DER",
                 "-out", folder.file("bundle.p7").path])
        #expect(Set(try CertsOnlyPKCS7.certificates(in: Array(try Data(contentsOf: folder.file("bundle.p7"))))) == Set(chain))
    }
}
