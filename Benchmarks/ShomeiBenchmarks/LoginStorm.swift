import AsyncHTTPClient
import Foundation
import HummingbirdBcrypt
import NIOCore
import NIOSSL
import ShomeiPKI
import Synchronization
import X509

/// The Monday-morning login storm (issue #15) against a running `shomei serve`: `users`
/// corporate users log in at once with certificate + password over HTTPS (GET /login, POST
/// /login) for `seconds`, then again with EST renewals (`simplereenroll`, mutual TLS, no
/// password) running alongside, one every 100 ms; beside it, the raw bcrypt rate at the
/// production cost on the same cores, measured in the same run while the server is idle, and the
/// renewals' latency alone.
///
///     ShomeiBenchmarks login <https base> <root.pem> <credentials folder> <users> <seconds> <password>
///
/// The credentials folder holds `U<n>/certificate.pem` + `key.pem` for the login users and
/// `EST/certificate.pem` + `key.pem` for the renewing one (whose certificate must be in the
/// renewal window).
enum LoginStorm {
    struct Options {
        let base: String
        let root: String
        let credentials: URL
        let users: Int
        let seconds: Double
        let password: String

        init(_ arguments: [String]) throws {
            guard arguments.count == 6, let users = Int(arguments[3]), let seconds = Double(arguments[4]) else {
                throw BenchError.usage
            }
            base = arguments[0]
            root = arguments[1]
            credentials = URL(fileURLWithPath: arguments[2])
            self.users = users
            self.seconds = seconds
            password = arguments[5]
        }
    }

    enum BenchError: Error { case usage, refused(String, Int), noCSRFToken }

    static func run(_ arguments: [String]) async throws {
        let options = try Options(arguments)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let bcryptBefore = bcryptRate(cost: 12, threads: cores, seconds: 5)
        print(String(format: "raw bcrypt cost 12, %d threads: %.2f checks/s", cores, bcryptBefore))
        let clients = try (1...options.users).map { try client(options, identity: options.credentials.appendingPathComponent("U\($0)")) }
        do {
            try await storm(clients, options, bcrypt: bcryptBefore)
        } catch {
            print("failed: \(error)")
        }
        for client in clients { try await client.shutdown() }
        let bcryptAfter = bcryptRate(cost: 12, threads: cores, seconds: 5)
        print(String(format: "raw bcrypt cost 12 again: %.2f checks/s", bcryptAfter))
    }

    private static func storm(_ clients: [HTTPClient], _ options: Options, bcrypt: Double) async throws {
        let renewer = Renewer(options: options)
        let alone = try await renewer.renew(for: .seconds(options.seconds / 2))
        print("EST renewal alone:         " + alone.summary)
        let storm = try await logins(clients, options, for: .seconds(options.seconds))
        print("logins alone:              " + storm.summary + String(format: "  = %.0f %% of raw bcrypt", 100 * storm.rate / bcrypt))
        async let stormed = logins(clients, options, for: .seconds(options.seconds))
        async let renewals = renewer.renew(for: .seconds(options.seconds))
        let (both, during) = try await (stormed, renewals)
        print("logins with EST alongside: " + both.summary + String(format: "  = %.0f %% of raw bcrypt", 100 * both.rate / bcrypt))
        print("EST renewal during logins: " + during.summary)
    }

    /// bcrypt checks per second, `threads` at once, for `seconds`: the physical limit of a login.
    static func bcryptRate(cost: UInt8, threads: Int, seconds: Double) -> Double {
        let hash = Bcrypt.hash("benchmark-password", cost: cost)
        let deadline = Date().addingTimeInterval(seconds)
        let checks = Atomic<Int>(0)
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while Date() < deadline {
                _ = Bcrypt.verify("not-the-password", hash: hash)
                checks.add(1, ordering: .relaxed)
            }
        }
        return Double(checks.load(ordering: .relaxed)) / Date().timeIntervalSince(start)
    }

    /// Each user logs in again and again for `duration`: the login page, then the password.
    static func logins(_ clients: [HTTPClient], _ options: Options, for duration: Duration) async throws -> Latencies {
        let deadline = ContinuousClock.now + duration
        let started = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for client in clients {
                group.addTask {
                    var samples: [Duration] = []
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        try await logIn(client, options)
                        samples.append(ContinuousClock.now - begin)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return Latencies(samples: samples, elapsed: ContinuousClock.now - started)
    }

    static func logIn(_ client: HTTPClient, _ options: Options) async throws {
        let page = try await client.execute(HTTPClientRequest(url: options.base + "/login"), timeout: .seconds(60))
        let cookie = page.headers["Set-Cookie"].compactMap { $0.split(separator: ";").first.map(String.init) }
            .first { $0.hasPrefix("__Host-shomei-pre=") }
        let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
        guard page.status == .ok, let cookie, let token = html.firstMatch(of: #/name="csrf" value="([^"]+)"/#)?.output.1 else {
            throw BenchError.noCSRFToken
        }
        var post = HTTPClientRequest(url: options.base + "/login")
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        post.headers.add(name: "Cookie", value: cookie)
        post.body = .bytes(ByteBuffer(string: "csrf=\(token)&password=\(options.password)"))
        let answer = try await client.execute(post, timeout: .seconds(60))
        _ = try await answer.body.collect(upTo: 1 << 20)
        guard answer.status == .seeOther else { throw BenchError.refused("login", Int(answer.status.code)) }
    }

    /// An HTTPS client presenting the certificate and key in `identity`, trusting only our root.
    static func client(_ options: Options, identity: URL?) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(options.root))
        if let identity {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.appendingPathComponent("certificate.pem").path).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.appendingPathComponent("key.pem").path, format: .pem))
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
    }

    /// One EST client renewing its certificate again and again: a new key and CSR each time, the
    /// request authenticated by the certificate the previous renewal returned.
    final class Renewer: @unchecked Sendable {
        let options: Options
        /// The current identity; only the one running `renew` touches it.
        private var certificatePEM: String
        private var keyPEM: String

        init(options: Options) {
            self.options = options
            let folder = options.credentials.appendingPathComponent("EST")
            certificatePEM = (try? String(contentsOf: folder.appendingPathComponent("certificate.pem"), encoding: .utf8)) ?? ""
            keyPEM = (try? String(contentsOf: folder.appendingPathComponent("key.pem"), encoding: .utf8)) ?? ""
        }

        /// One renewal every `pace`, or as soon as the last one returned when it took longer.
        static let pace = Duration.milliseconds(100)

        func renew(for duration: Duration) async throws -> Latencies {
            let deadline = ContinuousClock.now + duration
            let started = ContinuousClock.now
            var samples: [Duration] = []
            var next = started
            while ContinuousClock.now < deadline {
                try await Task.sleep(until: next)
                next = next + Self.pace
                let key = try ClientKeyPair(generating: .p256)
                let csr = try key.signingRequest(commonName: "renewal")
                let begin = ContinuousClock.now
                let issued = try await renew(csr: csr)
                samples.append(ContinuousClock.now - begin)
                certificatePEM = try issued.pemString
                keyPEM = key.pemPKCS8
            }
            return Latencies(samples: samples, elapsed: ContinuousClock.now - started)
        }

        private func renew(csr: [UInt8]) async throws -> Certificate {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(options.root))
            tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem))]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
            do {
                let leaf = try await renew(csr: csr, with: client)
                try await client.shutdown()
                return leaf
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        private func renew(csr: [UInt8], with client: HTTPClient) async throws -> Certificate {
            var request = HTTPClientRequest(url: options.base + "/.well-known/est/simplereenroll")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/pkcs10")
            request.body = .bytes(ByteBuffer(string: Data(csr).base64EncodedString()))
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            guard response.status == .ok, let der = Data(base64Encoded: body, options: .ignoreUnknownCharacters),
                  let leaf = try CertsOnlyPKCS7.certificates(in: Array(der)).first
            else { throw BenchError.refused("renewal", Int(response.status.code)) }
            return leaf
        }
    }

    /// What a run saw: how many, how fast, and the latency percentiles.
    struct Latencies {
        let samples: [Duration]
        let elapsed: Duration

        var rate: Double { Double(samples.count) / Self.seconds(elapsed) }

        func percentile(_ p: Double) -> Double {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return .nan }
            return Self.seconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) * 1000
        }

        var summary: String {
            String(format: "%d in %.1f s = %.2f/s, p50 %.0f ms, p99 %.0f ms", samples.count, Self.seconds(elapsed), rate,
                   percentile(0.5), percentile(0.99))
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}
