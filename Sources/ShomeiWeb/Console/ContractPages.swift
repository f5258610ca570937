/// The contracts list, with the registration form for staff who may change things.
struct BankContractsPage: PageView {
    static let template = "bank-contracts"

    struct Row: Encodable, Sendable {
        let id: String
        let name: String
        let loginMethod: String
    }

    let rows: [Row]
    let hasRows: Bool
    /// The query of the next page (`after=…`), when this one was full.
    let more: String?
    let canRegister: Bool
    let loginMethods: [SelectOption]
    /// What was typed, kept when the registration was refused.
    let form: RegistrationForm
}

/// The registration form's fields (`BankContractRoutes.Registration`), as typed.
struct RegistrationForm: Encodable, Sendable {
    var contractId = ""
    var contractName = ""
    var masterId = ""
    var masterName = ""
    var masterEmail = ""
}

/// One contract: its facts, its users, and the login-method switch.
struct BankContractPage: PageView {
    static let template = "bank-contract"

    struct UserRow: Encodable, Sendable {
        let id: String
        let name: String
        let role: String
        let status: String
    }

    let id: String
    let name: String
    let loginMethod: String
    let users: [UserRow]
    let canChange: Bool
    let loginMethods: [SelectOption]
    /// The new master's generated password, on the registration's answer only.
    let initialPassword: String?
}
