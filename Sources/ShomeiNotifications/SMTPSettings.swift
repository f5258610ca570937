/// How Shomei reaches the bank's mail relay.
public struct SMTPSettings: Sendable, Codable, Equatable {
    public enum TLSMode: String, Sendable, Codable {
        /// Upgrade with STARTTLS when the server offers it, plain otherwise (loopback relays).
        case startTLSWhenOffered
        /// Refuse to send unless the server offers STARTTLS.
        case requireStartTLS
        case none
    }

    public var host: String
    public var port: Int
    public var tls: TLSMode
    /// PEM file of the CA certificates the relay's certificate must chain to; the system's
    /// trust store when nil.
    public var trustRootsFile: String?
    /// AUTH user name; the password comes from `SHOMEI_SMTP_PASSWORD` or `..._FILE`, never the config file.
    public var username: String?
    /// The name this host gives in EHLO.
    public var heloName: String
    /// The envelope and header sender, e.g. `noreply@bank.example`.
    public var from: String
    public var timeoutSeconds: Int

    public init(
        host: String = "127.0.0.1", port: Int = 25, tls: TLSMode = .startTLSWhenOffered, trustRootsFile: String? = nil,
        username: String? = nil, heloName: String = "localhost", from: String = "noreply@bank.example",
        timeoutSeconds: Int = 30
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.trustRootsFile = trustRootsFile
        self.username = username
        self.heloName = heloName
        self.from = from
        self.timeoutSeconds = timeoutSeconds
    }
}
