import ArgumentParser
import Foundation
import ShomeiDomain
import ShomeiRA

/// `--contract C --user U`, shared by every command that names one user.
struct UserSelection: ParsableArguments {
    @Option(help: "Contract ID.") var contract: String
    @Option(help: "User ID (利用者ID).") var user: String

    func key() throws -> UserKey {
        UserKey(contractID: try ContractID(contract), userID: try UserID(user))
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Users (利用者) of a contract.",
        subcommands: [Add.self, List.self, Show.self, Disable.self, Unlock.self, SetConfirmationPassword.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a user.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection
        @Option(help: "Display name (利用者名).") var name: String
        @Option(help: "Authority: master (マスター), admin (管理者) or general (一般).") var role: Role
        @Option(help: "E-mail address for certificate notices.") var email: String
        @Option(help: "File holding the initial password; without it one is generated and printed once.")
        var passwordFile: String?
        @Option(help: "Language of the user's e-mail notices: ja or en.") var language: Language = .japanese

        struct Result: Encodable {
            let user: UserView
            let initialPassword: String?
        }

        func run() async throws {
            let request = NewUser(
                key: try selection.key(), name: name, role: role, email: try EmailAddress(email),
                password: try passwordFile.map(InputFile.secret), language: language)
            let (user, generated) = try await options.withInstallation { installation in
                try await installation.registration.addUser(request, actor: options.auditActor)
            }
            let result = Result(user: UserView(user), initialPassword: generated)
            try Output(json: options.json).emit(result) {
                var text = "user \(user.key) added (\(user.role.label(options.language)))"
                if let generated { text += "\ninitial password (shown once): \(generated)" }
                return text
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a contract's users.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Contract ID.") var contract: String

        func run() async throws {
            let id = try ContractID(contract)
            let users = try await options.withInstallation { installation in
                try await installation.operatorQueries.contract(id).users.map(UserView.init)
            }
            try Output(json: options.json).emit(users) {
                users.map { $0.text(options.language) }.joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user and its current certificate.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection

        struct View: Encodable {
            let user: UserView
            let certificate: CertificateView?
        }

        func run() async throws {
            let key = try selection.key()
            let view = try await options.withInstallation { installation in
                let (user, certificate) = try await installation.operatorQueries.user(key)
                return View(user: UserView(user), certificate: certificate.map(CertificateView.init))
            }
            try Output(json: options.json).emit(view) {
                view.user.text(options.language) + (view.certificate.map { "\n" + $0.details(options.language) } ?? "")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (no login, no certificate).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            try await changeUser(options, selection, done: "disabled") { try await $0.disableUser($1, actor: $2) }
        }
    }
}

extension UserCommand {
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unlock a user locked by wrong passwords.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            try await changeUser(options, selection, done: "unlocked") { try await $0.unlockUser($1, actor: $2) }
        }
    }
}

extension UserCommand {
    /// The bank sets a master's or administrator's 確認用パスワード (or resets a locked one).
    struct SetConfirmationPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-confirmation-password",
            abstract: "Set (or reset and unlock) a master's or administrator's confirmation password (確認用パスワード).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection
        @Option(help: "File holding the password; without it one is generated and printed once.") var passwordFile: String?

        struct Result: Encodable {
            let user: String
            let confirmationPassword: String?
        }

        func run() async throws {
            let key = try selection.key()
            let password = try passwordFile.map(InputFile.secret)
            let generated = try await options.withInstallation { installation in
                try await installation.registration.setConfirmationPassword(password, for: key, actor: options.auditActor)
            }
            try Output(json: options.json).emit(Result(user: "\(key)", confirmationPassword: generated)) {
                "confirmation password of \(key) set" + (generated.map { "\nconfirmation password (shown once): \($0)" } ?? "")
            }
        }
    }
}

/// One RA change to one user, reported as `user <key> <done>` (or `{"<done>": "<key>"}`).
private func changeUser(
    _ options: GlobalOptions, _ selection: UserSelection, done: String,
    _ change: (RegistrationAuthority, UserKey, String) async throws -> Void
) async throws {
    let key = try selection.key()
    try await options.withInstallation { installation in
        try await change(installation.registration, key, options.auditActor)
    }
    try Output(json: options.json).emit([done: "\(key)"]) { "user \(key) \(done)" }
}

extension Role: ExpressibleByArgument {}
extension StorageMedium: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
