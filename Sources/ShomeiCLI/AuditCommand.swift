import ArgumentParser
import ShomeiDomain
import ShomeiStorage

extension AuditEvent.Action: ExpressibleByArgument {}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [List.self, Verify.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Audit entries, oldest first, optionally of one action.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only entries after this sequence number.") var after: Int64 = 0
        @Option(help: "At most this many entries (read before filtering by action).") var limit: Int = 1000
        @Option(help: "Only this action, e.g. user.login_refused.") var action: AuditEvent.Action?

        func run() async throws {
            let events = try await options.withInstallation { installation in
                try await installation.operatorQueries.auditEvents(after: after, limit: limit)
            }.filter { action == nil || $0.action == action }
            try Output(json: options.json).emit(events) {
                events.map { "\($0.sequence)\t\($0.time)\t\($0.actor)\t\($0.action.rawValue)\t\($0.target)\t\($0.details)" }
                    .joined(separator: "\n")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-compute the audit hash chain; exit 8 if any entry was changed or removed.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let verdict = try await options.withInstallation { try await $0.operatorQueries.verifyAuditChain() }
            switch verdict {
            case .intact(let entries):
                try Output(json: options.json).emit(["intact": entries]) { "audit chain intact: \(entries) entries" }
            case .broken(let sequence):
                try Output(json: options.json).emit(["brokenAt": sequence]) { "audit chain BROKEN at entry \(sequence)" }
                throw ExitCode(8)
            }
        }
    }
}
