import ArgumentParser
import ShomeiStorage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-compute the audit hash chain; exit 8 if any entry was changed or removed.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let verdict = try await options.withInstallation { try await AuditChain.verify($0.store) }
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
