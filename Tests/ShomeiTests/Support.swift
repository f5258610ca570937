import Foundation
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRA
import ShomeiStorage
import Testing

/// The databases the store contract runs on. PostgreSQL joins when SHOMEI_TEST_POSTGRES_URL is set
/// (`.ci/run` sets it); without it, `postgresSkipped` says so in the test output.
enum TestBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static let postgresURL = ProcessInfo.processInfo.environment["SHOMEI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let available: [TestBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    var testDescription: String { rawValue }

    /// A new, empty store: a fresh SQLite file, or a fresh PostgreSQL schema.
    func makeStore() async throws -> SQLStore {
        switch self {
        case .sqlite:
            return try await SQLStore.sqlite(path: TemporaryFolder().url.appendingPathComponent("test.sqlite").path)
        case .postgres:
            let schema = "t_" + SerialNumberGenerator.next().hexEncoded.prefix(20)
            return try await SQLStore.postgres(url: TestBackend.postgresURL!, schema: String(schema), maxConnections: 2)
        }
    }
}

@Test(.enabled(if: TestBackend.postgresURL == nil))
func postgresSkipped() {
    print("NOTE: PostgreSQL store tests SKIPPED: SHOMEI_TEST_POSTGRES_URL is not set (bash .ci/run sets it).")
}

/// A folder under the system temp directory, unique per call.
struct TemporaryFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("shomei-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Runs a real program (openssl, python3, the shomei binary) and collects what it printed.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

@discardableResult
func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// CSRs made by openssl, the peer a customer's tooling most often is.
enum OpenSSL {
    static func csr(_ keyArguments: [String], in folder: TemporaryFolder, name: String = "req") throws -> [UInt8] {
        let key = folder.file("\(name).key").path, csr = folder.file("\(name).csr").path
        let result = try run(["openssl", "req", "-new", "-nodes", "-subj", "/CN=attacker-chosen/O=Evil", "-keyout", key, "-out", csr] + keyArguments)
        #expect(result.status == 0, "openssl req failed: \(result.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: csr)))
    }

    static func csrDER(_ keyArguments: [String], in folder: TemporaryFolder) throws -> [UInt8] {
        _ = try csr(keyArguments, in: folder)
        try run(["openssl", "req", "-in", folder.file("req.csr").path, "-outform", "DER", "-out", folder.file("req.der").path])
        return Array(try Data(contentsOf: folder.file("req.der")))
    }

    static let rsa2048 = ["-newkey", "rsa:2048"]
    static let p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    static let p384 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"]
}

/// A CA hierarchy and RA on a given store, with cheap bcrypt so tests stay fast.
struct TestCA {
    let hierarchy: CAHierarchy
    let authority: CertificateAuthority
    let registration: RegistrationAuthority
    let store: any Store
    let composer: NoticeComposer
    let lifecycle: LifecyclePolicy
    let policy: ActivationCodePolicy
    let hasher: SecretHasher
    let clock: @Sendable () -> Date

    static let template = SubjectTemplate(
        organization: "Test Bank", organizationalUnit: "Test Issuing CA", bankCode: "1403")

    static let password = "correct horse battery"
    static let signature = BankSignature(bankName: "テスト銀行 & Co", contactLine: "0120-123-456（平日9:00〜17:00）")

    init(
        store: any Store, issuingKey: CAKeyAlgorithm = .p256, policy: ActivationCodePolicy = .init(),
        lifecycle: LifecyclePolicy = .init(), policyOID: String? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        hierarchy = try CAHierarchy.create(
            .init(organization: "Test Bank", rootName: "Test Root CA", issuingName: "Test Issuing CA",
                  rootKeyAlgorithm: .p256, issuingKeyAlgorithm: issuingKey),
            now: Date().addingTimeInterval(-60))
        authority = try CertificateAuthority(
            certificate: hierarchy.issuing, key: hierarchy.issuingKey,
            profile: {
                var profile = ClientCertificateProfile(baseURL: "http://127.0.0.1:8080")
                profile.policyOID = policyOID
                return profile
            }())
        composer = try await NoticeComposer.load(signature: Self.signature)
        hasher = SecretHasher(passwordCost: 4, codeCost: 4)
        registration = RegistrationAuthority(
            store: store, authority: authority, subjectTemplate: Self.template, composer: composer,
            activationCodePolicy: policy, lifecyclePolicy: lifecycle, hasher: hasher, clock: clock)
        self.store = store
        self.lifecycle = lifecycle
        self.policy = policy
        self.clock = clock
    }

    /// The same RA, telling `observer` of every revocation it commits (as `shomei serve` wires
    /// the OCSP responder) and counting what it decides in `outcomes`.
    func registration(
        observedBy observer: (any RevocationObserver)? = nil, outcomes: OutcomeCounters = .discarded
    ) -> RegistrationAuthority {
        RegistrationAuthority(
            store: store, authority: authority, subjectTemplate: Self.template, composer: composer,
            activationCodePolicy: policy, lifecyclePolicy: lifecycle, hasher: hasher, revocationObserver: observer,
            outcomes: outcomes, clock: clock)
    }

    /// A contract with one user, ready for issuance.
    @discardableResult
    func addUser(
        contract: String = "TKYM140", user: String = "8054", role: Role = .master, name: String = "山田 太郎",
        language: Language = .japanese
    ) async throws -> UserKey {
        let contractID = try ContractID(contract)
        if try await store.read({ try await $0.contract(contractID) }) == nil {
            _ = try await registration.addContract(id: contractID, name: "株式会社テスト", actor: "operator:test")
        }
        let key = UserKey(contractID: contractID, userID: try UserID(user))
        _ = try await registration.addUser(
            NewUser(key: key, name: name, role: role, email: try EmailAddress("u\(user.lowercased())@example.co.jp"),
                    password: Self.password, language: language),
            actor: "operator:test")
        return key
    }

    func writePEMs(to folder: TemporaryFolder) throws -> (root: String, issuing: String) {
        let root = folder.file("root.pem").path, issuing = folder.file("issuing.pem").path
        try Data(try hierarchy.root.pemString.utf8).write(to: URL(fileURLWithPath: root))
        try Data(try hierarchy.issuing.pemString.utf8).write(to: URL(fileURLWithPath: issuing))
        return (root, issuing)
    }
}

/// Everything observable in a store, to assert that a refused request changed nothing.
struct StoreSnapshot: Equatable {
    let contracts: [Contract]
    let users: [User]
    let certificates: [CertificateRecord]
    let codes: [ActivationCode?]
    let auditCount: Int

    init(_ store: any Store) async throws {
        (contracts, users, certificates, codes, auditCount) = try await store.read { reader in
            let contracts = try await reader.contracts()
            var users: [User] = []
            for contract in contracts { users += try await reader.users(in: contract.id) }
            var codes: [ActivationCode?] = []
            for user in users { codes.append(try await reader.unusedActivationCode(of: user.key)) }
            return (contracts, users, try await reader.certificates(of: nil), codes,
                    try await reader.auditEvents(after: 0, limit: 100_000).count)
        }
    }
}

extension Date {
    /// The store keeps milliseconds: what a date reads back as.
    var storedPrecision: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000) }
}

/// The peer scripts in `Tests/ShomeiTests/Peers/`, run with Debian's python3.
enum Peers {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers")

    static func path(_ script: String) -> String {
        folder.appendingPathComponent(script).path
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on now, as the kernel hands out for port 0: the
/// servers the tests start, several at once, do not pick the same port by chance.
enum FreePort {
    static func next() -> Int {
        let (fd, port) = bound()
        close(fd)
        return port
    }

    /// A port another program holds: listening on 127.0.0.1 until `close(fd)`.
    static func held() -> (fd: Int32, port: Int) {
        let (fd, port) = bound()
        precondition(listen(fd, 1) == 0, "listen() failed")
        return (fd, port)
    }

    private static func bound() -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        precondition(bound, "bind() to port 0 failed")
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
