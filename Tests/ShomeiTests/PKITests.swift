import Crypto
import Foundation
import ShomeiDomain
import ShomeiPKI
import SwiftASN1
import Testing
import X509

@Suite struct PKITests {
    @Test(arguments: CAKeyAlgorithm.allCases)
    func hierarchyChainsForEveryCAKeyAlgorithm(_ algorithm: CAKeyAlgorithm) async throws {
        let hierarchy = try CAHierarchy.create(
            .init(organization: "Bank", rootName: "Root", issuingName: "Issuing",
                  rootKeyAlgorithm: algorithm, issuingKeyAlgorithm: algorithm),
            now: Date())
        #expect(hierarchy.root.publicKey.isValidSignature(hierarchy.issuing.signature, for: hierarchy.issuing))
        #expect(hierarchy.root.publicKey.isValidSignature(hierarchy.root.signature, for: hierarchy.root))
        let constraints = try hierarchy.issuing.extensions.basicConstraints
        #expect(constraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try hierarchy.issuing.extensions.authorityKeyIdentifier?.keyIdentifier
                == hierarchy.root.extensions.subjectKeyIdentifier?.keyIdentifier)
        // And the private key survives PKCS#8 → sealed → opened.
        let sealed = try EncryptedPrivateKeyInfo(sealing: try #require(hierarchy.issuingKey.pkcs8DER), passphrase: "pw")
        let reopened = try CAPrivateKey(pkcs8DER: try EncryptedPrivateKeyInfo(pemEncoded: sealed.pemEncoded).open(passphrase: "pw"))
        #expect(reopened.algorithm == algorithm && reopened.publicKey == hierarchy.issuingKey.publicKey)
    }

    @Test func issuesFromOpenSSLCSRsWithTheProfile() async throws {
        let folder = TemporaryFolder()
        let ca = try await TestCA(store: try await TestBackend.sqlite.makeStore())
        for (arguments, type) in [(OpenSSL.rsa2048, ClientKeyType.rsa2048), (OpenSSL.p256, .p256), (OpenSSL.p384, .p384)] {
            let request = try VerifiedSigningRequest(pemOrDER: try OpenSSL.csr(arguments, in: folder))
            #expect(request.keyType == type)
            let key = UserKey(contractID: try ContractID("TKYM140"), userID: try UserID("8054"))
            let certificate = try ca.authority.issue(.init(
                request: request, subject: TestCA.template.subject(for: key), serial: SerialNumberGenerator.next(),
                notBefore: Date()))
            #expect(certificate.subject.description == "CN=TKYM1408054 1403,OU=Test Issuing CA,O=Test Bank,C=JP")
            #expect(certificate.publicKey == request.publicKey)
            #expect(ca.hierarchy.issuing.publicKey.isValidSignature(certificate.signature, for: certificate))
            let usage = try #require(try certificate.extensions.keyUsage)
            #expect(usage.digitalSignature && usage.keyEncipherment == type.allowsKeyEncipherment && !usage.keyCertSign)
            #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
            #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
            #expect(certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) == 365 * 86_400)
        }
    }

    @Test func serialsAre16PositiveBytesAndDistinct() {
        let serials = (0..<2000).map { _ in SerialNumberGenerator.next() }
        #expect(Set(serials).count == serials.count)
        #expect(serials.allSatisfy { $0.count == 16 && $0[0] & 0x80 == 0 && $0[0] & 0x40 != 0 })
    }

    @Test func refusesWeakAndUnsupportedKeys() throws {
        let folder = TemporaryFolder()
        let cases: [([String], ShomeiError)] = [
            (["-newkey", "rsa:1024"], .keyTooWeak(bits: 1024)),
            (["-newkey", "rsa:2560"], .unsupportedKey("RSA 2560")),
            (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"], .unsupportedKey("ECDSA P-521")),
            (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"], .unsupportedKey("ECDSA secp256k1")),
            (["-newkey", "ed25519"], .unsupportedKey("Ed25519")),
        ]
        for (arguments, expected) in cases {
            let csr = try OpenSSL.csr(arguments, in: folder)
            #expect(throws: expected) { try VerifiedSigningRequest(pemOrDER: csr) }
        }
    }

    @Test func refusesATamperedSignature() throws {
        var bytes = try OpenSSL.csrDER(OpenSSL.p256, in: TemporaryFolder())
        #expect(try VerifiedSigningRequest(pemOrDER: bytes).keyType == .p256)
        // The subject's CN ("attacker-chosen") is inside the signed part: change one letter of it.
        let target = Array("attacker".utf8)
        let index = try #require((0..<bytes.count - target.count).first { Array(bytes[$0..<$0 + target.count]) == target })
        bytes[index] ^= 0x20
        #expect(throws: ShomeiError.csrSignatureInvalid) { try VerifiedSigningRequest(pemOrDER: bytes) }
    }

    @Test(arguments: [
        Array("not a csr".utf8), [], [0x30, 0x82, 0xFF, 0xFF], Array("-----BEGIN CERTIFICATE REQUEST-----\n!!\n-----END CERTIFICATE REQUEST-----".utf8),
        Array(repeating: 0x30, count: 70_000),
    ])
    func refusesGarbage(_ input: [UInt8]) {
        #expect(throws: ShomeiError.csrNotDecodable) { try VerifiedSigningRequest(pemOrDER: input) }
    }

    /// Property: whatever bytes arrive, and whatever single byte of a real CSR is changed, the
    /// parser answers with a refusal or a verified request; it never crashes or accepts a forgery.
    @Test func randomAndMutatedInputNeverCrashOrForge() throws {
        let original = try OpenSSL.csrDER(OpenSSL.p256, in: TemporaryFolder())
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let random = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: ShomeiError.self) { try VerifiedSigningRequest(pemOrDER: random) }
            var mutated = original
            let position = Int.random(in: 0..<mutated.count, using: &generator)
            mutated[position] ^= UInt8.random(in: 1...255, using: &generator)
            if let accepted = try? VerifiedSigningRequest(pemOrDER: mutated) {
                // A mutation that still verifies must be a re-encoding of the same signed content.
                #expect(accepted.publicKey == (try VerifiedSigningRequest(pemOrDER: original)).publicKey)
            }
        }
    }

    @Test func encryptedKeysInteroperateWithOpenSSL() throws {
        let folder = TemporaryFolder()
        let key = try CAPrivateKey(generating: .p256)
        let sealed = try EncryptedPrivateKeyInfo(sealing: try #require(key.pkcs8DER), passphrase: "秘密のパスフレーズ")
        try Data(try sealed.pemEncoded.utf8).write(to: folder.file("ours.pem"))
        try Data("秘密のパスフレーズ".utf8).write(to: folder.file("pass"))
        let opened = try run(["openssl", "pkey", "-in", folder.file("ours.pem").path, "-passin", "file:" + folder.file("pass").path, "-pubout"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let expectedPEM = try key.publicKey.pemString
        #expect(opened.stdout == expectedPEM)

        // And we open what openssl writes (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, 2048 iterations).
        try run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", folder.file("plain.pem").path])
        let converted = try run(["openssl", "pkcs8", "-topk8", "-in", folder.file("plain.pem").path, "-v2", "aes-256-cbc",
                                 "-v2prf", "hmacWithSHA256", "-passout", "pass:pw"])
        let theirs = try EncryptedPrivateKeyInfo(pemEncoded: converted.stdout)
        #expect(theirs.parameters.iterations == 2048)
        #expect(try CAPrivateKey(pkcs8DER: theirs.open(passphrase: "pw")).algorithm == .p384)
        #expect(throws: ShomeiPKIError.self) { try CAPrivateKey(pkcs8DER: theirs.open(passphrase: "wrong")) }
    }

    @Test func refusesLegacyEncryptionClearly() throws {
        let folder = TemporaryFolder()
        try run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", folder.file("plain.pem").path])
        let legacy = try run(["openssl", "pkcs8", "-topk8", "-in", folder.file("plain.pem").path, "-v2", "aes-256-cbc",
                              "-v2prf", "hmacWithSHA1", "-passout", "pass:pw"])
        #expect(throws: ShomeiPKIError.unsupportedEncryption("PBKDF2 with HMAC-SHA1")) {
            try EncryptedPrivateKeyInfo(pemEncoded: legacy.stdout)
        }
    }
}

extension Certificate.PublicKey {
    var pemString: String { get throws { try serializeAsPEM().pemString + "\n" } }
}
