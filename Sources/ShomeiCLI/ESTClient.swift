import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ShomeiDomain
import ShomeiPKI
import X509

/// The issuing app's side of EST (RFC 7030): HTTPS to Shomei's `/.well-known/est/`, trusting only
/// the bank's root CA (given, or pinned on first use), presenting the current certificate for
/// renewal.
struct ESTClient {
    let server: String
    let trustRoot: Certificate?
    var clientCredential: ClientCredential?

    /// The certificate renewal presents, and its key: in a file, or on a token (`TokenTLSKey`).
    struct ClientCredential {
        let certificate: Certificate
        let key: NIOSSLPrivateKey
        /// A token's RSA key signs PKCS#1 v1.5 only, which TLS 1.3 does not allow for the handshake.
        var tls12Only = false

        init(certificate: Certificate, key: NIOSSLPrivateKey, tls12Only: Bool = false) {
            self.certificate = certificate
            self.key = key
            self.tls12Only = tls12Only
        }

        init(certificate: Certificate, file key: ClientKeyPair) throws {
            self.init(certificate: certificate, key: try NIOSSLPrivateKey(bytes: Array(key.pemPKCS8.utf8), format: .pem))
        }
    }

    /// Why an EST call was refused, with the server's own message (ja/en).
    struct Refusal: Error, CustomStringConvertible {
        let status: Int
        let message: String
        var description: String { "HTTP \(status): \(message)" }
    }

    func cacerts() async throws -> [Certificate] {
        try CertsOnlyPKCS7.certificates(in: try await call("cacerts", headers: [:], body: nil))
    }

    func enroll(csr: [UInt8], key: UserKey, password: String, code: String?, medium: StorageMedium) async throws -> Certificate {
        var headers = ["Authorization": "Basic " + Data("\(key.contractID)/\(key.userID):\(password)".utf8).base64EncodedString()]
        if let code { headers["X-Shomei-Activation-Code"] = code }
        return try await certificate(try await post("simpleenroll", csr: csr, medium: medium, headers: headers))
    }

    func reenroll(csr: [UInt8], medium: StorageMedium) async throws -> Certificate {
        try await certificate(try await post("simplereenroll", csr: csr, medium: medium, headers: [:]))
    }

    private func post(_ path: String, csr: [UInt8], medium: StorageMedium, headers: [String: String]) async throws -> [UInt8] {
        var all = headers
        all["Content-Type"] = "application/pkcs10"
        all["X-Shomei-Storage-Medium"] = medium.rawValue
        all["Accept-Language"] = Language.current.rawValue
        return try await call(path, headers: all, body: Data(csr).base64EncodedString())
    }

    private func certificate(_ pkcs7: [UInt8]) async throws -> Certificate {
        guard let leaf = try CertsOnlyPKCS7.certificates(in: pkcs7).first else {
            throw Refusal(status: 200, message: "the server answered without a certificate")
        }
        return leaf
    }

    /// One request (GET without a body, POST with one); the body of a 200 is base64 and comes back decoded.
    private func call(_ path: String, headers: [String: String], body: String?) async throws -> [UInt8] {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try configuration())
        do {
            var request = HTTPClientRequest(url: server.trimmingSuffix("/") + "/.well-known/est/" + path)
            request.method = body == nil ? .GET : .POST
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await client.execute(request, timeout: .seconds(60))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            try await client.shutdown()
            guard response.status == .ok else {
                throw Refusal(status: Int(response.status.code), message: text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            guard let decoded = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw Refusal(status: 200, message: "the answer is not base64")
            }
            return Array(decoded)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// TLS 1.2+, the server verified against the bank's root only (when known), the current
    /// certificate and key offered for renewal.
    private func configuration() throws -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let trustRoot {
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: try trustRoot.derBytes, format: .der)])
        } else {
            // First use without --ca: fetch only cacerts, then pin (see EnrollCommand).
            tls.certificateVerification = .none
        }
        if let clientCredential {
            tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: try clientCredential.certificate.derBytes, format: .der))]
            tls.privateKey = .privateKey(clientCredential.key)
            if clientCredential.tls12Only { tls.maximumTLSVersion = .tlsv12 }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        return configuration
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
