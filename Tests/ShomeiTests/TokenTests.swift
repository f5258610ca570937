import Foundation
@testable import ShomeiCLI
import ShomeiDomain
@testable import ShomeiPKCS11
import ShomeiPKI
import Synchronization
import Testing
import X509
import CPKCS11
import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// SoftHSM2 as the token (Debian's softhsm2): a token folder of its own for the test process,
/// tokens initialised with softhsm2-util, and the same configuration for the peers
/// (pkcs11-tool, openssl's pkcs11 engine, curl) run beside it.
enum SoftHSM {
    static let module = "/usr/lib/softhsm/libsofthsm2.so"
    static let available = FileManager.default.fileExists(atPath: module)
        && (try? run(["softhsm2-util", "--version"]))?.status == 0
    static let pin = "123456"

    /// The test process's own configuration, read once, at C_Initialize, for the tokens it opens
    /// itself (`token()`). Their folder is not the one other processes' tokens are made in
    /// (`newToken`): a token being made by softhsm2-util while this process listed its slots
    /// once hid this process's own token from it (`tokenAbsent`, one run in seven).
    static let configuration: String = {
        let file = makeConfiguration()
        setenv("SOFTHSM2_CONF", file, 1)
        return file
    }()

    /// The configuration other processes (the shomei binary, pkcs11-tool, curl) use for theirs.
    static let processConfiguration = makeConfiguration()

    private static func makeConfiguration() -> String {
        let folder = TemporaryFolder()
        try? FileManager.default.createDirectory(at: folder.file("tokens"), withIntermediateDirectories: true)
        let file = folder.file("softhsm2.conf").path
        try? "directories.tokendir = \(folder.file("tokens").path)\nobjectstore.backend = file\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Tokens for this process's tests, made before the module is loaded: SoftHSM lists the
    /// tokens of its folder as they were at C_Initialize.
    static let pool: [String] = {
        _ = configuration
        return (0..<10).map { index in
            let label = "t\(index)-\(UInt32.random(in: 0 ... .max))"
            _ = try? run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "87654321"],
                         environment: ownTokensEnvironment)
            return label
        }
    }()

    /// The module, loaded once: a PKCS#11 module is initialised once per process.
    static let loaded: PKCS11Module? = {
        _ = pool
        return try? PKCS11Module.load(module)
    }()

    /// For other processes: the tokens `newToken` makes.
    static var environment: [String: String] { ["SOFTHSM2_CONF": processConfiguration] }
    /// For a peer looking at a token of this process's own (`token()`).
    static var ownTokensEnvironment: [String: String] { ["SOFTHSM2_CONF": configuration] }

    private static let handedOut = Mutex(0)

    /// A token of the pool no other test has had (user PIN `pin`).
    static func token() throws -> String {
        _ = loaded
        let index = handedOut.withLock { count in
            defer { count += 1 }
            return count
        }
        return try #require(pool.indices.contains(index) ? pool[index] : nil, "the token pool is used up: make it larger")
    }

    /// A token for another process (the shomei binary, pkcs11-tool): they load the module after it exists.
    static func newToken() throws -> String {
        let label = "p\(UInt32.random(in: 0 ... .max))"
        let made = try run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "87654321"],
                           environment: environment)
        #expect(made.status == 0, "\(made.stderr)")
        return label
    }

    /// An OpenSSL configuration loading the pkcs11 engine (libengine-pkcs11-openssl) over SoftHSM,
    /// for openssl and curl to use a key that stays on the token.
    static func engineConfiguration(in folder: TemporaryFolder) throws -> String {
        let engine = ["/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so", "/usr/lib/aarch64-linux-gnu/engines-3/pkcs11.so"]
            .first { FileManager.default.fileExists(atPath: $0) } ?? "pkcs11.so"
        let file = folder.file("openssl-pkcs11.cnf").path
        try """
            openssl_conf = openssl_init
            [openssl_init]
            engines = engine_section
            [engine_section]
            pkcs11 = pkcs11_section
            [pkcs11_section]
            engine_id = pkcs11
            dynamic_path = \(engine)
            MODULE_PATH = \(module)
            init = 0

            """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func pkcs11Tool(_ arguments: [String], environment: [String: String] = environment) throws -> ProcessResult {
        try run(["pkcs11-tool", "--module", module] + arguments, environment: environment)
    }
}

@Suite(.enabled(if: SoftHSM.available), .serialized) struct TokenTests {
    static func session(_ label: String, pin: String = SoftHSM.pin, sessions: Int = 1) throws -> TokenSession {
        let module = try #require(SoftHSM.loaded)
        return try TokenSession(module: module, uri: TokenURI(token: label), pin: SecretPIN(Array(pin.utf8)), sessions: sessions)
    }

    /// A `TokenSession` of several sessions signs on a free one while others are busy, under the
    /// one login, and signatures from many threads at once all verify.
    @Test func aPoolOfSessionsSignsOnAFreeOneUnderTheOneLogin() throws {
        let label = try SoftHSM.token()
        let pool = try Self.session(label, sessions: 3)
        // Required: with fewer, the nested calls below would wait for a session this thread holds.
        try #require(pool.sessionCount == 3)
        let pair = try pool.generateKeyPair(.p256, label: "pooled", id: [0x51])
        let hashed = SHA256.hash(data: [9]), digest = Array(hashed)
        // Two sessions held (by this thread, as two busy requests would): the third signs. With
        // one session this would wait for itself.
        let signature = try pool.withSession { _ in pool.withSession { _ in Result { try pair.rawSignature(overDigest: digest) } } }.get()
        let verifying = try #require(P256.Signing.PublicKey(pair.publicKey))
        #expect(verifying.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: hashed))
        let valid = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            for _ in 0..<100 {
                let signed = try? P256.Signing.ECDSASignature(rawRepresentation: pair.rawSignature(overDigest: digest))
                if let signed, verifying.isValidSignature(signed, for: hashed) { valid.add(1, ordering: .relaxed) }
            }
        }
        #expect(valid.load(ordering: .relaxed) == 600)
        pool.close()
        #expect(throws: ShomeiError.token(.tokenAbsent(label: ""))) { _ = try pair.rawSignature(overDigest: digest) }
    }

    /// Each key type is made on the token, signs a CSR that openssl verifies, and its private
    /// half cannot be read out — not by us, not by pkcs11-tool.
    @Test(arguments: [ClientKeyType.p256, .p384, .rsa2048])
    func keysAreMadeOnTheTokenSignThereAndNeverLeave(_ type: ClientKeyType) throws {
        let label = try SoftHSM.token()
        let session = try Self.session(label)
        let pair = try session.generateKeyPair(type, label: "user6", id: [0x01])
        let csr = try ClientKeyPair.signingRequest(commonName: "C1U1", privateKey: pair.privateKey, type: type)
        let parsed = try CertificateSigningRequest(derEncoded: csr)
        #expect(parsed.publicKey == pair.publicKey && parsed.publicKey.isValidSignature(parsed.signature, for: parsed))
        let folder = TemporaryFolder()
        try Data(csr).write(to: folder.file("u.csr"))
        let verified = try run(["openssl", "req", "-inform", "DER", "-in", folder.file("u.csr").path, "-verify", "-noout"])
        #expect(verified.status == 0 && (verified.stderr + verified.stdout).contains("verify OK"), "\(verified.stderr)")
        let listed = try SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "-O"], environment: SoftHSM.ownTokensEnvironment)
        #expect(listed.stdout.contains("Private Key Object") && listed.stdout.contains("Public Key Object") && listed.stdout.contains("user6"))
        #expect(listed.stdout.contains("Access:     sensitive, always sensitive, never extractable, local"), "\(listed.stdout)")
        // The private value is not given out: not to us, not to pkcs11-tool (which writes nothing).
        #expect(session.attribute(CK_ATTRIBUTE_TYPE(CKA_VALUE), of: pair.privateHandle) == nil)
        #expect(session.attribute(CK_ATTRIBUTE_TYPE(CKA_EXTRACTABLE), of: pair.privateHandle) == [0])
        #expect(session.attribute(CK_ATTRIBUTE_TYPE(CKA_SENSITIVE), of: pair.privateHandle) == [1])
        // Signing only, whatever the token's defaults: SoftHSM's would let the private half decrypt.
        for usage in [CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE, CKA_ALWAYS_AUTHENTICATE] {
            #expect(session.attribute(CK_ATTRIBUTE_TYPE(usage), of: pair.privateHandle) == [0], "private key usage \(usage)")
        }
        for usage in [CKA_PRIVATE, CKA_ENCRYPT, CKA_WRAP, CKA_DERIVE] {
            #expect(session.attribute(CK_ATTRIBUTE_TYPE(usage), of: pair.publicHandle) == [0], "public key attribute \(usage)")
        }
        // A buffer shorter than the signature is grown to the length the token asks for.
        let digest = [UInt8](repeating: 7, count: 32)
        let mechanism = type == .rsa2048 ? CK_MECHANISM_TYPE(CKM_SHA256_RSA_PKCS) : CK_MECHANISM_TYPE(CKM_ECDSA)
        let grown = try session.sign(digest, with: pair.privateHandle, mechanism: mechanism, capacity: 1)
        #expect(grown.count == type.signatureLength)
        let exportedFile = folder.file("private.der").path
        _ = try SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "--read-object", "--type", "privkey", "--id", "01",
                                    "-o", exportedFile], environment: SoftHSM.ownTokensEnvironment)
        #expect(!FileManager.default.fileExists(atPath: exportedFile), "pkcs11-tool read the private key out")
        try pair.delete()
        #expect(try !session.holds(label: "user6"))
    }

    /// Wrong PIN, a token that is not there, a file that is not a module: each a clear problem.
    @Test func refusalsAreClear() throws {
        let label = try SoftHSM.token()
        // SoftHSM marks the counter low (CKF_USER_PIN_COUNT_LOW) after a wrong PIN, and never
        // locks: the lock's message is checked by its words below, not on this token.
        #expect(throws: ShomeiError.token(.pinIncorrect(.low))) { _ = try Self.session(label, pin: "000000") }
        #expect(ShomeiError.token(.pinIncorrect(.low)).message(.japanese) == "PINが正しくありません。残りの試行回数がわずかです。")
        #expect(try Self.session(label).info.label == label, "the right PIN still logs in")
        #expect(throws: ShomeiError.token(.tokenAbsent(label: "nowhere"))) { _ = try Self.session("nowhere") }
        #expect(throws: ShomeiError.token(.notAModule(path: "/etc/hostname"))) { _ = try PKCS11Module.load("/etc/hostname") }
        let libz = ["/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1"].first { FileManager.default.fileExists(atPath: $0) }
        if let libz {
            #expect(throws: ShomeiError.token(.notAModule(path: libz)), "a library without C_GetFunctionList") { _ = try PKCS11Module.load(libz) }
        }
        #expect(ShomeiError.token(.pinIncorrect(.finalTry)).message(.japanese).contains("次に誤るとトークンがロックされます"))
        #expect(ShomeiError.token(.pinIncorrect(.unknown)).category == .refused && ShomeiError.token(.tokenAbsent(label: "x")).category == .unavailable)
    }

    /// A PIN the token cannot take (empty, shorter than SoftHSM's 4, longer than its 255) is
    /// refused before it is sent: the token counts nothing, so it still reports no low counter.
    @Test func aPINOfTheWrongLengthIsRefusedWithoutATry() throws {
        let label = try SoftHSM.token()
        for pin in ["", "123", String(repeating: "1", count: 256)] {
            #expect(throws: ShomeiError.token(.pinLength(4...255)), "PIN of \(pin.count)") { _ = try Self.session(label, pin: pin) }
        }
        #expect(try Self.session(label).info.pinTries == .unknown, "no try was counted")
        #expect(ShomeiError.token(.pinLength(4...255)).message(.japanese) == "PINは半角4〜255文字で入力してください。")
        #expect(ShomeiError.token(.pinLength(6...Int.max)).message(.english) == "The PIN must be at least 6 ASCII characters long.")
        #expect(ShomeiError.token(.pinLength(4...255)).category == .invalidInput)
    }

    /// A session the HSM ends (a restart, a dropped connection) is opened again at the next
    /// signature — a new login, the key found by its ID — instead of every signature failing
    /// until a restart; a key found there with another public key is refused.
    @Test func aLostSessionIsOpenedAgainForTheNextSignature() throws {
        let label = try SoftHSM.token()
        let made = try Self.session(label)
        let issuing = try made.generateKeyPair(.p256, label: "issuing", id: [0x42])
        _ = try made.generateKeyPair(.p256, label: "other", id: [0x43])
        let openings = Shared(0)
        let key = try ReopeningTokenKey {
            openings.value.withLock { $0 += 1 }
            return try Self.session(label, sessions: 2).keyPair(id: [0x42])
        }
        let first = key.pair
        try Self.endEverySession(of: first.session)
        #expect(throws: ShomeiError.token(.tokenAbsent(label: ""))) { _ = try first.signatureBytes(over: [1], .ecdsaWithSHA256) }
        let certificate = try Self.selfSigned(issuing.publicKey, by: key.privateKey)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(openings.value.withLock { $0 } == 2 && key.pair.session !== first.session)

        // One session of the pool lost, the other still open: the signature that finds it gone
        // opens the pool again, and every signature succeeds.
        let poolOpenings = Shared(0)
        let pooled = try ReopeningTokenKey {
            poolOpenings.value.withLock { $0 += 1 }
            return try Self.session(label, sessions: 2).keyPair(id: [0x42])
        }
        let second = pooled.pair
        _ = second.session.withSession { second.session.module.functions.pointee.C_CloseSession?($0) }
        for _ in 0..<4 {
            let signed = try Self.selfSigned(issuing.publicKey, by: pooled.privateKey)
            #expect(signed.publicKey.isValidSignature(signed.signature, for: signed))
        }
        #expect(poolOpenings.value.withLock { $0 } == 2 && pooled.pair.session !== second.session)

        let ids = Shared([0x42, 0x43] as [UInt8])
        let replaced = try ReopeningTokenKey { try Self.session(label).keyPair(id: [ids.value.withLock { $0.removeFirst() }]) }
        try Self.endEverySession(of: replaced.pair.session)
        #expect(throws: ShomeiError.token(.objectNotFound("id=42 with the public key it had"))) {
            _ = try Self.selfSigned(issuing.publicKey, by: replaced.privateKey)
        }

        // A PIN the HSM refuses on re-opening is not tried again: each try counts towards its lock.
        let pinOpenings = Shared(0)
        let refusing = try ReopeningTokenKey {
            let opening = pinOpenings.value.withLock { count in
                count += 1
                return count
            }
            return try Self.session(label, pin: opening == 1 ? SoftHSM.pin : "000000").keyPair(id: [0x42])
        }
        try Self.endEverySession(of: refusing.pair.session)
        for _ in 0..<3 {
            #expect(throws: ShomeiError.token(.pinIncorrect(.low))) { _ = try Self.selfSigned(issuing.publicKey, by: refusing.privateKey) }
        }
        #expect(pinOpenings.value.withLock { $0 } == 2, "one try with the PIN, then none")
    }

    /// A certificate for `publicKey` signed by `key`: one signature, as a CA makes it.
    static func selfSigned(_ publicKey: Certificate.PublicKey, by key: Certificate.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName { CommonName("issuing") }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey, notValidBefore: Date(), notValidAfter: Date() + 3600,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: .init(), issuerPrivateKey: key)
    }

    /// A value the opening closures (escaping, Sendable) share with the test.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    /// What an HSM's restart does to this process: C_CloseAllSessions on the token's slot, which
    /// also ends the login.
    static func endEverySession(of session: TokenSession) throws {
        try session.call { functions, handle in
            var info = CK_SESSION_INFO()
            guard functions.pointee.C_GetSessionInfo?(handle, &info) == CKR_OK else { return CK_RV(CKR_GENERAL_ERROR) }
            return functions.pointee.C_CloseAllSessions?(info.slotID)
        }
    }

    /// A renewal that stopped after the server issued — the new certificate in the folder, the
    /// new pair still provisional (its certificate not yet beside it), the old pair in place —
    /// is finished by the next `renew --token`: one label, the new pair and certificate only.
    @Test func anInterruptedRenewalIsFinished() throws {
        let label = try SoftHSM.token()
        let session = try Self.session(label)
        func certificate(_ pair: TokenKeyPair) throws -> Certificate { try Self.selfSigned(pair.publicKey, by: pair.privateKey) }
        let old = try session.generateKeyPair(.p256, label: "C1-U1", id: [0x0A])
        try session.store(try certificate(old), label: "C1-U1", id: [0x0A])
        let new = try session.generateKeyPair(.p256, label: "C1-U1" + TokenRenewal.provisionalSuffix, id: [0x0B])
        let issued = try certificate(new)
        #expect(try TokenRenewal.finishInterrupted(on: session, current: try certificate(old)) == nil, "the old certificate is no renewal")

        let finished = try #require(try TokenRenewal.finishInterrupted(on: session, current: issued))
        #expect(finished.label == "C1-U1" && finished.id == [0x0B])
        #expect(try session.certificates(label: "C1-U1") == [issued])
        #expect(try session.objects(id: [0x0A]).isEmpty && session.objects(id: [0x0B]).count == 3)
        #expect(try !session.holds(label: "C1-U1" + TokenRenewal.provisionalSuffix))
        #expect(try TokenRenewal.finishInterrupted(on: session, current: issued) == nil, "nothing left to finish")
        #expect(try TokenRenewal(session: session, current: issued).currentPair.id == [0x0B], "the next renewal starts from it")
    }

    /// A certificate written beside its key carries the key's CKA_ID and label, and reads back.
    @Test func certificatesAreStoredBesideTheirKey() throws {
        let label = try SoftHSM.token()
        let session = try Self.session(label)
        let pair = try session.generateKeyPair(.p256, label: "C1-U1", id: [0xAB, 0xCD])
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: pair.publicKey, notValidBefore: Date(), notValidAfter: Date() + 3600,
            issuer: try DistinguishedName { CommonName("self") }, subject: try DistinguishedName { CommonName("self") },
            signatureAlgorithm: .ecdsaWithSHA256, extensions: .init(), issuerPrivateKey: pair.privateKey)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate), "signed on the token")
        try session.store(certificate, label: "C1-U1", id: [0xAB, 0xCD])
        #expect(try session.certificates(label: "C1-U1") == [certificate])
        let listed = try SoftHSM.pkcs11Tool(["--token-label", label, "-O"], environment: SoftHSM.ownTokensEnvironment).stdout
        #expect(listed.contains("Certificate Object") && listed.components(separatedBy: "ID:         abcd").count == 3, "\(listed)")
    }
}

/// RFC 7512 URIs as written by p11tool and pkcs11-tool, and what is refused.
@Suite struct TokenURITests {
    @Test func parsesWhatToolsWrite() throws {
        let uri = try TokenURI(parsing: "pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=9a3f;token=usb%20token;object=C1-U1;id=%01%AB;type=private?pin-source=file:/run/pin&module-path=/usr/lib/softhsm/libsofthsm2.so&x-vendor=1")
        #expect(uri.token == "usb token" && uri.object == "C1-U1" && uri.id == [0x01, 0xAB] && uri.type == .private)
        #expect(uri.model == "SoftHSM v2" && uri.pinSource == "file:/run/pin" && uri.modulePath == "/usr/lib/softhsm/libsofthsm2.so")
        #expect(try TokenURI(parsing: "pkcs11:") == TokenURI())
    }

    @Test(arguments: [
        "pkcs11", "pkcs12:token=x", "pkcs11:token", "pkcs11:=x", "pkcs11:token=%", "pkcs11:token=%4", "pkcs11:token=%zz",
        "pkcs11:token=a;token=b", "pkcs11:colour=red", "pkcs11:type=secret", "pkcs11:token=%FF%FE", "pkcs11:id=",
        "pkcs11:token=x?pin-value=123456",
    ])
    func refuses(_ text: String) {
        #expect(throws: ShomeiError.self) { try TokenURI(parsing: text) }
    }

    /// A URI with a PIN in it is refused for the PIN whatever else is wrong, and no message
    /// carries the PIN.
    @Test(arguments: ["pkcs11:token=x;objct=a?pin-value=123456", "pkcs11:token=x;pin-value=123456", "pkcs11:token=x?pin-value=12%3456",
                      "PKCS11:token=x?pin-value=123456&pin-value=123456", "nope?pin-value=123456"])
    func aPINInTheURIIsNeverEchoed(_ text: String) {
        do {
            _ = try TokenURI(parsing: text)
            Issue.record("accepted")
        } catch {
            #expect(error == .token(.invalidURI("pin-value")))
            #expect(!error.message(.japanese).contains("123456") && !error.message(.english).contains("123456"))
        }
    }

    /// Any label and id survive being written and read back (property test over random bytes).
    @Test func roundTripsAnyLabelAndID() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scalars = (0..<Int.random(in: 1...20, using: &generator)).compactMap { _ in
                UnicodeScalar(UInt32.random(in: 0x20...0x3000, using: &generator))
            }
            let label = String(String.UnicodeScalarView(scalars))
            guard !label.isEmpty else { continue }
            let id = (0..<Int.random(in: 1...20, using: &generator)).map { _ in UInt8.random(in: 0 ... .max, using: &generator) }
            var uri = TokenURI(token: label, object: label, id: id, type: .cert)
            uri.pinSource = "/tmp/p in"
            #expect(try TokenURI(parsing: uri.description) == uri, "\(uri)")
        }
    }

    /// Random text never crashes the parser: it is a URI or a clear refusal.
    @Test func arbitraryTextIsParsedOrRefused() {
        let alphabet = Array("pkcs11:;=?&%0aF token object id type pin-source")
        for _ in 0..<2000 {
            let text = "pkcs11:" + String((0..<Int.random(in: 0...30)).map { _ in alphabet.randomElement()! })
            do { _ = try TokenURI(parsing: text) } catch ShomeiError.token(.invalidURI) {} catch { Issue.record("\(text): \(error)") }
        }
    }
}

/// The issuing app with the key on a token (専用USB, seed 003), end to end against a running
/// server: `shomei enroll --token` leaves key and certificate on the token, the store records
/// the medium usb, curl logs in with the token's key through openssl's pkcs11 engine, and every
/// refusal leaves the token as it was.
@Suite(.enabled(if: SoftHSM.available)) struct TokenEnrollmentTests {
    @Test func enrollOnATokenThenLogInWithTheTokensKey() async throws {
        let op = CLITests.Operator()
        let (server, code) = try await CLITests.enrollmentReady(op)
        defer { server.stop() }
        let label = try SoftHSM.newToken()
        try "\(SoftHSM.pin)\n".write(to: op.folder.file("pin"), atomically: true, encoding: .utf8)
        try "000000\n".write(to: op.folder.file("wrong-pin"), atomically: true, encoding: .utf8)
        func enroll(_ user: String, code: String, pin: String = "pin", object: String? = nil) throws -> ProcessResult {
            try run([CLITests.binary, "enroll", "--server", "https://127.0.0.1:\(server.httpsPort)", "--contract", "C1", "--user", user,
                     "--code", code, "--key", "p256", "--out", op.folder.file("cred-\(user)").path,
                     "--password-file", op.folder.file("password").path, "--ca", op.folder.file("data/ca/root.pem").path,
                     "--token", "pkcs11:token=\(label)" + (object.map { ";object=\($0)" } ?? ""), "--pkcs11-module", SoftHSM.module,
                     "--pin-file", op.folder.file(pin).path],
                    environment: SoftHSM.environment.merging(["LANG": "ja_JP.UTF-8", "SHOMEI_LANG": ""]) { $1 })
        }
        func objects() throws -> String {
            try SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "-O"]).stdout
        }
        /// The objects pkcs11-tool lists, each with its attributes, in no particular order: SoftHSM
        /// lists a token's objects in an order that can change between two processes.
        func sameObjects(_ a: String, _ b: String) -> Bool {
            func objects(_ listing: String) -> [String] {
                listing.split(separator: "\n").reduce(into: [String]()) { objects, line in
                    if line.hasPrefix(" "), !objects.isEmpty { objects[objects.count - 1] += "\n" + line } else { objects.append(String(line)) }
                }.sorted()
            }
            return objects(a) == objects(b)
        }

        // A wrong PIN: refused with the token's word, nothing made, the code still unused.
        let wrongPIN = try enroll("U1", code: code, pin: "wrong-pin")
        #expect(wrongPIN.status == 6 && wrongPIN.stderr.contains("PINが正しくありません"), "\(wrongPIN.stderr)")
        #expect(try !objects().contains("C1-U1"))

        let enrolled = try enroll("U1", code: code)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stdout.contains("専用USB「\(label)」の「C1-U1」"), "\(enrolled.stdout)")
        let listed = try objects()
        for kind in ["Private Key Object", "Public Key Object", "Certificate Object"] {
            #expect(listed.contains(kind), "\(kind) missing: \(listed)")
        }
        #expect(listed.components(separatedBy: "label:      C1-U1").count == 4, "key pair and certificate share the label")
        let ids = listed.components(separatedBy: "\n").filter { $0.contains("ID:") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(ids.count == 3 && Set(ids).count == 1, "key pair and certificate share CKA_ID: \(ids)")
        #expect(listed.contains("never extractable"))
        // GnuTLS's p11tool sees the public half and the certificate without a login.
        let p11tool = try run(["p11tool", "--provider", SoftHSM.module, "--list-all", "pkcs11:token=\(label)"], environment: SoftHSM.environment)
        #expect(p11tool.stdout.contains("Type: X.509 Certificate") && p11tool.stdout.contains("Type: Public key (EC/ECDSA-SECP256R1)")
            && p11tool.stdout.contains("Label: C1-U1"), "\(p11tool.stdout)")
        #expect(!FileManager.default.fileExists(atPath: op.folder.file("cred-U1/key.pem").path), "no key file: the key is on the token")
        let certificates = try op.shomei("cert", "list", "--contract", "C1", "--json").stdout
        #expect(certificates.contains(#""medium":"usb""#) || certificates.contains(#""medium" : "usb""#), "\(certificates)")

        // curl logs into the portal with the key on the token.
        let engine = try SoftHSM.engineConfiguration(in: op.folder)
        let login = try run(["curl", "-s", "--cacert", op.folder.file("data/ca/root.pem").path, "--engine", "pkcs11", "--key-type", "ENG",
                             "--key", "pkcs11:token=\(label);object=C1-U1;type=private;pin-value=\(SoftHSM.pin)",
                             "--cert", op.folder.file("cred-U1/certificate.pem").path, "-w", "\n%{http_code}",
                             "https://127.0.0.1:\(server.httpsPort)/login"],
                            environment: SoftHSM.environment.merging(["OPENSSL_CONF": engine]) { $1 })
        #expect(login.stdout.hasSuffix("200") && login.stdout.contains("U1") && login.stdout.contains("電子証明書"), "\(login.stderr)")

        // The label again: refused before anything is made. A refused enrollment (wrong code)
        // deletes the pair it made, so the token holds exactly what it held.
        try op.shomei("user", "add", "--contract", "C1", "--user", "U2", "--name", "y", "--role", "general", "--email", "b@example.jp",
                      "--password-file", op.folder.file("password").path)
        let again = try enroll("U2", code: "12345678", object: "C1-U1")
        #expect(again.status == 5 && again.stderr.contains("既に「C1-U1」があります"), "\(again.stderr)")
        let refused = try enroll("U2", code: "12345678")
        #expect(refused.status == 6, "\(refused.stderr)")
        let afterRefusals = try objects()
        #expect(sameObjects(afterRefusals, listed), "a refused enrollment left something on the token:\n\(afterRefusals)\nbefore:\n\(listed)")

        // Renewal on the token: the handshake signs with the current key there, the new pair is
        // made there, and the old pair and certificate are gone once the new one is stored.
        let old = try Certificate(pemEncoded: String(contentsOf: op.folder.file("cred-U1/certificate.pem"), encoding: .utf8))
        func renew() throws -> ProcessResult {
            try run([CLITests.binary, "renew", "--server", "https://127.0.0.1:\(server.httpsPort)", "--cert", op.folder.file("cred-U1").path,
                     "--ca", op.folder.file("data/ca/root.pem").path, "--token", "pkcs11:token=\(label)",
                     "--pkcs11-module", SoftHSM.module, "--pin-file", op.folder.file("pin").path],
                    environment: SoftHSM.environment.merging(["LANG": "ja_JP.UTF-8", "SHOMEI_LANG": ""]) { $1 })
        }
        let renewed = try renew()
        #expect(renewed.status == 0 && renewed.stdout.contains("電子証明書の更新と専用USBへの保存が完了いたしました"), "\(renewed.stderr)")
        let new = try Certificate(pemEncoded: String(contentsOf: op.folder.file("cred-U1/certificate.pem"), encoding: .utf8))
        #expect(new.serialNumber != old.serialNumber && new.publicKey != old.publicKey)
        let afterRenewal = try objects()
        #expect(afterRenewal.components(separatedBy: "label:      C1-U1\n").count == 4 && !afterRenewal.contains("renewing"), "\(afterRenewal)")
        let newIDs = Set(afterRenewal.components(separatedBy: "\n").filter { $0.contains("ID:") })
        #expect(newIDs.count == 1 && newIDs != Set(ids), "one new CKA_ID for the new pair and certificate")
        let loginAgain = try run(["curl", "-s", "--cacert", op.folder.file("data/ca/root.pem").path, "--engine", "pkcs11", "--key-type", "ENG",
                                  "--key", "pkcs11:token=\(label);object=C1-U1;type=private;pin-value=\(SoftHSM.pin)",
                                  "--cert", op.folder.file("cred-U1/certificate.pem").path, "-w", "\n%{http_code}",
                                  "https://127.0.0.1:\(server.httpsPort)/login"],
                                 environment: SoftHSM.environment.merging(["OPENSSL_CONF": engine]) { $1 })
        #expect(loginAgain.stdout.hasSuffix("200") && loginAgain.stdout.contains("U1"), "\(loginAgain.stderr)")
        let oldState = try op.shomei("cert", "show", old.serialNumber.description).stdout
        #expect(oldState.contains("revoked") || oldState.contains("失効"), "the old certificate after renewal: \(oldState)")

        // A renewal refused after the new pair was made (the user was stopped meanwhile) deletes
        // that pair and leaves the current one as it was.
        #expect(try op.shomei("user", "disable", "--contract", "C1", "--user", "U1").status == 0)
        let stopped = try renew()
        #expect(stopped.status == 6, "\(stopped.stderr)")
        #expect(try sameObjects(objects(), afterRenewal), "an interrupted renewal changed the token")
    }
}

/// The bank's issuing CA key on an HSM (SoftHSM2 here): `shomei init --hsm` makes it there, and
/// the certificates, the CRL and the OCSP signer's certificate it signs pass openssl, pkilint and
/// an OCSP query — with no issuing key file in the data folder.
@Suite(.enabled(if: SoftHSM.available)) struct HSMTests {
    @Test func anIssuingCAOnAnHSMSignsCertificatesCRLsAndOCSPSigners() async throws {
        let op = CLITests.Operator()
        let label = try SoftHSM.newToken()
        try "\(SoftHSM.pin)\n".write(to: op.folder.file("hsm-pin"), atomically: true, encoding: .utf8)
        let environment = SoftHSM.environment.merging(["SHOMEI_HSM_PIN_FILE": op.folder.file("hsm-pin").path]) { $1 }
        let uri = "pkcs11:token=\(label);object=Issuing%20CA"

        // Refusals first, each with its exit code: a wrong PIN (6), a file that is no module (7).
        try "999999\n".write(to: op.folder.file("wrong-pin"), atomically: true, encoding: .utf8)
        let wrong = try op.shomei("init", "--hsm", uri, "--pkcs11-module", SoftHSM.module,
                                  environment: environment.merging(["SHOMEI_HSM_PIN_FILE": op.folder.file("wrong-pin").path]) { $1 })
        #expect(wrong.status == 6 && wrong.stderr.contains("The PIN is wrong"), "\(wrong.stderr)")
        let notModule = try op.shomei("init", "--hsm", uri, "--pkcs11-module", "/etc/hostname", environment: environment)
        #expect(notModule.status == 7 && notModule.stderr.contains("/etc/hostname is not a PKCS#11 module"), "\(notModule.stderr)")

        // An init that fails after the key pair was made (its data folder cannot be written)
        // leaves no key behind: the next init makes it again instead of refusing it as existing.
        try Data().write(to: op.folder.file("a-file"))
        let unwritable = try run([CLITests.binary, "init", "--hsm", uri, "--pkcs11-module", SoftHSM.module,
                                  "--data", op.folder.file("a-file/data").path], environment: environment)
        #expect(unwritable.status != 0)
        #expect(try !SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "-O"]).stdout.contains("Issuing CA"))
        // Nor one that fails after writing its data folder (the store cannot be opened: a folder
        // stands where shomei.sqlite goes): what it wrote goes too, so the retry is not refused.
        let blocker = op.folder.file("data/shomei.sqlite")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        let unopenable = try op.shomei("init", "--hsm", uri, "--pkcs11-module", SoftHSM.module, environment: environment)
        #expect(unopenable.status == 7 && unopenable.stderr.contains("shomei.sqlite cannot be opened as the SQLite store"), "\(unopenable.stderr)")
        #expect(try !SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "-O"]).stdout.contains("Issuing CA"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: op.folder.file("data").path) == ["shomei.sqlite"], "only what was there")
        try FileManager.default.removeItem(at: blocker)

        let created = try op.shomei("init", "--hsm", uri, "--pkcs11-module", SoftHSM.module, environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        // shomei.json names the key by its CKA_ID too, which a relabelling on the HSM leaves alone.
        let configurationFile = op.folder.file("data/shomei.json")
        let written = try String(contentsOf: configurationFile, encoding: .utf8)
        let id = try #require(written.firstMatch(of: /object=Issuing%20CA;id=((?:%[0-9A-F]{2})+)/)?.1)
        #expect(!FileManager.default.fileExists(atPath: op.folder.file("data/ca/issuing.key.pem").path), "the issuing key has no file")
        let objects = try SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "-O"]).stdout
        #expect(objects.contains("Private Key Object") && objects.contains("label:      Issuing CA") && objects.contains("never extractable"))

        // hsm.sessions: how many sessions the key signs on at once; outside 1–64 it is refused.
        func signOn(sessions: Int) throws {
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configurationFile)) as? [String: Any])
            var hsm = try #require(json["hsm"] as? [String: Any])
            hsm["sessions"] = sessions
            json["hsm"] = hsm
            try JSONSerialization.data(withJSONObject: json).write(to: configurationFile)
        }
        try signOn(sessions: 0)
        let noSessions = try op.shomei("cert", "list", environment: environment)
        #expect(noSessions.status == 7 && noSessions.stderr.contains("hsm.sessions must be 1–64"), "\(noSessions.stderr)")
        try signOn(sessions: 3)

        let server = try await CLITests.ServeProcess(op, environment: environment)
        defer { server.stop() }
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test", environment: environment)
        try op.shomei("user", "add", "--contract", "C1", "--user", "U1", "--name", "x", "--role", "master", "--email", "a@example.jp",
                      environment: environment)
        _ = try OpenSSL.csr(OpenSSL.p256, in: op.folder)
        let leaf = op.folder.file("leaf.pem").path
        let issued = try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", op.folder.file("req.csr").path,
                                   "--out", leaf, environment: environment)
        #expect(issued.status == 0, "\(issued.stderr)")
        let root = op.folder.file("data/ca/root.pem").path, issuing = op.folder.file("data/ca/issuing.pem").path
        let verified = try run(["openssl", "verify", "-CAfile", root, "-untrusted", issuing, leaf])
        #expect(verified.status == 0 && verified.stdout.contains("OK"), "\(verified.stderr)")
        if (try? run(["lint_pkix_cert", "validations"]))?.status == 0 {
            let lint = try run(["lint_pkix_cert", "lint", "-s", "ERROR", leaf])
            #expect(lint.status == 0 && !lint.stdout.contains("FATAL") && !lint.stdout.contains("(ERROR)"), "\(lint.stdout)")
        }

        // The CRL the HSM signed verifies against the issuing CA.
        let crl = op.folder.file("issuing.crl").path
        #expect(try op.shomei("crl", "generate", "--out", crl, environment: environment).status == 0)
        let crlCheck = try run(["openssl", "crl", "-inform", "DER", "-in", crl, "-CAfile", issuing, "-noout"])
        #expect(crlCheck.status == 0 && crlCheck.stderr.contains("verify OK"), "\(crlCheck.stderr)")

        // OCSP: the responder's delegated signer was certified on the HSM; openssl checks the chain.
        let ocsp = try run(["openssl", "ocsp", "-issuer", issuing, "-cert", leaf, "-url", "http://127.0.0.1:\(server.port)/ocsp",
                            "-CAfile", root, "-verify_other", issuing, "-no_nonce"])
        #expect(ocsp.stdout.contains("\(leaf): good") && ocsp.stderr.contains("Response verify OK"), "\(ocsp.stdout)\(ocsp.stderr)")

        // Another key on the HSM, named in shomei.json instead: refused before it signs anything.
        let other = try SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "--keypairgen", "--key-type", "EC:prime256v1",
                                            "--label", "Other", "--id", "99"])
        #expect(other.status == 0, "\(other.stderr)")
        try written.replacingOccurrences(of: "id=\(id)", with: "id=%99").write(to: configurationFile, atomically: true, encoding: .utf8)
        let mismatched = try op.shomei("crl", "generate", "--out", crl, environment: environment)
        #expect(mismatched.status == 7 && mismatched.stderr.contains("is not the issuing CA's key in ca/issuing.pem"), "\(mismatched.stderr)")

        // A key that asks for the PIN before every signature: refused when it is found, by name.
        let asking = try SoftHSM.pkcs11Tool(["--token-label", label, "-l", "-p", SoftHSM.pin, "--keypairgen", "--key-type", "EC:prime256v1",
                                             "--label", "Asking", "--id", "98", "--always-auth"])
        #expect(asking.status == 0, "\(asking.stderr)")
        try written.replacingOccurrences(of: "id=\(id)", with: "id=%98").write(to: configurationFile, atomically: true, encoding: .utf8)
        let refused = try op.shomei("crl", "generate", "--out", crl, environment: environment)
        #expect(refused.status == 7 && refused.stderr.contains("The key \"Asking\" asks for the PIN before every signature (CKA_ALWAYS_AUTHENTICATE)"), "\(refused.stderr)")
    }
}
