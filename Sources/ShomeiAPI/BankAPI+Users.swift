import Foundation
import OpenAPIRuntime
import ShomeiDomain
import ShomeiRA

extension BankAPI {
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        _ = try APICall.require(.usersRead)
        let limit = try Self.limit(input.query.limit)
        let contract = try Self.contractID(input.path.contractId)
        let after: UserID?
        do { after = try input.query.after.map { try UserID($0) } } catch { throw ShomeiError.requestParameterInvalid("after") }
        let filter = IntegrationQueries.UserFilter(
            role: input.query.role.map(Role.init), status: input.query.status.map(User.Status.init),
            state: input.query.certificateState.map(LifecycleStatus.State.init))
        let users = try await queries.users(of: contract, matching: filter, after: after, limit: limit)
        return .ok(.init(body: .json(.init(
            items: users.map { Components.Schemas.User($0.user, $0.status) },
            next: users.count == limit ? users.last?.user.key.userID.rawValue : nil))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let call = try APICall.require(.usersWrite)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let request = try BulkRegistration.newUser(body, contract: try Self.contractID(input.path.contractId), pointer: "")
        let (user, password) = try await registration.addUser(request, actor: call.client.actor)
        let status = try await queries.user(user.key).status
        return .created(.init(body: .json(.init(user: .init(user, status), initialPassword: password))))
    }

    func createUsers(_ input: Operations.CreateUsers.Input) async throws -> Operations.CreateUsers.Output {
        let call = try APICall.require(.usersWrite)
        let contract = try await queries.contract(try Self.contractID(input.path.contractId)).id
        let rows: [BulkRegistration.Row]
        switch input.body {
        case .json(let users): rows = BulkRegistration.rows(users, contract: contract)
        case .csv(let body): rows = try BulkRegistration.rows(csv: try await String(collecting: body, upTo: BulkRegistration.maximumCSVBytes), contract: contract)
        }
        let result = try await bulk.register(rows, in: contract, actor: call.client.actor, language: call.language)
        return .ok(.init(body: .json(result)))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        _ = try APICall.require(.usersRead)
        return .ok(.init(body: .json(try await user(try Self.userKey(input.path.contractId, input.path.userId)))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let call = try APICall.require(.usersWrite)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let key = try Self.userKey(input.path.contractId, input.path.userId)
        let email: EmailAddress?
        do { email = try body.email.map { try EmailAddress($0) } } catch { throw ShomeiError.requestBodyInvalid("/email") }
        _ = try await registration.changeUser(key, .init(name: body.name, role: body.role.map(Role.init), email: email), actor: call.client.actor)
        return .ok(.init(body: .json(try await user(key))))
    }

    func disableUser(_ input: Operations.DisableUser.Input) async throws -> Operations.DisableUser.Output {
        .ok(.init(body: .json(try await change(input.path.contractId, input.path.userId, registration.disableUser))))
    }

    func enableUser(_ input: Operations.EnableUser.Input) async throws -> Operations.EnableUser.Output {
        .ok(.init(body: .json(try await change(input.path.contractId, input.path.userId, registration.enableUser))))
    }

    func unlockUser(_ input: Operations.UnlockUser.Input) async throws -> Operations.UnlockUser.Output {
        .ok(.init(body: .json(try await change(input.path.contractId, input.path.userId, registration.unlockUser))))
    }

    /// A change of state the user's ID is all it needs (停止, 停止解除, ロック解除), then the user as it is now.
    private func change(
        _ contract: String, _ user: String, _ action: (UserKey, String) async throws -> Void
    ) async throws -> Components.Schemas.User {
        let actor = try APICall.require(.usersWrite).client.actor
        let key = try Self.userKey(contract, user)
        try await action(key, actor)
        return try await self.user(key)
    }

    func setConfirmationPassword(_ input: Operations.SetConfirmationPassword.Input) async throws -> Operations.SetConfirmationPassword.Output {
        let call = try APICall.require(.usersWrite)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let key = try Self.userKey(input.path.contractId, input.path.userId)
        _ = try await registration.setConfirmationPassword(body.password, for: key, actor: call.client.actor)
        return .noContent(.init())
    }

    func issueActivationCode(_ input: Operations.IssueActivationCode.Input) async throws -> Operations.IssueActivationCode.Output {
        let actor = try APICall.require(.usersWrite).client.actor
        let key = try Self.userKey(input.path.contractId, input.path.userId)
        let (code, record) = try await registration.issueActivationCode(for: key, actor: actor)
        return .created(.init(body: .json(.init(code: code, expiresAt: record.expiresAt))))
    }

    func voidActivationCode(_ input: Operations.VoidActivationCode.Input) async throws -> Operations.VoidActivationCode.Output {
        let actor = try APICall.require(.usersWrite).client.actor
        let key = try Self.userKey(input.path.contractId, input.path.userId)
        try await registration.voidActivationCode(of: key, actor: actor)
        return .noContent(.init())
    }

    func getUserRisk(_ input: Operations.GetUserRisk.Input) async throws -> Operations.GetUserRisk.Output {
        _ = try APICall.require(.eventsRead)
        let key = try Self.userKey(input.path.contractId, input.path.userId)
        return .ok(.init(body: .json(.init(key, try await queries.risk(of: key), now: Date()))))
    }

    private func user(_ key: UserKey) async throws -> Components.Schemas.User {
        let (user, status) = try await queries.user(key)
        return .init(user, status)
    }
}

extension String {
    /// The body as UTF-8 text, refused past `limit` bytes (the only way collecting fails once
    /// the web layer has read the whole body in).
    init(collecting body: HTTPBody, upTo limit: Int) async throws {
        let bytes: [UInt8]
        do { bytes = try await [UInt8](collecting: body, upTo: limit) } catch {
            throw ShomeiError.requestTooLarge(maximumBytes: limit)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ShomeiError.requestBodyInvalid("UTF-8") }
        self = text
    }
}
