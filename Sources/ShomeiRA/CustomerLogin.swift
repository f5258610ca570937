import Foundation
import ShomeiDomain
import ShomeiStorage
import X509

/// Who a successful portal login admitted, and with which certificate.
public struct AdmittedUser: Sendable, Equatable {
    public let user: User
    /// The certificate presented in the TLS handshake; nil for ID・パスワード方式.
    public let certificateSerial: String?
}

/// Portal login (SPEC §4): the registration authority decides who may log in, because it is
/// the same policy that decides who may hold a certificate.
extension RegistrationAuthority {
    /// What the login page shows before any password: whose certificate this is, or why it
    /// cannot log in. Reads only; nothing is counted or audited.
    public func certificateHolder(presenting certificate: Certificate) async throws -> Result<User, ShomeiError> {
        try await store.read { reader in
            guard let record = try await Self.storedRecord(of: certificate, in: reader),
                  let user = try await reader.user(record.owner)
            else { return .failure(.certificateNotAccepted(.unknown)) }
            let status = try await lifecycleStatus(of: user.key, in: reader)
            if let refusal = CertificateLogin.refusal(presenting: record.serial, record: record, status: status) {
                return .failure(.certificateNotAccepted(refusal))
            }
            return .success(user)
        }
    }

    /// 電子証明書方式: the presented certificate must be its user's current, valid one, then the
    /// password must be right. A refusal is audited (and a wrong password counted) in the same
    /// transaction that decides it.
    public func logIn(presenting certificate: Certificate, password: String) async throws -> AdmittedUser {
        let now = clock()
        let outcome: Result<AdmittedUser, ShomeiError> = try await store.write { tx in
            guard let record = try await Self.storedRecord(of: certificate, in: tx) else {
                try await Self.auditRefusal(actor: "certificate:\(certificate.serialHex)", target: "portal", .certificateNotAccepted(.unknown), at: now, in: tx)
                return .failure(.certificateNotAccepted(.unknown))
            }
            let status = try await lifecycleStatus(of: record.owner, in: tx)
            if let refusal = CertificateLogin.refusal(presenting: record.serial, record: record, status: status) {
                try await Self.auditRefusal(actor: "user:\(record.owner)", target: "user:\(record.owner)", .certificateNotAccepted(refusal), at: now, in: tx)
                return .failure(.certificateNotAccepted(refusal))
            }
            return try await admit(record.owner, password: password, certificateSerial: record.serial, at: now, in: tx)
        }
        if case .failure(.passwordWrong(let remaining)) = outcome { throw ShomeiError.loginPasswordWrong(remainingAttempts: remaining) }
        return try outcome.get()
    }

    /// ID・パスワード方式, only for contracts the bank has not moved to certificates.
    public func logIn(user key: UserKey, password: String) async throws -> AdmittedUser {
        let now = clock()
        let outcome: Result<AdmittedUser, ShomeiError> = try await store.write { tx in
            guard let contract = try await tx.contract(key.contractID), contract.loginMethod == .password else {
                // An unknown contract reads as a certificate contract: the page does not tell which IDs exist.
                try await Self.auditRefusal(actor: "user:\(key)", target: "user:\(key)", .certificateLoginRequired, at: now, in: tx)
                return .failure(.certificateLoginRequired)
            }
            return try await admit(key, password: password, certificateSerial: nil, at: now, in: tx)
        }
        return try outcome.get()
    }

    /// The user must be active and the password right; both outcomes are audited.
    private func admit(
        _ key: UserKey, password: String, certificateSerial: String?, at now: Date, in tx: any StoreTransaction
    ) async throws -> Result<AdmittedUser, ShomeiError> {
        let user: User
        do { user = try await Self.activeUser(key, in: tx) } catch let error as ShomeiError {
            try await Self.auditRefusal(actor: "user:\(key)", target: "user:\(key)", error, at: now, in: tx)
            return .failure(error == .userNotFound(key) ? .passwordWrong(remainingAttempts: maxPasswordAttempts) : error)
        }
        if let refusal = try await checkPassword(password, of: user, in: tx) { return .failure(refusal) }
        try await tx.appendAudit(
            AuditEntry(actor: "user:\(key)", action: .loggedIn, target: "user:\(key)",
                       details: ["method": certificateSerial == nil ? "password" : "certificate", "certificate": certificateSerial ?? ""]),
            at: now)
        return .success(AdmittedUser(user: user, certificateSerial: certificateSerial))
    }

    /// The stored record of exactly this certificate: same serial and same bytes, so a
    /// certificate from elsewhere that happens to share a serial is not taken for ours.
    static func storedRecord(of certificate: Certificate, in reader: any StoreReader) async throws -> CertificateRecord? {
        guard let record = try await reader.certificate(serial: certificate.serialHex),
              record.der == (try certificate.derBytes)
        else { return nil }
        return record
    }

    static func auditRefusal(
        actor: String, target: String, _ error: ShomeiError, at now: Date, in tx: any StoreTransaction
    ) async throws {
        try await tx.appendAudit(
            AuditEntry(actor: actor, action: .loginRefused, target: target, details: ["reason": "\(error)"]), at: now)
    }
}
