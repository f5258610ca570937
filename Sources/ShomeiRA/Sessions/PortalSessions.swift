import Foundation
import ShomeiDomain
import ShomeiStorage
import X509

/// One request's view of a live session: the session, its user, and the user's certificate
/// situation now (which drives the notices and the renewal menu).
public struct PortalVisit: Sendable {
    public let session: PortalSession
    public let user: User
    public let contract: Contract
    public let status: LifecycleStatus
}

/// Customers' portal sessions (`SessionKeeper` does tokens, timeouts and activity).
///
/// A session opened with a certificate lives only while that certificate is presented on the
/// connection and stays its user's current, unrevoked one, so a copied cookie without the key is
/// worth nothing, and a revocation ends the session on the next click.
public struct PortalSessions: Sendable {
    let keeper: SessionKeeper<PortalSessionTable>
    let lifecycles: LifecycleReader
    let clock: @Sendable () -> Date

    public init(
        store: any Store, policy: SessionPolicy, lifecyclePolicy: LifecyclePolicy,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        keeper = SessionKeeper(store: store, policy: policy, clock: clock)
        lifecycles = LifecycleReader(policy: lifecyclePolicy, clock: clock)
        self.clock = clock
    }

    var store: any Store { keeper.store }

    /// Opens a new session for an admitted user, ending the one `previousToken` named.
    public func open(for admitted: AdmittedUser, previousToken: String?) async throws -> (token: String, session: PortalSession) {
        let now = clock()
        return try await store.write { [keeper] tx in
            try await keeper.open(replacing: previousToken, in: tx, at: now) { id, csrf in
                PortalSession(id: id, user: admitted.user.key, certificateSerial: admitted.certificateSerial, csrfToken: csrf,
                              createdAt: now, lastSeenAt: now)
            }
        }
    }

    /// The live session the cookie names, or why there is none. A session used with a
    /// certificate other than its own (or one no longer current) is deleted and the attempt audited.
    public func resume(token: String, presenting certificate: Certificate?) async throws -> Result<PortalVisit, ShomeiError> {
        let found = try await keeper.resume(token: token) { [lifecycles] (session: PortalSession, reader: any StoreReader) -> Result<PortalVisit, ShomeiError> in
            guard let user = try await reader.user(session.user), user.status == .active,
                  let contract = try await reader.contract(session.user.contractID)
            else { return .failure(.sessionEnded(.loggedOut)) }
            let status = try await lifecycles.status(of: user.key, in: reader)
            if let serial = session.certificateSerial {
                guard certificate?.serialHex == serial, status.certificate?.serial == serial, status.admitsLogin else {
                    return .failure(.sessionEnded(.certificateChanged))
                }
            }
            return .success(PortalVisit(session: session, user: user, contract: contract, status: status))
        }
        switch found {
        case .success(let (_, visit)):
            return .success(visit)
        case .failure(.sessionEnded(.loggedOut)):
            return .failure(.sessionEnded(.loggedOut))
        case .failure(let error):
            let now = clock()
            try await store.write { tx in
                try await tx.deletePortalSession(id: SessionKeeper<PortalSessionTable>.sessionID(token))
                try await tx.appendAudit(
                    AuditEntry(actor: certificate.map { "certificate:\($0.serialHex)" } ?? "anonymous", action: .requestRefused,
                               target: "session", details: ["reason": "\(error)"]),
                    at: now)
            }
            return .failure(error)
        }
    }

    /// 後で更新する: the renewal choice is not offered again in this session.
    public func postponeRenewal(_ session: PortalSession) async throws {
        try await store.write { tx in try await tx.postponeRenewal(inPortalSession: session.id) }
    }

    /// Logout: the session is deleted, so the cookie is dead on every node.
    public func close(_ session: PortalSession) async throws {
        let now = clock()
        try await store.write { tx in
            try await tx.deletePortalSession(id: session.id)
            try await tx.appendAudit(AuditEntry(actor: "user:\(session.user)", action: .loggedOut, target: "user:\(session.user)"), at: now)
        }
    }

    /// Deletes portal and console sessions past either timeout (a scheduled job).
    public func purgeEnded() async throws -> Int {
        try await keeper.purgeEnded()
    }
}
