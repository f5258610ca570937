import ShomeiDomain

extension BankAPI {
    func listContracts(_ input: Operations.ListContracts.Input) async throws -> Operations.ListContracts.Output {
        _ = try APICall.require(.contractsRead)
        let limit = try Self.limit(input.query.limit)
        let after = try input.query.after.map { try Self.contractID($0, field: "after") }
        let contracts = try await queries.contracts(after: after, limit: limit)
        return .ok(.init(body: .json(.init(
            items: contracts.map(representation), next: contracts.count == limit ? contracts.last?.id.rawValue : nil))))
    }

    func createContract(_ input: Operations.CreateContract.Input) async throws -> Operations.CreateContract.Output {
        let call = try APICall.require(.contractsWrite)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let id: ContractID
        do { id = try ContractID(body.id) } catch { throw ShomeiError.requestBodyInvalid("/id") }
        let contract = try await registration.addContract(
            id: id, name: body.name, loginMethod: body.loginMethod.map(Contract.LoginMethod.init) ?? .certificate, actor: call.client.actor)
        return .created(.init(body: .json(representation(contract))))
    }

    func getContract(_ input: Operations.GetContract.Input) async throws -> Operations.GetContract.Output {
        _ = try APICall.require(.contractsRead)
        return .ok(.init(body: .json(representation(try await queries.contract(try Self.contractID(input.path.contractId))))))
    }

    func setLoginMethod(_ input: Operations.SetLoginMethod.Input) async throws -> Operations.SetLoginMethod.Output {
        let call = try APICall.require(.contractsWrite)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let contract = try await registration.changeLoginMethod(
            of: try Self.contractID(input.path.contractId), to: Contract.LoginMethod(body.loginMethod), actor: call.client.actor)
        return .ok(.init(body: .json(representation(contract))))
    }

    func setAdministration(_ input: Operations.SetAdministration.Input) async throws -> Operations.SetAdministration.Output {
        let call = try APICall.require(.contractsWrite)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let switches = AdministrationSwitches(
            immediateRevocation: body.immediateRevocation, reissue: body.reissue, userRegistration: body.userRegistration)
        let contract = try await registration.setAdministration(
            of: try Self.contractID(input.path.contractId), to: switches, actor: call.client.actor)
        return .ok(.init(body: .json(representation(contract))))
    }

    func resetAdministration(_ input: Operations.ResetAdministration.Input) async throws -> Operations.ResetAdministration.Output {
        let call = try APICall.require(.contractsWrite)
        let contract = try await registration.setAdministration(of: try Self.contractID(input.path.contractId), to: nil, actor: call.client.actor)
        return .ok(.init(body: .json(representation(contract))))
    }

    private func representation(_ contract: Contract) -> Components.Schemas.Contract {
        .init(contract, policy: registration.administrationPolicy(of: contract))
    }
}
