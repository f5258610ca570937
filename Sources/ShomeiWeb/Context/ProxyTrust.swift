import Foundation
import HTTPTypes
import NIOCore
import X509

/// Login behind a TLS-terminating reverse proxy (SPEC §4): the proxy (nginx) checks the client
/// certificate against our CA and passes it in a header; Shomei believes that header only on a
/// connection from one of the proxy's own addresses.
///
/// The header carries the PEM certificate URL-encoded, as nginx's `$ssl_client_escaped_cert`
/// gives it, and is empty when the client sent none. Whatever the proxy vouches for is still only
/// a claim: the login admits a certificate only if its exact bytes are the user's current one in
/// our store (`CertificateLogin`), so a proxy can add no certificate we did not issue.
public struct ProxyTrust: Sendable {
    public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
        case notAnIPAddress(String)
        case noTrustedAddress
        case invalidHeaderName(String)

        public var description: String {
            switch self {
            case .notAnIPAddress(let text): "proxy trusted address \"\(text)\" is not an IPv4 or IPv6 address"
            case .noTrustedAddress: "a proxy listener needs at least one trusted proxy address"
            case .invalidHeaderName(let name): "\"\(name)\" is not an HTTP header name"
            }
        }
    }

    public enum RequestError: Error, Equatable {
        /// The connection is not from a trusted proxy address.
        case untrustedPeer(String)
        /// The header is present and not empty, but not a URL-encoded PEM certificate.
        case unreadableCertificateHeader
    }

    public static let defaultHeader = "X-SSL-Client-Cert"
    let addresses: Set<String>
    let header: HTTPField.Name

    public init(addresses: [String], certificateHeader: String = Self.defaultHeader) throws(ConfigurationError) {
        guard !addresses.isEmpty else { throw .noTrustedAddress }
        var normalised = Set<String>()
        for text in addresses {
            guard let address = try? SocketAddress(ipAddress: text, port: 0), let ip = address.ipAddress else {
                throw .notAnIPAddress(text)
            }
            normalised.insert(Self.unmapped(ip))
        }
        guard let header = HTTPField.Name(certificateHeader) else { throw .invalidHeaderName(certificateHeader) }
        self.addresses = normalised
        self.header = header
    }

    /// The certificate the proxy passes, nil when it passes none.
    package func certificate(from peer: SocketAddress?, headers: HTTPFields) throws(RequestError) -> Certificate? {
        let ip = peer?.ipAddress.map(Self.unmapped) ?? "unknown"
        guard addresses.contains(ip) else { throw .untrustedPeer(ip) }
        guard let value = headers[header], !value.isEmpty else { return nil }
        guard let pem = value.removingPercentEncoding, let certificate = try? Certificate(pemEncoded: pem) else {
            throw .unreadableCertificateHeader
        }
        return certificate
    }

    /// A dual-stack listener sees IPv4 peers as `::ffff:a.b.c.d`; the configuration names them plainly.
    /// The client's address: the last hop of the trusted proxy's `X-Forwarded-For` (the address
    /// the proxy itself saw; earlier hops are the client's own say), else the peer's.
    package func clientAddress(peer: SocketAddress?, headers: HTTPFields) -> String? {
        let forwarded = headers[.init("X-Forwarded-For")!]?.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        if let forwarded, (try? SocketAddress(ipAddress: forwarded, port: 0)) != nil { return Self.unmapped(forwarded) }
        return Self.address(of: peer)
    }

    /// An IP address as text, IPv4-mapped IPv6 addresses as IPv4.
    package static func address(of peer: SocketAddress?) -> String? {
        peer?.ipAddress.map(unmapped)
    }

    private static func unmapped(_ ip: String) -> String {
        ip.lowercased().hasPrefix("::ffff:") && ip.contains(".") ? String(ip.dropFirst("::ffff:".count)) : ip
    }
}

/// The plain-HTTP listener a TLS-terminating proxy forwards the customer and staff pages to.
public struct ProxiedListener: Sendable {
    public let host: String
    public let port: Int
    public let trust: ProxyTrust

    public init(host: String, port: Int, trust: ProxyTrust) {
        self.host = host
        self.port = port
        self.trust = trust
    }
}
