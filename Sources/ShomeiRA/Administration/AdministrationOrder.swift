import Foundation
import ShomeiDomain

/// A 管理 action as the actor confirmed it, with what it needs (issue #17). Whether the actor
/// may take it is `CustomerAdministration`'s rule; how it is carried out is
/// `RegistrationAuthority.administer`.
public enum AdministrationOrder: Sendable {
    /// 利用者登録. Without a password, an initial one is generated; either way the user must
    /// change it at the first login.
    case register(NewUser)
    case change(RegistrationAuthority.UserChange)
    /// 利用者削除: the certificate is revoked (cessationOfOperation) and unused codes voided.
    case delete
    case stop
    case resume
    case unlock
    /// ログインパスワード初期化: a temporary password, to be changed at the next login.
    case resetLoginPassword
    /// 証明書失効 of the certificate the confirmation page showed.
    case revokeCertificate(serial: String, reason: RevocationReason)
    /// 証明書再発行: a one-time activation code; a still-valid certificate is revoked first
    /// (superseded), so the user is never left holding two.
    case reissueCertificate

    public var action: AdministrationAction {
        switch self {
        case .register: .registerUser
        case .change: .changeUser
        case .delete: .deleteUser
        case .stop: .stopUser
        case .resume: .resumeUser
        case .unlock: .unlockUser
        case .resetLoginPassword: .resetLoginPassword
        case .revokeCertificate: .revokeCertificate
        case .reissueCertificate: .reissueCertificate
        }
    }
}

/// What a 管理 action came to. The secrets in it exist nowhere else (only their hashes are
/// stored): the result page shows them once.
public struct AdministrationResult: Sendable {
    /// The user as the action left them.
    public let target: User
    /// The certificate the action revoked, if any.
    public let revoked: CertificateRecord?
    /// A generated initial password (利用者登録) or the temporary one (ログインパスワード初期化).
    public let loginPassword: String?
    /// A new 管理者's 確認用パスワード (registered, or promoted by 利用者情報変更).
    public let confirmationPassword: String?
    /// 証明書再発行's activation code and when it stops working.
    public let activationCode: (code: String, expiresAt: Date)?
}

/// A secret made for an action before any transaction opens: the text to show once, the hash to store.
struct MadeSecret: Sendable {
    let text: String
    let hash: String
}
