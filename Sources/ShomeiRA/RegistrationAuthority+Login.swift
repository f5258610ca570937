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
/// the same policy that decides who may hold a certificate. The password goes through the one
/// secret check, so a login holds no lock while bcrypt runs.
extension RegistrationAuthority {
    /// What the login page shows before any password: whose certificate this is, or why it
    /// cannot log in. Reads only; nothing is counted or audited.
    public func certificateHolder(presenting certificate: Certificate) async throws -> Result<User, ShomeiError> {
        try await store.read { reader in
            switch try await check(certificate, in: reader) {
            case .refused(let refusal, _): return .failure(refusal)
            case .accepted(let record):
                guard let user = try await reader.user(record.owner) else { return .failure(.certificateNotAccepted(.unknown)) }
                return .success(user)
            }
        }
    }

    /// 電子証明書方式: the presented certificate must be its user's current, valid one, then the
    /// password must be right. A refusal is audited (and a wrong password counted).
    public func logIn(presenting certificate: Certificate, password: String) async throws -> AdmittedUser {
        try await outcomes.counting(.login("portal")) { try await logInChecking(certificate, password: password) }
    }

    private func logInChecking(_ certificate: Certificate, password: String) async throws -> AdmittedUser {
        let now = clock()
        let record: CertificateRecord
        switch try await store.read({ reader in try await check(certificate, in: reader) }) {
        case .accepted(let found): record = found
        case .refused(let refusal, let owner):
            try await store.write { tx in
                try await Self.auditRefusal(
                    actor: owner.map { "user:\($0)" } ?? "certificate:\(certificate.serialHex)",
                    target: owner.map { "user:\($0)" } ?? "portal", refusal, at: now, in: tx)
            }
            throw refusal
        }
        do {
            return try await admit(record.owner, password: password, certificateSerial: record.serial)
        } catch ShomeiError.passwordWrong(let remaining) {
            throw ShomeiError.loginPasswordWrong(remainingAttempts: remaining)
        }
    }

    /// ID・パスワード方式, only for contracts the bank has not moved to certificates.
    public func logIn(user key: UserKey, password: String) async throws -> AdmittedUser {
        try await outcomes.counting(.login("portal")) { try await logInWithoutCertificate(key, password: password) }
    }

    private func logInWithoutCertificate(_ key: UserKey, password: String) async throws -> AdmittedUser {
        let now = clock()
        let method = try await store.read { try await $0.contract(key.contractID)?.loginMethod }
        guard method == .password else {
            // An unknown contract reads as a certificate contract: the page does not tell which IDs exist.
            try await store.write { tx in
                try await Self.auditRefusal(actor: "user:\(key)", target: "user:\(key)", .certificateLoginRequired, at: now, in: tx)
            }
            throw ShomeiError.certificateLoginRequired
        }
        return try await admit(key, password: password, certificateSerial: nil)
    }

    /// The password must be right (the user active); the login is audited with the settling write.
    private func admit(_ key: UserKey, password: String, certificateSerial: String?) async throws -> AdmittedUser {
        try await secrets.check(password, against: LoginPassword(user: key, lockout: lockout)) { [clock] (user: User, tx: any StoreTransaction) in
            let now = clock()
            try await tx.recordLogin(of: key, at: now)
            try await tx.appendAudit(
                AuditEntry(actor: "user:\(key)", action: .loggedIn, target: "user:\(key)",
                           details: ["method": certificateSerial == nil ? "password" : "certificate", "certificate": certificateSerial ?? ""]),
                at: now)
            return AdmittedUser(user: user, certificateSerial: certificateSerial)
        }
    }

    /// Whether a presented certificate may log in now.
    private enum CertificateCheck: Sendable {
        /// Its user's current certificate, admitting login.
        case accepted(CertificateRecord)
        /// Why not, and whose it is when it is ours.
        case refused(ShomeiError, owner: UserKey?)
    }

    private func check(_ certificate: Certificate, in reader: any StoreReader) async throws -> CertificateCheck {
        guard let record = try await Self.storedRecord(of: certificate, in: reader) else {
            return .refused(.certificateNotAccepted(.unknown), owner: nil)
        }
        let status = try await lifecycles.status(of: record.owner, in: reader)
        if let refusal = CertificateLogin.refusal(presenting: record.serial, record: record, status: status) {
            return .refused(.certificateNotAccepted(refusal), owner: record.owner)
        }
        return .accepted(record)
    }

    /// How long tries at names without an account are remembered (they count down and lock like
    /// an account's meanwhile); a scheduled job forgets older ones.
    public static let unknownTriesKept: TimeInterval = 30 * 86_400

    /// Forgets tries at unknown names last made before `unknownTriesKept`; returns how many.
    public func forgetOldUnknownTries() async throws -> Int {
        let before = clock().addingTimeInterval(-Self.unknownTriesKept)
        return try await store.write { tx in try await tx.purgeUnknownTries(before: before) }
    }

    /// The stored record of exactly this certificate: same serial and same bytes, so a
    /// certificate from elsewhere that happens to share a serial is not taken for ours.
    static func storedRecord(of certificate: Certificate, in reader: any StoreReader) async throws -> CertificateRecord? {
        guard let record = try await reader.certificate(serial: certificate.serialHex),
              record.der == (try certificate.derBytes)
        else { return nil }
        return record
    }
}
