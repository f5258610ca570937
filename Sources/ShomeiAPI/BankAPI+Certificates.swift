import ShomeiDomain
import X509

extension BankAPI {
    func listCertificates(_ input: Operations.ListCertificates.Input) async throws -> Operations.ListCertificates.Output {
        _ = try APICall.require(.certificatesRead)
        let contract = try Self.contractID(input.path.contractId)
        let user: UserID?
        do { user = try input.query.userId.map { try UserID($0) } } catch { throw ShomeiError.requestParameterInvalid("userId") }
        let records = try await queries.certificates(of: contract, user: user)
        return .ok(.init(body: .json(.init(items: records.map(Components.Schemas.Certificate.init)))))
    }

    func issueCertificate(_ input: Operations.IssueCertificate.Input) async throws -> Operations.IssueCertificate.Output {
        let call = try APICall.require(.certificatesIssue)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let key = try Self.userKey(input.path.contractId, input.path.userId)
        let medium = StorageMedium(rawValue: body.medium?.rawValue ?? StorageMedium.pc.rawValue) ?? .pc
        let issued = try await registration.issueCertificate(for: key, csr: Array(body.csr.utf8), medium: medium, actor: call.client.actor)
        return .created(.init(body: .json(.init(certificate: .init(issued.record), pem: try issued.certificate.serializeAsPEM().pemString))))
    }

    func getCertificate(_ input: Operations.GetCertificate.Input) async throws -> Operations.GetCertificate.Output {
        _ = try APICall.require(.certificatesRead)
        return .ok(.init(body: .json(.init(try await queries.certificate(serial: input.path.serial)))))
    }

    func revokeCertificate(_ input: Operations.RevokeCertificate.Input) async throws -> Operations.RevokeCertificate.Output {
        let call = try APICall.require(.certificatesRevoke)
        guard case .json(let body) = input.body else { throw ShomeiError.requestBodyInvalid("/") }
        let reason = try RevocationReason(rfcName: body.reason.rawValue)
        let record = try await registration.revokeCertificate(serial: input.path.serial, reason: reason, actor: call.client.actor)
        return .ok(.init(body: .json(.init(record))))
    }

    func listEvents(_ input: Operations.ListEvents.Input) async throws -> Operations.ListEvents.Output {
        _ = try APICall.require(.eventsRead)
        let after = input.query.after ?? 0
        guard after >= 0 else { throw ShomeiError.requestParameterInvalid("after") }
        let page = try await queries.events(after: after, limit: try Self.limit(input.query.limit))
        return .ok(.init(body: .json(.init(
            events: page.events.map { .init($0, keyFingerprint: $0.serial.flatMap { page.keyFingerprints[$0] }) }, next: page.next))))
    }
}
