/// A user's authority inside its contract, as the bank manuals name them.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// マスター: the contract's master user; receives a copy of every certificate notice.
    case master
    /// 管理者: an administrator user.
    case admin
    /// 一般: a general user.
    case general

    public func label(_ language: Language) -> String {
        Message.roleLabel(self).text(language)
    }
}
