/// Why a delivery did not happen, and whether the fault is the message's or the session's.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionFailed(String)
    case connectionClosed
    case timeout
    case malformedReply(String)
    /// The server answered a command with an unexpected reply.
    case rejected(command: String, code: Int, reply: String)
    case startTLSRequired
    case tlsFailed(String)
    case authenticationUnavailable(String)

    /// A refusal of this message's recipient or content (RCPT TO, DATA); anything else (the
    /// sender address, authentication, the connection) concerns every message alike.
    public var concernsMessage: Bool {
        guard case .rejected(let command, let code, _) = self else { return false }
        return (command == "RCPT TO" || command == "DATA") && ![421, 530, 535].contains(code)
    }

    /// A 5xx refusal of the message itself: it will never be accepted, so it is not retried.
    public var isPermanent: Bool {
        guard concernsMessage, case .rejected(_, let code, _) = self else { return false }
        return (500..<600).contains(code)
    }

    public var description: String {
        switch self {
        case .connectionFailed(let why): "cannot connect to the SMTP server: \(why)"
        case .connectionClosed: "the SMTP server closed the connection"
        case .timeout: "the SMTP server did not answer in time"
        case .malformedReply(let line): "the SMTP server sent a malformed reply: \(line)"
        case .rejected(let command, _, let reply): "the SMTP server refused \(command): \(reply)"
        case .startTLSRequired: "the SMTP server does not offer STARTTLS, which the configuration requires"
        case .tlsFailed(let why): "TLS with the SMTP server failed: \(why)"
        case .authenticationUnavailable(let why): "cannot authenticate to the SMTP server: \(why)"
        }
    }
}
