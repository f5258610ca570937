/// A contract ID (ご契約先ID / 利用者番号): identifies one corporate customer of the bank.
///
/// ASCII letters and digits only, because it is typed on login screens and becomes part of the
/// certificate's common name (`CN=<contract ID><user ID> <bank code>`).
public struct ContractID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(ShomeiError) {
        guard Self.isValid(rawValue) else { throw .invalidContractID(rawValue) }
        self.rawValue = rawValue
    }

    static func isValid(_ value: String) -> Bool {
        (1...20).contains(value.utf8.count) && value.utf8.allSatisfy(\.isASCIIAlphanumeric)
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A user ID (利用者ID): one login identity inside a contract.
public struct UserID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(ShomeiError) {
        guard ContractID.isValid(rawValue) else { throw .invalidUserID(rawValue) }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A user is only unique together with its contract: two contracts may both have a user `0001`.
public struct UserKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public let contractID: ContractID
    public let userID: UserID

    public init(contractID: ContractID, userID: UserID) {
        self.contractID = contractID
        self.userID = userID
    }

    public var description: String { "\(contractID)/\(userID)" }

    /// Reads `description` back: `<contract>/<user>`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let contract = try? ContractID(String(parts[0])), let user = try? UserID(String(parts[1])) else {
            return nil
        }
        self.init(contractID: contract, userID: user)
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
