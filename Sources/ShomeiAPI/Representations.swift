import Foundation
import ShomeiDomain
import ShomeiRA

// The domain's values in the document's shapes, and the document's enums in the domain's. The
// document's enums spell the domain's raw values, so each mapping is one initialiser that cannot
// fail for a value the generated decoder let through.

extension Contract.LoginMethod {
    init(_ method: Components.Schemas.LoginMethod) { self = Self(rawValue: method.rawValue)! }
}

extension Role {
    init(_ role: Components.Schemas.Role) { self = Self(rawValue: role.rawValue)! }
}

extension User.Status {
    init(_ status: Components.Schemas.UserStatus) { self = Self(rawValue: status.rawValue)! }
}

extension LifecycleStatus.State {
    init(_ state: Components.Schemas.CertificateState) { self = Self(rawValue: state.rawValue)! }
}

extension Components.Schemas.Contract {
    /// `policy`: the contract's 管理 policy (`RegistrationAuthority.administrationPolicy(of:)`).
    init(_ contract: Contract, policy: CustomerAdministrationPolicy) {
        self.init(
            id: contract.id.rawValue, name: contract.name, loginMethod: .init(rawValue: contract.loginMethod.rawValue)!,
            createdAt: contract.createdAt,
            administration: .init(
                immediateRevocation: policy.immediateRevocation, reissue: policy.reissue, userRegistration: policy.userRegistration,
                contractSpecific: contract.administration != nil))
    }
}

extension Components.Schemas.User {
    init(_ user: User, _ status: LifecycleStatus) {
        self.init(
            contractId: user.key.contractID.rawValue, userId: user.key.userID.rawValue, name: user.name,
            role: .init(rawValue: user.role.rawValue)!, email: user.email.rawValue, status: .init(rawValue: user.status.rawValue)!,
            language: .init(rawValue: user.language.rawValue)!, createdAt: user.createdAt,
            certificateState: .init(rawValue: status.state.rawValue)!, certificateSerial: status.certificate?.serial,
            certificateNotAfter: status.certificate?.notAfter)
    }
}

extension Components.Schemas.Certificate {
    init(_ record: CertificateRecord) {
        self.init(
            serial: record.serial, contractId: record.owner.contractID.rawValue, userId: record.owner.userID.rawValue,
            subject: record.subject, notBefore: record.notBefore, notAfter: record.notAfter, issuedAt: record.issuedAt,
            medium: .init(rawValue: record.medium.rawValue)!, status: record.revocation == nil ? .valid : .revoked,
            fingerprint: record.fingerprint, keyFingerprint: record.keySHA256, revokedAt: record.revocation?.time,
            revocationReason: record.revocation?.reason.rfcName)
    }
}

extension Components.Schemas.Risk {
    init(_ key: UserKey, _ risk: IntegrationQueries.Risk, now: Date) {
        let issuedAt = risk.status.certificate?.issuedAt
        self.init(
            contractId: key.contractID.rawValue, userId: key.userID.rawValue,
            certificateState: .init(rawValue: risk.status.state.rawValue)!, certificateSerial: risk.status.certificate?.serial,
            issuedAt: issuedAt, obtainedBy: risk.obtainedBy.map { .init(rawValue: $0.rawValue)! }, codeIssuedBy: risk.codeIssuedBy,
            keyNewToUser: risk.keyNewToUser, secondsSinceIssuance: issuedAt.map { Int64(now.timeIntervalSince($0)) },
            lastRevocationAt: risk.lastRevocation)
    }
}

extension Components.Schemas.Event {
    init(_ event: BankEvent, keyFingerprint: String?) {
        self.init(
            cursor: event.cursor, _type: .init(rawValue: event.kind.rawValue)!, time: event.time, actor: event.actor,
            contractId: event.contract?.rawValue, userId: event.user?.rawValue, serial: event.serial,
            keyFingerprint: keyFingerprint, issuanceKind: event.issuanceKind, reason: event.reason, clientIp: event.clientIP)
    }
}
