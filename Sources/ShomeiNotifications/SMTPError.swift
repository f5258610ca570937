/// Why a delivery did not happen; `isPermanent` decides between retrying and giving up.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionFailed(String)
    case connectionClosed
    case timeout
    case malformedReply(String)
    /// The server answered a command with an unexpected reply.
    case rejected(command: String, reply: String, permanent: Bool)
    case startTLSRequired
    case authenticationUnavailable(String)
    case tlsFailed(String)

    /// Only a 5xx answer to the message itself is final; everything else may work later.
    public var isPermanent: Bool {
        if case .rejected(_, _, let permanent) = self { return permanent }
        return false
    }

    public var description: String {
        switch self {
        case .connectionFailed(let why): "cannot connect to the SMTP server: \(why)"
        case .connectionClosed: "the SMTP server closed the connection"
        case .timeout: "the SMTP server did not answer in time"
        case .malformedReply(let line): "the SMTP server sent a malformed reply: \(line)"
        case .rejected(let command, let reply, _): "the SMTP server refused \(command): \(reply)"
        case .startTLSRequired: "the SMTP server does not offer STARTTLS, which the configuration requires"
        case .authenticationUnavailable(let why): "cannot authenticate to the SMTP server: \(why)"
        case .tlsFailed(let why): "TLS with the SMTP server failed: \(why)"
        }
    }
}
