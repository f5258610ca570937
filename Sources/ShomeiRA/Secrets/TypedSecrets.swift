import Foundation
import ShomeiDomain
import ShomeiStorage

/// A user's login password (ログインパスワード): portal login, and the password an issuance
/// by the customer asks for. Refusals of a locked or disabled user are audited as refused logins.
struct LoginPassword: TypedSecret {
    typealias Holder = User
    let user: UserKey
    let lockout: Lockout

    func takeTry(in tx: any StoreTransaction, at now: Date) async throws -> TakenTry<User> {
        // A deleted user reads as one that never existed (same words, countdown and time).
        guard let found = try await tx.lockUser(user), found.status != .deleted else {
            let taken = try await TakenTry<User>.unknown("user:\(user)", in: tx, at: now, within: lockout, lockedOut: .userLocked(user))
            if case .refused(let refusal) = taken {
                try await RegistrationAuthority.auditRefusal(actor: "user:\(user)", target: "user:\(user)", refusal, at: now, in: tx)
            }
            return taken
        }
        let refusal: ShomeiError? = switch found.status {
        case .active: nil
        case .disabled: .userDisabled(user)
        case .locked: .userLocked(user)
        case .deleted: .userNotFound(user)
        }
        if let refusal {
            try await RegistrationAuthority.auditRefusal(actor: "user:\(user)", target: "user:\(user)", refusal, at: now, in: tx)
            return .refused(refusal)
        }
        return try .counted(found, hash: found.passwordHash, taken: try await tx.takePasswordTry(of: user), within: lockout)
    }

    func settleRight(_ attempt: SecretTry<User>, in tx: any StoreTransaction) async throws {
        try await tx.clearPasswordTries(of: user)
    }

    func settleWrong(_ attempt: SecretTry<User>, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        try await tx.appendAudit(AuditEntry(actor: "user:\(user)", action: .passwordFailed, target: "user:\(user)"), at: now)
        guard let remaining = lockout.remaining(afterWrong: attempt.taken) else {
            // Not when the bank disabled the user meanwhile: that status stands.
            if try await tx.lockUser(user)?.status == .active {
                try await tx.setStatus(.locked, of: user)
                try await tx.appendAudit(AuditEntry(actor: "system", action: .userLocked, target: "user:\(user)"), at: now)
            }
            return .userLocked(user)
        }
        return .passwordWrong(remainingAttempts: remaining)
    }

    func refuseUnknown(after taken: Int, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        try await RegistrationAuthority.auditRefusal(actor: "user:\(user)", target: "user:\(user)", .userNotFound(user), at: now, in: tx)
        return lockout.remaining(afterWrong: taken).map { .passwordWrong(remainingAttempts: $0) } ?? .userLocked(user)
    }
}

/// A staff account's console password. Wrong tries do not say how many remain.
struct StaffPassword: TypedSecret {
    typealias Holder = Staff
    let id: String
    let lockout: Lockout

    func takeTry(in tx: any StoreTransaction, at now: Date) async throws -> TakenTry<Staff> {
        guard let staff = try await tx.staff(id: id) else {
            return try await .unknown("staff:\(id)", in: tx, at: now, within: lockout, lockedOut: .staffLocked)
        }
        guard staff.status == .active else { return .refused(.staffLocked) }
        return try .counted(staff, hash: staff.passwordHash, taken: try await tx.takeStaffPasswordTry(id: id), within: lockout)
    }

    func settleRight(_ attempt: SecretTry<Staff>, in tx: any StoreTransaction) async throws {
        try await tx.clearStaffPasswordTries(id: id)
    }

    func settleWrong(_ attempt: SecretTry<Staff>, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        try await tx.appendAudit(AuditEntry(actor: "staff:\(id)", action: .staffLoginRefused, target: "staff:\(id)"), at: now)
        guard lockout.remaining(afterWrong: attempt.taken) != nil else {
            try await tx.setStatus(.locked, ofStaff: id)
            try await tx.appendAudit(AuditEntry(actor: "system", action: .staffLocked, target: "staff:\(id)"), at: now)
            return .staffLocked
        }
        return .staffLoginFailed
    }

    func refuseUnknown(after taken: Int, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        try await tx.appendAudit(AuditEntry(actor: "staff:\(id)", action: .staffLoginRefused, target: "console"), at: now)
        return lockout.remaining(afterWrong: taken) == nil ? .staffLocked : .staffLoginFailed
    }
}

/// The user's one-time activation code (アクティベーションコード). A right code is not cleared but
/// spent, by the issuance that redeems it; a code is dead after `maxAttempts` wrong tries.
struct ActivationCodeSecret: TypedSecret {
    typealias Holder = ActivationCode
    let owner: UserKey
    let policy: ActivationCodePolicy

    func takeTry(in tx: any StoreTransaction, at now: Date) async throws -> TakenTry<ActivationCode> {
        guard let code = try await tx.lockUnusedActivationCode(of: owner) else { return .unknown(taken: 0) }
        if let reason = code.unusableReason(at: now, policy: policy) { throw reason }
        try await tx.takeActivationCodeTry(id: code.id)
        return .tried(SecretTry(holder: code, hash: code.codeHash, taken: code.failedAttempts + 1))
    }

    func settleRight(_ attempt: SecretTry<ActivationCode>, in tx: any StoreTransaction) async throws {}

    func settleWrong(_ attempt: SecretTry<ActivationCode>, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        try await tx.appendAudit(AuditEntry(actor: "user:\(owner)", action: .activationCodeFailed, target: "user:\(owner)"), at: now)
        return .activationCodeWrong(remainingAttempts: policy.lockout.remaining(afterWrong: attempt.taken) ?? 0)
    }

    /// No unused code: nothing to count, and nothing to audit.
    func refuseUnknown(after taken: Int, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        .noActivationCode(owner)
    }
}

/// A master's or administrator's 確認用パスワード, with its own count and lock: a wrong one is
/// audited, and the last allowed wrong one locks it (not the login) until it is set again.
struct ConfirmationPasswordSecret: TypedSecret {
    typealias Holder = User
    let user: UserKey
    let lockout: Lockout

    func takeTry(in tx: any StoreTransaction, at now: Date) async throws -> TakenTry<User> {
        guard let found = try await tx.lockUser(user), found.status != .deleted else { return .refused(.userNotFound(user)) }
        guard found.status == .active else { return .refused(found.status == .locked ? .userLocked(user) : .userDisabled(user)) }
        guard let record = try await tx.confirmationPassword(of: user) else { return .refused(.confirmationPasswordNotSet) }
        guard record.lockedAt == nil else { return .refused(.confirmationPasswordLocked) }
        return try .counted(found, hash: record.hash, taken: try await tx.takeConfirmationTry(of: user), within: lockout)
    }

    func settleRight(_ attempt: SecretTry<User>, in tx: any StoreTransaction) async throws {
        try await tx.clearConfirmationTries(of: user)
    }

    func settleWrong(_ attempt: SecretTry<User>, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        try await tx.appendAudit(AuditEntry(actor: "user:\(user)", action: .confirmationPasswordFailed, target: "user:\(user)"), at: now)
        guard let remaining = lockout.remaining(afterWrong: attempt.taken) else {
            // Set again while this try was checked: the new one starts with its full count.
            guard try await tx.lockConfirmationPassword(of: user, at: now, ifTriesAtLeast: attempt.taken) else {
                return .confirmationPasswordWrong(remainingAttempts: lockout.maxAttempts)
            }
            try await tx.appendAudit(AuditEntry(actor: "system", action: .confirmationPasswordLocked, target: "user:\(user)"), at: now)
            return .confirmationPasswordLocked
        }
        return .confirmationPasswordWrong(remainingAttempts: remaining)
    }

    /// Never reached: `takeTry` refuses a user that does not exist (the holder is logged in).
    func refuseUnknown(after taken: Int, in tx: any StoreTransaction, at now: Date) async throws -> ShomeiError {
        .userNotFound(user)
    }
}
