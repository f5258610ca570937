import ArgumentParser
import Foundation
import ShomeiDomain

extension OutboxMessage.Status: ExpressibleByArgument {}

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "The durable mail outbox.",
        subcommands: [List.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List messages, newest first, with their delivery state.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only messages in this state: pending, sent or failed.") var status: OutboxMessage.Status?
        @Option(help: "At most this many messages.") var limit = 100

        func run() async throws {
            let messages = try await options.withInstallation { installation in
                try await installation.operatorQueries.outboxMessages(status: status, limit: limit)
            }
            try Output(json: options.json).emit(messages.map(OutboxView.init)) {
                messages.map(OutboxView.init).map(\.text).joined(separator: "\n")
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue failed or waiting messages for sending now (one by ID, or --all).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The message ID (from `outbox list`).") var id: String?
        @Flag(help: "Every message not yet sent.") var all = false

        struct Result: Encodable { let requeued: Int }

        func validate() throws {
            guard (id == nil) != (!all) else { throw ValidationError("give a message ID or --all (not both)") }
        }

        func run() async throws {
            let count = try await options.withInstallation { installation in
                try await installation.outboxDesk.requeue(id: id, actor: options.auditActor)
            }
            try Output(json: options.json).emit(Result(requeued: count)) { "\(count) message(s) queued for sending" }
        }
    }
}

/// What the CLI shows of an outbox message: state and error, not the body.
struct OutboxView: Encodable {
    let id: String
    let recipient: String
    let subject: String
    let status: String
    let attempts: Int
    let createdAt: Date
    let nextAttemptAt: Date?
    let sentAt: Date?
    let lastError: String?

    init(_ message: OutboxMessage) {
        id = message.id
        recipient = message.recipient.rawValue
        subject = message.subject
        status = message.status.rawValue
        attempts = message.attempts
        createdAt = message.createdAt
        nextAttemptAt = message.status == .pending ? message.nextAttemptAt : nil
        sentAt = message.sentAt
        lastError = message.lastError
    }

    var text: String {
        var line = "\(id)\t\(status)\t\(recipient)\t\(subject)\tattempts \(attempts)"
        if let nextAttemptAt { line += "\tnext \(TokyoTime.format(nextAttemptAt))" }
        if let lastError { line += "\terror: \(lastError)" }
        return line
    }
}
