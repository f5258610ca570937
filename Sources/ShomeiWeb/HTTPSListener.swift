import NIOSSL
import X509

/// The HTTPS side of `shomei serve` (EST now, the portal later): TLS 1.2 or newer, with client
/// certificates requested but not required, and verified against the issuing CA when sent.
public struct HTTPSListener: Sendable {
    public let host: String
    public let port: Int
    let tls: TLSConfiguration

    /// `chain` runs from the server certificate up (without the root); `keyPEM` is its PKCS#8 key;
    /// client certificates must chain to `clientRoots`.
    public init(host: String, port: Int, chain: [Certificate], keyPEM: String, clientRoots: [Certificate]) throws {
        self.host = host
        self.port = port
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try chain.map { .certificate(try NIOSSLCertificate(bytes: try $0.derBytes, format: .der)) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates(try clientRoots.map { try NIOSSLCertificate(bytes: try $0.derBytes, format: .der) })
        self.tls = tls
    }
}
