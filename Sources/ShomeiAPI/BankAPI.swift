import Foundation
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import ShomeiDomain
import ShomeiRA

/// The bank API's operations (`openapi.yaml`), over the one registration authority for changes
/// and `IntegrationQueries` for reads. Each handler checks the caller's scope first, turns the
/// generated input into domain values (a malformed one is a `ShomeiError` naming the field),
/// and answers with the document's success shape; every refusal is thrown and worded by the web
/// layer's problem middleware.
struct BankAPI: APIProtocol {
    let registration: RegistrationAuthority
    let queries: IntegrationQueries
    let bulk: BulkRegistration

    static let defaultLimit = 100
    static let maximumLimit = 1000

    static func limit(_ value: Int?) throws -> Int {
        let limit = value ?? defaultLimit
        guard (1...maximumLimit).contains(limit) else { throw ShomeiError.requestParameterInvalid("limit") }
        return limit
    }

    static func contractID(_ text: String, field: String = "contractId") throws -> ContractID {
        do { return try ContractID(text) } catch { throw ShomeiError.requestParameterInvalid(field) }
    }

    static func userKey(_ contract: String, _ user: String) throws -> UserKey {
        let contract = try contractID(contract)
        do { return UserKey(contractID: contract, userID: try UserID(user)) } catch { throw ShomeiError.requestParameterInvalid("userId") }
    }
}

/// Puts the bank API on a router: the generated routes under `/api/v1`, and the document itself.
public struct BankAPIRoutes: Sendable {
    let api: BankAPI

    public init(registration: RegistrationAuthority, queries: IntegrationQueries) {
        api = BankAPI(registration: registration, queries: queries, bulk: BulkRegistration(registration: registration))
    }

    /// `openapi.yaml` as kept in the repository, served at `/api/v1/openapi.yaml`.
    public static let document: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = try? Data(contentsOf: url) else {
            preconditionFailure("openapi.yaml is missing from the ShomeiAPI bundle")
        }
        return Array(data)
    }()

    public static let pathPrefix = "/api/v1"

    /// Registers the operations and answers what was registered (for 405's `Allow`).
    public func register<Context: RequestContext>(on router: RouterGroup<Context>) throws -> APIOperations {
        let recorder = OperationRecorder(router)
        try api.registerHandlers(on: recorder, serverURL: try Servers.Server1.url())
        return recorder.operations
    }
}
