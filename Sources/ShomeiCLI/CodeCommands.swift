import ArgumentParser
import Foundation
import ShomeiDomain

struct CodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code", abstract: "One-time activation codes for first issuance.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new activation code (printed once; earlier unused codes stop working).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection

        struct Result: Encodable {
            let contract: String
            let user: String
            let activationCode: String
            let expiresAt: Date
        }

        func run() async throws {
            let key = try selection.key()
            let (code, record) = try await options.withInstallation { installation in
                try await installation.registration.issueActivationCode(for: key, actor: options.auditActor)
            }
            let result = Result(
                contract: key.contractID.rawValue, user: key.userID.rawValue, activationCode: code,
                expiresAt: record.expiresAt)
            try Output(json: options.json).emit(result) {
                "activation code for \(key) (shown once): \(code)\nexpires: \(TokyoTime.format(record.expiresAt))"
            }
        }
    }
}
