import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP conversation (RFC 5321) on swift-nio: greeting, EHLO, STARTTLS when offered, AUTH
/// PLAIN or LOGIN, then any number of messages, then QUIT.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let settings: SMTPSettings

    /// Connects and gets the session ready for `deliver`.
    static func open(_ settings: SMTPSettings, password: String?) async throws -> SMTPConnection {
        let connection = SMTPConnection(channel: try await connect(settings), settings: settings)
        do {
            try await connection.expect(220, after: nil)
            var capabilities = try await connection.hello()
            let encrypted = capabilities.contains("STARTTLS") && settings.tls != .none
            if encrypted {
                try await connection.startTLS()
                capabilities = try await connection.hello()
            } else if settings.tls == .requireStartTLS {
                throw SMTPError.startTLSRequired
            }
            if let username = settings.username {
                // A relay that stops offering STARTTLS (or an attacker stripping it) gets no password.
                guard encrypted || settings.tls == .none else {
                    throw SMTPError.authenticationUnavailable("the server did not offer STARTTLS; the password is never sent in clear")
                }
                try await connection.authenticate(username, password ?? "", offered: capabilities)
            }
            return connection
        } catch {
            try? await connection.channel.close()
            throw error
        }
    }

    private static func connect(_ settings: SMTPSettings) async throws -> any Channel {
        let timeout = Int64(settings.timeoutSeconds)
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(timeoutSeconds: timeout))
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw SMTPError.connectionFailed("\(settings.host):\(settings.port): \(error)")
        }
    }

    /// Sends one message; throws `SMTPError.rejected` when the server refuses it.
    func deliver(from: String, to: String, message: String) async throws {
        try await expect(250, after: "MAIL FROM:<\(from)>")
        let recipient = try await reply(to: "RCPT TO:<\(to)>")
        guard recipient.code == 250 || recipient.code == 251 else {
            throw SMTPError.rejected(command: "RCPT TO", code: recipient.code, reply: recipient.text)
        }
        try await expect(354, after: "DATA")
        let accepted = try await reply(to: Self.dotStuffed(message) + ".")
        guard accepted.code == 250 else {
            throw SMTPError.rejected(command: "DATA", code: accepted.code, reply: accepted.text)
        }
    }

    /// After a refused message: clears the transaction so the next message can go.
    func reset() async throws {
        try await expect(250, after: "RSET")
    }

    func quit() async {
        _ = try? await reply(to: "QUIT")
        try? await channel.close()
    }

    /// RFC 5321 §4.5.2: a line starting with "." gets another "." so it cannot end the data.
    static func dotStuffed(_ message: String) -> String {
        let text = message.hasSuffix("\r\n") ? message : message + "\r\n"
        return text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.hasPrefix(".") ? ".\($0)" : String($0) }
            .joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Session steps

    /// EHLO; returns the capability keywords the server announced (upper-cased).
    private func hello() async throws -> [String] {
        let reply = try await expect(250, after: "EHLO \(settings.heloName)")
        return reply.lines.dropFirst().map { $0.uppercased() }
    }

    private func startTLS() async throws {
        try await expect(220, after: "STARTTLS")
        let channel = channel
        let injected = try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self).hasUnrequestedReplies
        }.get()
        guard !injected else { throw SMTPError.tlsFailed("the server sent replies before the TLS handshake") }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let file = settings.trustRootsFile { configuration.trustRoots = .file(file) }
        let context = try NIOSSLContext(configuration: configuration)
        let host = settings.host
        do {
            try await channel.eventLoop.submit {
                let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
                let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw SMTPError.tlsFailed("\(error)")
        }
    }

    /// AUTH PLAIN (RFC 4616) if offered, else AUTH LOGIN; never over an unencrypted channel
    /// unless the configuration turned TLS off on purpose.
    private func authenticate(_ username: String, _ password: String, offered capabilities: [String]) async throws {
        let mechanisms = capabilities.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?
            .dropFirst(5).split(separator: " ").map(String.init) ?? []
        if mechanisms.contains("PLAIN") {
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            try await expect(235, after: "AUTH PLAIN \(token)")
        } else if mechanisms.contains("LOGIN") {
            try await expect(334, after: "AUTH LOGIN")
            try await expect(334, after: Data(username.utf8).base64EncodedString())
            try await expect(235, after: Data(password.utf8).base64EncodedString())
        } else {
            throw SMTPError.authenticationUnavailable("the server offers no PLAIN or LOGIN authentication")
        }
    }

    // MARK: Commands and replies

    @discardableResult
    private func expect(_ code: Int, after command: String?) async throws -> SMTPReply {
        let reply = try await reply(to: command)
        guard reply.code == code else {
            throw SMTPError.rejected(command: Self.verb(of: command), code: reply.code, reply: reply.text)
        }
        return reply
    }

    /// The command's name for error messages; AUTH continuation lines (credentials) are never echoed.
    static func verb(of command: String?) -> String {
        guard let command else { return "greeting" }
        return ["EHLO", "STARTTLS", "AUTH", "MAIL FROM", "DATA", "RSET"].first { command.hasPrefix($0) } ?? "AUTH"
    }

    /// Sends a command line (none for the greeting) and waits for its reply.
    private func reply(to command: String?) async throws -> SMTPReply {
        let channel = channel
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        channel.eventLoop.execute {
            do {
                try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self).expect(promise)
                if let command { channel.writeAndFlush(ByteBuffer(string: command + "\r\n"), promise: nil) }
            } catch {
                promise.fail(error)
            }
        }
        return try await promise.futureResult.get()
    }
}
