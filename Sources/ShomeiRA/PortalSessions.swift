import Crypto
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

/// Server-side portal sessions in the store, so any node can serve any request.
///
/// The browser's cookie holds a random 256-bit token; only its SHA-256 is stored. A session
/// opened with a certificate lives only while that certificate is presented on the connection
/// and stays unrevoked, so a copied cookie without the key is worth nothing, and a revocation
/// ends the session on the next click.
public struct PortalSessions: Sendable {
    let store: any Store
    public let policy: SessionPolicy
    let lifecyclePolicy: LifecyclePolicy
    let clock: @Sendable () -> Date

    public init(
        store: any Store, policy: SessionPolicy, lifecyclePolicy: LifecyclePolicy,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.policy = policy
        self.lifecyclePolicy = lifecyclePolicy
        self.clock = clock
    }

    /// Opens a new session for an admitted user, ending the one `previousToken` named (a new
    /// id at every login: a token planted before login is worth nothing after it).
    public func open(for admitted: AdmittedUser, previousToken: String?) async throws -> (token: String, session: PortalSession) {
        let token = Self.randomToken()
        let now = clock()
        let session = PortalSession(
            id: Self.sessionID(token), user: admitted.user.key, certificateSerial: admitted.certificateSerial,
            csrfToken: Self.randomToken(), createdAt: now, lastSeenAt: now)
        try await store.write { tx in
            if let previousToken { try await tx.deleteSession(id: Self.sessionID(previousToken)) }
            try await tx.insert(session)
        }
        return (token, session)
    }

    /// The live session the cookie names, or why there is none. A session used with a
    /// certificate other than its own is deleted and the attempt audited.
    public func resume(token: String, presenting certificate: Certificate?) async throws -> Result<PortalVisit, ShomeiError> {
        let now = clock()
        let id = Self.sessionID(token)
        let found: Result<PortalVisit, ShomeiError> = try await store.read { reader in
            guard let session = try await reader.portalSession(id: id) else { return .failure(.sessionEnded(.loggedOut)) }
            if let end = session.endReason(at: now, policy: policy) { return .failure(.sessionEnded(end)) }
            guard let user = try await reader.user(session.user), user.status == .active,
                  let contract = try await reader.contract(session.user.contractID)
            else { return .failure(.sessionEnded(.loggedOut)) }
            let status = CertificateLifecycle.status(of: try await reader.certificates(ofUser: user.key), policy: lifecyclePolicy, at: now)
            if let serial = session.certificateSerial {
                guard certificate?.serialHex == serial, status.certificate?.serial == serial, status.admitsLogin else {
                    return .failure(.sessionEnded(.certificateChanged))
                }
            }
            return .success(PortalVisit(session: session, user: user, contract: contract, status: status))
        }
        switch found {
        case .success(let visit):
            if now.timeIntervalSince(visit.session.lastSeenAt) >= policy.touchInterval {
                let touched = visit.session.seen(at: now)
                try await store.write { tx in try await tx.update(touched) }
            }
            return found
        case .failure(.sessionEnded(.loggedOut)):
            return found
        case .failure(let error):
            try await store.write { tx in
                try await tx.deleteSession(id: id)
                try await tx.appendAudit(
                    AuditEntry(actor: certificate.map { "certificate:\($0.serialHex)" } ?? "anonymous", action: .requestRefused,
                               target: "session", details: ["reason": "\(error)"]),
                    at: now)
            }
            return found
        }
    }

    /// 後で更新する: the renewal choice is not offered again in this session.
    public func postponeRenewal(_ session: PortalSession) async throws {
        let postponed = session.postponingRenewal()
        try await store.write { tx in try await tx.update(postponed) }
    }

    /// Logout: the session is deleted, so the cookie is dead on every node.
    public func close(_ session: PortalSession) async throws {
        let now = clock()
        try await store.write { tx in
            try await tx.deleteSession(id: session.id)
            try await tx.appendAudit(AuditEntry(actor: "user:\(session.user)", action: .loggedOut, target: "user:\(session.user)"), at: now)
        }
    }

    /// Deletes sessions past either timeout (a scheduled job; expired ones are refused anyway).
    public func purgeEnded() async throws -> Int {
        let now = clock()
        return try await store.write { tx in
            try await tx.deleteSessions(
                idleBefore: now.addingTimeInterval(-policy.idleTimeout), createdBefore: now.addingTimeInterval(-policy.absoluteTimeout))
        }
    }

    /// Records a refused request (forged CSRF token and the like) in the audit trail.
    public func auditRefusal(_ error: ShomeiError, session: PortalSession?, path: String) async throws {
        let now = clock()
        _ = try await store.write { tx in
            try await tx.appendAudit(
                AuditEntry(actor: session.map { "user:\($0.user)" } ?? "anonymous", action: .requestRefused,
                           target: "portal:\(path)", details: ["reason": "\(error)"]),
                at: now)
        }
    }

    static func sessionID(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).hexEncoded }

    /// 256 random bits, base64url without padding: cookie- and header-safe.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
