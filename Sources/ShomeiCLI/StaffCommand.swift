import ArgumentParser
import Foundation
import ShomeiDomain

/// Bank staff accounts of the console (`/bank`): created here at first (SPEC: by CLI).
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Bank staff accounts of the console: add, unlock.", subcommands: [Add.self, Unlock.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account (prints a generated password once without --password-file).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Login ID: 1–32 ASCII letters, digits, '.', '_', '-'.") var id: String
        @Option(help: "Name shown in histories, e.g. IT統括部 1.") var name: String
        @Option(help: "operator, approver, auditor or administrator.") var role: Staff.Role
        @Option(help: "File holding the initial password.") var passwordFile: String?

        func run() async throws {
            let password = try passwordFile.map(InputFile.secret)
            let (staff, generated) = try await options.withInstallation { installation in
                try await installation.staffAuthority.add(id: id, name: name, role: role, password: password, actor: options.auditActor)
            }
            try Output(json: options.json).emit(["id": staff.id, "role": staff.role.rawValue, "password": generated ?? ""]) {
                "staff \(staff.id) (\(staff.role.rawValue)) added" + (generated.map { "; initial password: \($0)" } ?? "")
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unlock a staff account locked by wrong passwords.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Login ID.") var id: String

        func run() async throws {
            try await options.withInstallation { try await $0.staffAuthority.unlock(id: id, actor: options.auditActor) }
            try Output(json: options.json).emit(["unlocked": id]) { "staff \(id) unlocked" }
        }
    }
}

extension Staff.Role: ExpressibleByArgument {}
