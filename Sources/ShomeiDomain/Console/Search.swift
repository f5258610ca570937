import struct Foundation.Date

/// What the console's search asks for (issue #5: contract ID, user ID, serial, status,
/// expiring within N days). Empty fields do not filter.
public struct CertificateSearch: Sendable, Equatable {
    public var contract: ContractID?
    public var user: UserID?
    /// Lower-case hex, as `SerialText.normalize` makes it.
    public var serial: String?
    public var status: CertificateRecord.Status?
    public var expiringWithinDays: Int?
    /// Part of the holder's or the contract's name, as staff hear it on the phone ("山田",
    /// "テスト"); letters compared without case.
    public var name: String?

    public init(
        contract: ContractID? = nil, user: UserID? = nil, serial: String? = nil, status: CertificateRecord.Status? = nil,
        expiringWithinDays: Int? = nil, name: String? = nil
    ) {
        self.name = name
        self.contract = contract
        self.user = user
        self.serial = serial
        self.status = status
        self.expiringWithinDays = expiringWithinDays
    }

    /// The notAfter window of "expiring within N days" at `now`: unexpired, ending by now + N days.
    public func expiryWindow(at now: Date) -> ClosedRange<Date>? {
        expiringWithinDays.map { now...now.addingTimeInterval(Double($0) * 86_400) }
    }
}

/// The console inbox's filter (issue #5: by type, status, date). Drafts are the customer's own
/// and never shown to the bank.
public struct ApplicationFilter: Sendable, Equatable {
    public var status: ApplicationStatus?
    public var form: String?
    /// Last updated on or after this Tokyo day, and before the day after `through`.
    public var from: CivilDate?
    public var through: CivilDate?
    public var includeDrafts: Bool
    /// The next page starts after this row of the previous one.
    public var after: ApplicationCursor?

    public init(
        status: ApplicationStatus? = nil, form: String? = nil, from: CivilDate? = nil, through: CivilDate? = nil,
        includeDrafts: Bool = false, after: ApplicationCursor? = nil
    ) {
        self.after = after
        self.status = status
        self.form = form
        self.from = from
        self.through = through
        self.includeDrafts = includeDrafts
    }

    public var updatedFrom: Date? { from?.startInTokyo }
    public var updatedBefore: Date? { through?.adding(days: 1).startInTokyo }
}

/// Where a page of the inbox ended, in its order (newest update first, then id): the next page
/// is what sorts after it. A position rather than an offset, so an application updated while
/// staff page through moves to the top instead of shifting every page by one.
public struct ApplicationCursor: Sendable, Equatable, CustomStringConvertible {
    /// Milliseconds since 1970, as stored.
    public let updatedAtMillis: Int64
    public let id: String

    public init(updatedAtMillis: Int64, id: String) {
        self.updatedAtMillis = updatedAtMillis
        self.id = id
    }

    /// After this application, as read from the store (its time is whole milliseconds; rounding
    /// to the nearest one undoes the binary fraction a `Date` made of them carries).
    public init(after application: Application) {
        self.init(updatedAtMillis: Int64((application.updatedAt.timeIntervalSince1970 * 1000).rounded()), id: application.id)
    }

    /// `<millis>.<id>`, as it travels in the "older" link.
    public init?(_ text: String) {
        guard let dot = text.firstIndex(of: "."), let millis = Int64(text[..<dot]) else { return nil }
        let id = String(text[text.index(after: dot)...])
        guard !id.isEmpty else { return nil }
        self.init(updatedAtMillis: millis, id: id)
    }

    public var description: String { "\(updatedAtMillis).\(id)" }
}

/// Comma-separated values as RFC 4180 writes them, with a UTF-8 byte order mark so that Excel —
/// what a bank opens a CSV with — reads the Japanese correctly.
public enum CSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        "\u{FEFF}" + ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        // A leading = + - @ would make a spreadsheet run it as a formula (CSV injection).
        let safe = value.first.map { "=+-@\t\r".contains($0) } == true ? "'" + value : value
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
