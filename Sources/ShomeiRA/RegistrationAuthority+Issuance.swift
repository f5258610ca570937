import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import X509

/// Issuance in two steps, as Boulder's RA does it: decide and sign from a read of the store,
/// outside the write lock, then hand the prepared writes to `IssuanceBatcher`, which commits
/// many at once. The batch re-checks what the decision rested on (the user is active, the
/// certificate it supersedes is still the current one, the activation code is still unused,
/// the serial is still free) and writes only what still holds; the rest is decided again from
/// the new state, so every outcome is one that issuing one at a time could have given.
///
/// A certificate that is signed but not written is dropped in memory: nobody ever sees it.
extension RegistrationAuthority {
    /// Tries for one issuance before giving up when other issuances for the same user keep
    /// committing first.
    static let issuanceAttempts = 16

    /// Issues a certificate on the bank's own authority (operator CLI, later the console).
    public func issueCertificate(
        for key: UserKey, csr: [UInt8], medium: StorageMedium, actor: String
    ) async throws -> IssuedCertificate {
        try await outcomes.counting(.issuance(.issued)) {
            let request = try VerifiedSigningRequest(pemOrDER: csr)
            return try await issue(.issued, request: request, medium: medium, actor: actor) { reader in
                IssuanceGrant(user: try await Self.activeUser(key, readIn: reader), current: try await reader.validCertificate(of: key))
            }
        }
    }

    /// First issuance by the customer (電子証明書発行): password and activation code are checked
    /// first, and the code is spent in the transaction that stores the certificate. A wrong
    /// password or code is counted (toward lockout) even though nothing is issued.
    public func issueCertificate(
        for key: UserKey, password: String, activationCode: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        try await outcomes.counting(.issuance(.issued)) {
            try await issueRedeeming(activationCode, for: key, password: password, csr: csr, medium: medium)
        }
    }

    private func issueRedeeming(
        _ activationCode: String, for key: UserKey, password: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        _ = try await secrets.check(password, against: LoginPassword(user: key, lockout: lockout))
        let code = try await secrets.check(activationCode, against: ActivationCodeSecret(owner: key, policy: activationCodePolicy))
        return try await issue(.issued, request: request, medium: medium, actor: "user:\(key)") { reader in
            let user = try await Self.activeUser(key, readIn: reader)
            switch try await reader.unusedActivationCode(of: key)?.id {
            case code.id: break
            case nil: throw ShomeiError.noActivationCode(key)  // spent meanwhile, as a second try after use finds
            default: throw ShomeiError.activationCodeUsed  // the bank issued a newer code meanwhile
            }
            return IssuanceGrant(user: user, current: try await reader.validCertificate(of: key), spentActivationCode: code.id)
        }
    }

    /// Renewal (更新) by the holder of the current certificate, authenticated by it (mutual TLS).
    /// Allowed only in the renewal window, and only with a new key.
    public func renewCertificate(
        presenting serial: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        try await outcomes.counting(.issuance(.renewed)) { try await renew(presenting: serial, csr: csr, medium: medium) }
    }

    private func renew(presenting serial: String, csr: [UInt8], medium: StorageMedium) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        let serial = try SerialText.normalize(serial)
        return try await issue(.renewed, request: request, medium: medium, actor: nil) { reader in
            guard let presented = try await reader.certificate(serial: serial) else { throw ShomeiError.certificateNotFound(serial) }
            let user = try await Self.activeUser(presented.owner, readIn: reader)
            let status = try await lifecycles.status(of: user.key, in: reader)
            guard status.state == .renewalWindow, status.certificate?.serial == serial else {
                throw ShomeiError.renewalNotAllowed(status.certificate?.serial == serial ? status.state : .revoked)
            }
            return IssuanceGrant(user: user, current: presented)
        }
    }

    /// Self re-acquisition (電子証明書取得) with ID and password after expiry, within the grace period.
    public func reacquireCertificate(
        for key: UserKey, password: String, csr: [UInt8], medium: StorageMedium
    ) async throws -> IssuedCertificate {
        try await outcomes.counting(.issuance(.reacquired)) { try await reacquire(for: key, password: password, csr: csr, medium: medium) }
    }

    private func reacquire(for key: UserKey, password: String, csr: [UInt8], medium: StorageMedium) async throws -> IssuedCertificate {
        let request = try VerifiedSigningRequest(pemOrDER: csr)
        _ = try await secrets.check(password, against: LoginPassword(user: key, lockout: lockout))
        return try await issue(.reacquired, request: request, medium: medium, actor: "user:\(key)") { reader in
            let user = try await Self.activeUser(key, readIn: reader)
            let lifecycle = try await lifecycles.lifecycle(of: key, in: reader)
            guard lifecycle.status.state == .expiredReacquirable else { throw ShomeiError.reacquisitionNotAllowed(lifecycle.status.state) }
            return IssuanceGrant(user: user, current: lifecycle.certificates.first { $0.revocation == nil })
        }
    }

    // MARK: The steps every issuance shares

    /// The key policy, as a public CA keeps it (Boulder's): a key is certified once, for one user,
    /// ever. Refused: a key of a certificate revoked for keyCompromise (blocked for good, even
    /// after that certificate expires), a key another user's certificate has, and a key this
    /// user had before (a renewal or re-issue needs a new key). Re-checked when the issuance is
    /// written, so two requests with one key at once cannot both pass.
    static func checkKeyPolicy(_ keySHA256: String, for user: UserKey, in reader: any StoreReader) async throws {
        let use = try await reader.keyUse(keySHA256)
        if use.blocked { throw ShomeiError.keyCompromised }
        if use.holders.contains(where: { $0 != user }) { throw ShomeiError.keyInUse }
        if use.holders.contains(user) { throw ShomeiError.keyReused }
    }

    /// What an issuance path established from its read: whose certificate, the user's current
    /// (unrevoked) certificate that it supersedes, and what it spends. `current` comes from the
    /// same read (one snapshot, `Store.read`) the rule was decided on: read apart, a certificate
    /// committed in between could be superseded by a request decided on the one before it.
    struct IssuanceGrant: Sendable {
        let user: User
        let current: CertificateRecord?
        var spentActivationCode: String?
    }

    /// Decides (`grant`, from one read), signs and words the mail outside the write lock, then
    /// commits in the next batch; starts over from a fresh read when the batch found the state
    /// changed underneath. `actor` nil: the user acts for themself.
    private func issue(
        _ kind: NoticeKind, request: VerifiedSigningRequest, medium: StorageMedium, actor: String?,
        grant: @escaping @Sendable (any StoreReader) async throws -> IssuanceGrant
    ) async throws -> IssuedCertificate {
        for _ in 0..<Self.issuanceAttempts {
            let (granted, masters) = try await store.read { reader in
                let granted = try await grant(reader)
                try await Self.checkKeyPolicy(request.publicKey.keySHA256, for: granted.user.key, in: reader)
                return (granted, kind.copiesMasters ? try await reader.activeMasters(of: granted.user.key.contractID) : [])
            }
            let prepared = try prepare(
                kind, granted, request: request, medium: medium, actor: actor ?? "user:\(granted.user.key)", masters: masters)
            guard try await batcher.record(prepared.write) else { continue }
            if prepared.write.superseded != nil { await revocationsCommitted([.superseded]) }
            return prepared.issued
        }
        throw ShomeiError.issuanceContended
    }

    /// Signs the certificate and puts together everything its transaction will write.
    private func prepare(
        _ kind: NoticeKind, _ granted: IssuanceGrant, request: VerifiedSigningRequest, medium: StorageMedium, actor: String,
        masters: [User]
    ) throws -> (write: IssuanceWrite, issued: IssuedCertificate) {
        let now = clock()
        let user = granted.user
        let previous = granted.current
        let certificate = try authority.issue(.init(
            request: request, subject: subjectTemplate.subject(for: user.key), serial: SerialNumberGenerator.next(),
            notBefore: now))
        let superseded = previous.map { old in
            var old = old
            old.revocation = .init(time: now, reason: .superseded)
            return old
        }
        let record = CertificateRecord(
            serial: certificate.serialHex, owner: user.key, der: try certificate.derBytes,
            fingerprint: try certificate.sha256Fingerprint, keySHA256: certificate.publicKey.keySHA256,
            subject: certificate.subject.description,
            notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter, medium: medium, issuedAt: now)
        var audit: [AuditEntry] = []
        if granted.spentActivationCode != nil {
            audit.append(AuditEntry(actor: actor, action: .activationCodeRedeemed, target: "user:\(user.key)"))
        }
        if let superseded { audit.append(Self.revocationEntry(superseded, actor: actor)) }
        audit.append(AuditEntry(
            actor: actor, action: .certificateIssued, target: "certificate:\(record.serial)",
            details: ["user": "\(user.key)", "kind": "\(kind)", "medium": medium.rawValue, "key": request.keyType.rawValue,
                      "supersedes": previous?.serial ?? ""]))
        let write = IssuanceWrite(
            certificate: record, firstNoticeAt: ExpiryNotices.firstDue(notAfter: record.notAfter, policy: lifecyclePolicy),
            superseded: superseded, spentActivationCode: granted.spentActivationCode,
            messages: try notices.messages(kind, holder: user, masters: masters, certificate: record, time: now),
            audit: audit, time: now)
        return (write, IssuedCertificate(record: record, certificate: certificate, superseded: superseded))
    }
}
