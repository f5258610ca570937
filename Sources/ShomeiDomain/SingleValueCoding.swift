/// Identifiers and addresses encode as their plain string (`"TKYM"`, not `{"rawValue":"TKYM"}`)
/// and re-validate when decoded, so a hand-edited file cannot smuggle in an invalid value.
protocol ValidatedString: Codable {
    var rawValue: String { get }
    init(_ rawValue: String) throws(ShomeiError)
}

extension ValidatedString {
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ContractID: ValidatedString {}
extension UserID: ValidatedString {}
extension EmailAddress: ValidatedString {}
