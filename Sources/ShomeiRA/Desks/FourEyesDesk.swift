import Foundation
import ShomeiDomain
import ShomeiStorage

/// Direct actions under four-eyes control (issue #5): an urgent revocation requested by phone,
/// or a re-issue (new activation code) for a user past the grace period. One staff member
/// requests, a different approver approves, and the action happens in the approval's
/// transaction, together with the decision and its audit entry.
public struct FourEyesDesk: Sendable {
    let registration: RegistrationAuthority
    let clock: @Sendable () -> Date

    public init(registration: RegistrationAuthority, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.registration = registration
        self.clock = clock
    }

    var store: any Store { registration.store }

    /// Records a request after checking that it could be carried out now.
    public func request(_ kind: DirectAction.Kind, reason: String, by staff: Staff) async throws -> DirectAction {
        guard staff.role.decidesApplications else { throw ShomeiError.staffNotPermitted }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ShomeiError.formFieldMissing("reason") }
        if let character = TextRules.forbiddenCharacter(in: reason, allowingLineBreaks: true) { throw ShomeiError.characterNotAllowed(character) }
        let now = clock()
        let action = DirectAction(id: GeneratedSecret.identifier(), kind: kind, reason: reason, requestedBy: staff.id, requestedAt: now)
        return try await store.write { tx in
            try await Self.checkPossible(kind, lifecycles: registration.lifecycles, in: tx)
            try await tx.insert(action)
            try await tx.appendAudit(
                AuditEntry(actor: "staff:\(staff.id)", action: .directActionRequested, target: "direct_action:\(action.id)",
                           details: ["kind": Self.describe(kind), "reason": reason]),
                at: now)
            return action
        }
    }

    /// Approves and carries out the request. For a re-issue, returns the new activation code
    /// (shown once to the approver, to be sent to the customer by the bank's usual channel).
    public func approve(
        id: String, by approver: Staff
    ) async throws -> (action: DirectAction, activationCode: (code: String, record: ActivationCode)?) {
        let now = clock()
        // A re-issue's code is made and hashed before the transaction, so no lock waits for bcrypt.
        let code: (code: String, record: ActivationCode)? = switch try await store.read({ try await $0.directAction(id: id) })?.kind {
        case .reissue(let user): try await registration.newActivationCode(for: user)
        case .revokeNow, nil: nil
        }
        let approved = try await store.write { tx in
            var action = try await Self.pending(id, decidedBy: approver, in: tx)
            let actor = "staff:\(approver.id)"
            switch action.kind {
            case .revokeNow(let serial, let reason):
                _ = try await registration.revoke(serial: serial, reason: reason, actor: actor, at: now, in: tx)
            case .reissue:
                guard let code else { throw ShomeiError.directActionNotFound(id) }
                _ = try await registration.record(code, actor: actor, in: tx)
            }
            try await decide(&action, .approved, by: approver, at: now, audit: .directActionApproved, in: tx)
            return action
        }
        if case .revokeNow(_, let reason) = approved.kind { await registration.revocationsCommitted([reason]) }
        return (approved, code)
    }

    public func reject(id: String, by approver: Staff) async throws -> DirectAction {
        let now = clock()
        return try await store.write { tx in
            var action = try await Self.pending(id, decidedBy: approver, in: tx)
            try await decide(&action, .rejected, by: approver, at: now, audit: .directActionRejected, in: tx)
            return action
        }
    }

    private static func pending(_ id: String, decidedBy approver: Staff, in tx: any StoreTransaction) async throws -> DirectAction {
        guard let action = try await tx.lockDirectAction(id: id) else { throw ShomeiError.directActionNotFound(id) }
        if let refusal = action.decisionRefusal(by: approver) { throw refusal }
        return action
    }

    private func decide(
        _ action: inout DirectAction, _ status: DirectAction.Status, by approver: Staff, at now: Date, audit: AuditEvent.Action,
        in tx: any StoreTransaction
    ) async throws {
        action.status = status
        action.decidedBy = approver.id
        action.decidedAt = now
        try await tx.update(action)
        try await tx.appendAudit(
            AuditEntry(actor: "staff:\(approver.id)", action: audit, target: "direct_action:\(action.id)",
                       details: ["kind": Self.describe(action.kind), "requestedBy": action.requestedBy]),
            at: now)
    }

    /// A revocation needs an unrevoked certificate; a re-issue an active user whose certificate
    /// situation needs the bank (past the grace period, revoked, or never issued).
    private static func checkPossible(_ kind: DirectAction.Kind, lifecycles: LifecycleReader, in tx: any StoreTransaction) async throws {
        switch kind {
        case .revokeNow(let serial, let reason):
            guard reason.isOffered else { throw ShomeiError.revocationReasonNotOffered(reason) }
            guard let record = try await tx.certificate(serial: serial) else { throw ShomeiError.certificateNotFound(serial) }
            guard record.revocation == nil else { throw ShomeiError.certificateAlreadyRevoked(serial) }
        case .reissue(let user):
            guard let found = try await tx.user(user) else { throw ShomeiError.userNotFound(user) }
            guard found.status == .active else { throw ShomeiError.userDisabled(user) }
            let status = try await lifecycles.status(of: user, in: tx)
            guard [.reissueRequired, .revoked, .noCertificate].contains(status.state) else { throw ShomeiError.reacquisitionNotAllowed(status.state) }
        }
    }

    static func describe(_ kind: DirectAction.Kind) -> String {
        switch kind {
        case .revokeNow(let serial, let reason): "revoke \(serial) \(reason.rfcName)"
        case .reissue(let user): "reissue \(user)"
        }
    }
}
