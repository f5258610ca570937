import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRA
import ShomeiRevocation
import ShomeiStorage
import ShomeiWeb
import X509

/// Enrollments per second over HTTPS (EST `simpleenroll` with Basic auth and activation code,
/// keep-alive connections from async-http-client on loopback, P-256 CSRs made ahead of time)
/// beside the same first issuance called in process, on one SQLite store. bcrypt runs at cost
/// 4 in both, so the ratio shows what HTTPS, routing and EST framing cost, not bcrypt.
///
///     ShomeiBenchmarks enroll [count] [concurrency]
enum EnrollmentBenchmark {
    static func run(count: Int, concurrency: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shomei-enroll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLStore.sqlite(path: folder.appendingPathComponent("bench.sqlite").path)
        let (hierarchy, registration) = try await BenchSetup.registration(caKey: .p256, store: store)
        var withCodes: [(key: UserKey, code: String)] = []
        for key in try await BenchSetup.users(2 * count, registration: registration) {
            withCodes.append((key, try await registration.issueActivationCode(for: key, actor: "bench").code))
        }
        let users = withCodes
        let csrs = try users.map { _ in try ClientKeyPair(generating: .p256).signingRequest(commonName: "bench") }

        let inProcess = try await BenchSetup.rate(count: count, concurrency: concurrency) { index in
            _ = try await registration.issueCertificate(
                for: users[index].key, password: "benchmark-password", activationCode: users[index].code, csr: csrs[index], medium: .pc)
        }

        let port = 18_443
        let (serverCertificate, serverKey) = try ServerCertificate.issue(
            names: ["127.0.0.1"], by: hierarchy.issuing, key: hierarchy.issuingKey, now: Date())
        let publication = try CAPublication(root: hierarchy.root, issuing: hierarchy.issuing)
        let records = RevocationRecords(store: store)
        let server = ShomeiServer(
            host: "127.0.0.1", port: 18_080, publication: publication,
            crlPublisher: CRLPublisher(records: records, issuer: hierarchy.issuing, key: hierarchy.issuingKey, policy: .init()),
            ocspResponder: try await OCSPResponder(records: records, issuer: hierarchy.issuing, issuerKey: hierarchy.issuingKey))
        let https = try HTTPSListener(host: "127.0.0.1", port: port, chain: [serverCertificate, hierarchy.issuing],
                                      keyPEM: serverKey.pemRepresentation, clientRoots: [hierarchy.issuing, hierarchy.root])
        let application = try server.makeHTTPSApplication(
            try await BenchSetup.pages(store: store, registration: registration, publication: publication), https, logger: .init(label: "bench"))
        let serving = Task { try await application.run() }
        defer { serving.cancel() }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: try hierarchy.root.derBytes, format: .der)])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        try await waitUntilListening(client, port: port)
        let overHTTPS = try await BenchSetup.rate(count: count, concurrency: concurrency) { index in
            let user = users[count + index]
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/.well-known/est/simpleenroll")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/pkcs10")
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user.key.contractID)/\(user.key.userID):benchmark-password".utf8).base64EncodedString())
            request.headers.add(name: "X-Shomei-Activation-Code", value: user.code)
            request.body = .bytes(ByteBuffer(string: Data(csrs[count + index]).base64EncodedString()))
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw BenchmarkError.refused(Int(response.status.code)) }
        }
        try await client.shutdown()
        try await store.shutdown()
        print(String(format: "enrollment in-process/s %.0f over-https/s %.0f ratio %.0f%%", inProcess, overHTTPS, 100 * overHTTPS / inProcess))
    }

    enum BenchmarkError: Error { case refused(Int) }

    private static func waitUntilListening(_ client: HTTPClient, port: Int) async throws {
        for _ in 0..<100 {
            if let response = try? await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/health"), timeout: .seconds(2)),
               response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
