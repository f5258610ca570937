/// The subject every client certificate gets, built by the CA from the bank's configuration and
/// the user's identifiers, never from the request (SPEC §2).
public struct SubjectTemplate: Sendable, Codable, Equatable {
    public var country: String
    public var organization: String
    public var organizationalUnit: String
    /// Common name with placeholders `{contract}`, `{user}` and `{bankCode}`.
    /// The default `{contract}{user} {bankCode}` gives `CN=TKYM1408054 1403` as in the seeds.
    public var commonName: String
    public var bankCode: String

    public init(
        country: String = "JP", organization: String, organizationalUnit: String,
        commonName: String = "{contract}{user} {bankCode}", bankCode: String
    ) {
        self.country = country
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.commonName = commonName
        self.bankCode = bankCode
    }

    public func subject(for user: UserKey) -> SubjectFields {
        let cn = commonName
            .replacingAll("{contract}", with: user.contractID.rawValue)
            .replacingAll("{user}", with: user.userID.rawValue)
            .replacingAll("{bankCode}", with: bankCode)
        return SubjectFields(
            country: country, organization: organization, organizationalUnit: organizationalUnit, commonName: cn)
    }
}

/// The four attributes of a client certificate's subject, in the order they are encoded.
public struct SubjectFields: Sendable, Equatable {
    public let country: String
    public let organization: String
    public let organizationalUnit: String
    public let commonName: String
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
