import ArgumentParser
import Foundation
import ShomeiDomain

/// The `shomei` command: the bank operator's tool and the server's entry point.
public struct Shomei: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "shomei",
        abstract: "Shomei (証明): client certificates for corporate internet banking.",
        subcommands: [
            InitCommand.self, ServeCommand.self, DemoCommand.self, ContractCommand.self, UserCommand.self, CodeCommand.self,
            CertCommand.self, CRLCommand.self, OCSPCommand.self, AuditCommand.self, NoticesCommand.self,
            OutboxCommand.self, CalendarCommand.self, EnrollCommand.self, RenewCommand.self, ApplicationCommand.self, StaffCommand.self,
            APIClientCommand.self,
        ])

    public init() {}

    /// Runs the command line; refusals print in the operator's language and exit with a code
    /// per kind (see `ExitStatus`), anything else through ArgumentParser's own reporting.
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as ShomeiError {
            Output.warn("shomei: " + error.message(Language.current))
            Foundation.exit(ExitStatus.code(for: error.category))
        } catch {
            exit(withError: error)
        }
    }
}

/// Exit codes, stable for scripts.
public enum ExitStatus {
    public static func code(for category: ShomeiError.Category) -> Int32 {
        switch category {
        case .invalidInput: 3
        case .notFound: 4
        case .conflict: 5
        case .refused: 6
        case .configuration: 7
        case .unavailable: 9
        }
    }
}
