import ArgumentParser
import ShomeiDomain

struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract", abstract: "Corporate customers (契約先).",
        subcommands: [Add.self, List.self, Show.self, LoginMethod.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a contract.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Contract ID (ご契約先ID): 1–20 ASCII letters and digits.") var id: String
        @Option(help: "Company name (契約先名).") var name: String
        @Option(help: "Portal login: certificate (電子証明書方式, default) or password (ID・パスワード方式).")
        var login: Contract.LoginMethod = .certificate

        func run() async throws {
            let id = try ContractID(id)
            let contract = try await options.withInstallation { installation in
                try await installation.registration.addContract(id: id, name: name, loginMethod: login, actor: options.auditActor)
            }
            try Output(json: options.json).emit(contract) { "contract \(contract.id) added: \(contract.name)" }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List contracts.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let contracts = try await options.withInstallation { installation in
                try await installation.operatorQueries.contracts()
            }
            try Output(json: options.json).emit(contracts) {
                contracts.map { "\($0.id)\t\($0.name)" }.joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a contract with its users.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Contract ID.") var id: String

        struct View: Encodable {
            let contract: Contract
            let users: [UserView]
        }

        func run() async throws {
            let id = try ContractID(id)
            let view = try await options.withInstallation { installation in
                let (contract, users) = try await installation.operatorQueries.contract(id)
                return View(contract: contract, users: users.map(UserView.init))
            }
            try Output(json: options.json).emit(view) {
                (["\(view.contract.id)\t\(view.contract.name)"] + view.users.map { "  " + $0.text(options.language) })
                    .joined(separator: "\n")
            }
        }
    }

    /// 電子証明書方式 ↔ ID・パスワード方式 for the whole contract.
    struct LoginMethod: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login-method", abstract: "Switch how a contract's users log in: certificate or password.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Contract ID.") var id: String
        @Option(help: "certificate (電子証明書方式) or password (ID・パスワード方式).") var to: Contract.LoginMethod

        func run() async throws {
            let id = try ContractID(id)
            let contract = try await options.withInstallation { installation in
                try await installation.registration.changeLoginMethod(of: id, to: to, actor: options.auditActor)
            }
            try Output(json: options.json).emit(contract) { "contract \(contract.id) logs in with: \(contract.loginMethod.rawValue)" }
        }
    }
}
extension Contract.LoginMethod: ExpressibleByArgument {}
