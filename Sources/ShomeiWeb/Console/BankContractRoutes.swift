import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The console's contracts (#18): the list (in pages), one contract with its users, the
/// registration of a contract with its マスター user, and the switch of its login method. Every
/// role reads; auditors change nothing (`Staff.Role.decidesApplications`). Activation codes are
/// asked for under four eyes (`BankActionRoutes`), whose approval prints the letter.
enum BankContractRoutes {
    static let pageSize = 100

    /// The registration form as posted.
    struct Registration: Decodable {
        let contractId: String?
        let contractName: String?
        let loginMethod: String?
        let masterId: String?
        let masterName: String?
        let masterEmail: String?

        var typed: RegistrationForm {
            RegistrationForm(
                contractId: contractId ?? "", contractName: contractName ?? "", masterId: masterId ?? "",
                masterName: masterName ?? "", masterEmail: masterEmail ?? "")
        }
    }

    struct LoginMethodChange: Decodable {
        let loginMethod: String?
    }

    static func add(to group: RouterGroup<ConsoleRequestContext>, console: BankConsole) {
        group.get("/bank/contracts") { request, context in
            let after = request.uri.queryParameters["after"].flatMap { try? ContractID(String($0)) }
            return try await listPage(context, console, after: after)
        }
        group.post("/bank/contracts") { request, context in
            guard context.staff.role.decidesApplications else { throw ShomeiError.staffNotPermitted }
            let form = try await BrowserSupport.form(request, as: Registration.self)
            do {
                let id = try ContractID(form.contractId ?? "")
                let master = NewUser(
                    key: UserKey(contractID: id, userID: try UserID(form.masterId ?? "")), name: form.masterName ?? "", role: .master,
                    email: try EmailAddress(form.masterEmail ?? ""))
                let registered = try await console.registration.addContract(
                    id: id, name: form.contractName ?? "", loginMethod: try method(form.loginMethod), master: master,
                    actor: "staff:\(context.staff.id)")
                return try await contractPage(context, console, id, initialPassword: registered.generatedPassword)
            } catch let error as ShomeiError {
                return try await listPage(context, console, after: nil, form: form.typed, error: error)
            }
        }
        group.get("/bank/contracts/:id") { _, context in
            try await contractPage(context, console, try ContractID(context.parameters.get("id") ?? ""))
        }
        group.post("/bank/contracts/:id/login-method") { request, context in
            guard context.staff.role.decidesApplications else { throw ShomeiError.staffNotPermitted }
            let id = try ContractID(context.parameters.get("id") ?? "")
            let change = try await BrowserSupport.form(request, as: LoginMethodChange.self)
            _ = try await console.registration.changeLoginMethod(of: id, to: try method(change.loginMethod), actor: "staff:\(context.staff.id)")
            return BrowserSupport.redirect("/bank/contracts/\(id)")
        }
    }

    private static func method(_ value: String?) throws -> Contract.LoginMethod {
        guard let method = value.flatMap(Contract.LoginMethod.init(rawValue:)) else { throw ShomeiError.formFieldMissing("loginMethod") }
        return method
    }

    private static func listPage(
        _ context: ConsoleRequestContext, _ console: BankConsole, after: ContractID?, form: RegistrationForm = .init(),
        error: ShomeiError? = nil
    ) async throws -> Response {
        let l = context.language
        let contracts = try await console.queries.contracts(after: after, limit: pageSize)
        let rows = contracts.map { BankContractsPage.Row(id: $0.id.rawValue, name: $0.name, loginMethod: label($0.loginMethod, l)) }
        return try console.page(
            BankContractsPage(
                rows: rows, hasRows: !rows.isEmpty, more: contracts.count == pageSize ? contracts.last.map { "after=\($0.id)" } : nil,
                canRegister: context.staff.role.decidesApplications, loginMethods: options(.certificate, l), form: form),
            title: Label.contractsTitle, context, error: error, status: error?.httpStatus ?? .ok)
    }

    private static func contractPage(
        _ context: ConsoleRequestContext, _ console: BankConsole, _ id: ContractID, initialPassword: String? = nil
    ) async throws -> Response {
        let l = context.language
        guard let (contract, users) = try await console.queries.contract(id) else { throw ShomeiError.contractNotFound(id) }
        return try console.page(
            BankContractPage(
                id: contract.id.rawValue, name: contract.name, loginMethod: label(contract.loginMethod, l),
                users: users.map { .init(id: $0.key.userID.rawValue, name: $0.name, role: Message.roleLabel($0.role).text(l),
                                         status: Message.userStatusLabel($0.status).text(l)) },
                canChange: context.staff.role.decidesApplications, loginMethods: options(contract.loginMethod, l),
                initialPassword: initialPassword),
            title: "\(Label.contractsTitle.text(l)) \(contract.id)", context)
    }

    private static func label(_ method: Contract.LoginMethod, _ l: Language) -> String {
        Label.loginMethodName(method).text(l)
    }

    private static func options(_ selected: Contract.LoginMethod, _ l: Language) -> [SelectOption] {
        Contract.LoginMethod.allCases.map { SelectOption(value: $0.rawValue, label: label($0, l), selected: $0 == selected) }
    }
}
