/// What a customer's own マスター and 管理者 users may do to the users of their contract from the
/// 管理 menu (利用者管理), as ANSER-based corporate internet banking offers it — the one place
/// this rule lives (issue #17).
///
/// - Only マスター and 管理者 administer; a 一般 user has no 管理 menu.
/// - A マスター acts on 管理者 and 一般 users, a 管理者 on 一般 users only: never on a user of the
///   same rank or above, and a new or changed role must be below the actor's too.
/// - Nobody acts on their own account here. Re-issuing or revoking one's own certificate is the
///   voice-phishing pattern (a caller talks the victim into it), so that goes to the bank; one's
///   own passwords are changed under パスワード変更, not here.
/// - Nobody acts on another contract's users.
/// - The bank decides which actions it offers at all (`CustomerAdministrationPolicy`).
public enum CustomerAdministration {
    /// Whether a user of this role has the 管理 menu at all (and a 確認用パスワード).
    public static func administers(_ role: Role) -> Bool {
        role != .general
    }

    /// Why `actor` may not take `action` on the user `target` whose role is (or, registering or
    /// changing one, becomes) `targetRole`; nil when the action is allowed.
    public static func refusal(
        by actor: (key: UserKey, role: Role), _ action: AdministrationAction, on target: UserKey, role targetRole: Role,
        policy: CustomerAdministrationPolicy
    ) -> AdministrationRefusal? {
        guard administers(actor.role) else { return .notAdministrator }
        guard policy.offers(action) else { return .notOffered }
        guard actor.key.contractID == target.contractID else { return .otherContract }
        guard actor.key != target else { return .ownAccount }
        guard actor.role.outranks(targetRole) else { return .outranked }
        return nil
    }
}

/// The 管理 menu's actions on a user (利用者管理).
public enum AdministrationAction: String, Sendable, Codable, CaseIterable {
    /// 利用者登録.
    case registerUser
    /// 利用者情報変更 (name, e-mail, 権限).
    case changeUser
    /// 利用者削除 (revokes the user's certificate too).
    case deleteUser
    /// 利用停止.
    case stopUser
    /// 停止解除.
    case resumeUser
    /// ロック解除 after wrong passwords.
    case unlockUser
    /// ログインパスワード初期化 (a temporary password, changed at the next login).
    case resetLoginPassword
    /// 証明書失効, effective at once.
    case revokeCertificate
    /// 証明書再発行: a one-time activation code for the user.
    case reissueCertificate
}

extension AdministrationAction {
    /// Whether the action means anything for a user in this state (a 停止解除 for a stopped
    /// user, a 証明書失効 for a valid certificate …): the 管理 pages offer only these.
    public func applies(to status: User.Status, validCertificate: Bool) -> Bool {
        switch self {
        case .registerUser: false
        case .changeUser, .deleteUser, .resetLoginPassword: status != .deleted
        case .stopUser: status == .active || status == .locked
        case .resumeUser: status == .disabled
        case .unlockUser: status == .locked
        case .revokeCertificate: status != .deleted && validCertificate
        case .reissueCertificate: status == .active
        }
    }
}

/// Why a 管理 action is refused (`CustomerAdministration.refusal`).
public enum AdministrationRefusal: String, Sendable, Equatable, CaseIterable {
    /// The actor is a 一般 user.
    case notAdministrator
    /// The bank does not offer this action to customers (`CustomerAdministrationPolicy`).
    case notOffered
    /// The target belongs to another contract.
    case otherContract
    /// The target is the actor.
    case ownAccount
    /// The target's role is the actor's or above.
    case outranked
}

/// Which 管理 actions the bank offers its customers (configuration `customerAdministration`).
/// With immediate revocation off, customers revoke through 05_電子証明書失効, effective the next
/// business day; with re-issue off, re-issues go through the bank (four eyes).
public struct CustomerAdministrationPolicy: Sendable, Codable, Equatable {
    public var immediateRevocation: Bool
    public var reissue: Bool
    /// 利用者登録 and 利用者削除.
    public var userRegistration: Bool
    /// How long a customer's re-issue code stays usable: the user is at hand, unlike a code the
    /// bank posts, so a day rather than the bank's two weeks.
    public var reissueCodeLifetimeHours: Int

    public init(immediateRevocation: Bool = true, reissue: Bool = true, userRegistration: Bool = true, reissueCodeLifetimeHours: Int = 24) {
        self.immediateRevocation = immediateRevocation
        self.reissue = reissue
        self.userRegistration = userRegistration
        self.reissueCodeLifetimeHours = reissueCodeLifetimeHours
    }

    public func offers(_ action: AdministrationAction) -> Bool {
        switch action {
        case .revokeCertificate: immediateRevocation
        case .reissueCertificate: reissue
        case .registerUser, .deleteUser: userRegistration
        case .changeUser, .stopUser, .resumeUser, .unlockUser, .resetLoginPassword: true
        }
    }
}

/// The bank's per-contract choice of which 管理 actions that contract's administrators may take,
/// in place of the installation's (`customerAdministration` in the configuration).
public struct AdministrationSwitches: Sendable, Codable, Equatable {
    public var immediateRevocation: Bool
    public var reissue: Bool
    public var userRegistration: Bool

    public init(immediateRevocation: Bool, reissue: Bool, userRegistration: Bool) {
        self.immediateRevocation = immediateRevocation
        self.reissue = reissue
        self.userRegistration = userRegistration
    }
}

extension CustomerAdministrationPolicy {
    /// The policy for a contract: its own switches where the bank set them, else the installation's.
    public func applying(_ switches: AdministrationSwitches?) -> Self {
        guard let switches else { return self }
        var policy = self
        policy.immediateRevocation = switches.immediateRevocation
        policy.reissue = switches.reissue
        policy.userRegistration = switches.userRegistration
        return policy
    }

    public var switches: AdministrationSwitches {
        AdministrationSwitches(immediateRevocation: immediateRevocation, reissue: reissue, userRegistration: userRegistration)
    }
}

extension Role {
    /// Whether a user of this role administers users of `other`: a マスター outranks 管理者 and
    /// 一般, a 管理者 outranks 一般.
    public func outranks(_ other: Role) -> Bool {
        rank > other.rank
    }

    private var rank: Int {
        switch self {
        case .master: 2
        case .admin: 1
        case .general: 0
        }
    }
}
