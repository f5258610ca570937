import Foundation

/// A calendar day with no time and no time zone: the unit banks close, holidays fall on and
/// business days are counted in.
///
/// `Date` is an instant, and which day an instant belongs to depends on the zone; mixing the two is
/// how a closure at 00:00 JST turns into "the day before" on a UTC server. Keeping days as their own
/// type leaves exactly one place, ``tokyo(_:)`` and ``startInTokyo``, where the two meet.
///
/// Proleptic Gregorian, years 1 through 9999, so that every value has the four-digit ISO form it
/// encodes as.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The years every value lies in: exactly those the four-digit `YYYY-MM-DD` form can write.
    private static let years = 1...9999

    /// `nil` unless the day exists, so February 29 only in leap years.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; no shorter fields, no time, no surrounding spaces, because the
    /// string is also the stored and transmitted form and must round-trip unchanged.
    public init?(iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
              let day = Self.number(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `daysSinceEpoch` days after 1970-01-01 (before it when negative).
    ///
    /// - Precondition: the result lies in years 1 through 9999; anything else is a programming
    ///   error, not input to recover from.
    public init(daysSinceEpoch: Int) {
        precondition(Self.epochDayRange.contains(daysSinceEpoch), "day \(daysSinceEpoch) is outside years 1...9999")
        // Howard Hinnant's civil_from_days, counting in 400-year eras that start on March 1 so the
        // leap day is the last day of each computed year.
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01, negative before it: the form in which days are compared and counted.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil, the inverse of `init(daysSinceEpoch:)`.
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday(rawValue: ((daysSinceEpoch + Weekday.thursday.rawValue) % 7 + 7) % 7)!
    }

    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// `YYYY-MM-DD`, the form `init(iso:)` reads back.
    public var description: String {
        "\(Self.padded(year, to: 4))-\(Self.padded(month, to: 2))-\(Self.padded(day, to: 2))"
    }

    /// The day it is in Japan at `date`.
    ///
    /// A fixed UTC+9 rather than a `TimeZone` lookup: Japan has not observed daylight saving time
    /// since 1951, and a fixed offset cannot change with the host's time zone database.
    public static func tokyo(_ date: Date) -> CivilDate {
        let days = ((date.timeIntervalSince1970 + Double(tokyoOffsetSeconds)) / Double(secondsPerDay)).rounded(.down)
        precondition(Double(epochDayRange.lowerBound) <= days && days <= Double(epochDayRange.upperBound),
                     "\(date) is outside years 1...9999")
        return CivilDate(daysSinceEpoch: Int(days))
    }

    /// 00:00 Japan time on this day: the first instant ``tokyo(_:)`` maps to it.
    public var startInTokyo: Date {
        Date(timeIntervalSince1970: Double(daysSinceEpoch * Self.secondsPerDay - Self.tokyoOffsetSeconds))
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Encodes as the plain ISO string, like the identifiers, and re-validates when decoded so a
    /// hand-edited "2026-02-30" is refused rather than silently shifted.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a YYYY-MM-DD date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static let secondsPerDay = 86_400
    private static let tokyoOffsetSeconds = 9 * 3_600
    /// 0001-01-01 through 9999-12-31 as days since the epoch.
    private static let epochDayRange = -719_162...2_932_896

    /// The value of a run of ASCII digits; `nil` if any byte is not a digit (so no signs or spaces).
    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func padded(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A day of the week, numbered from Sunday as in Japanese calendars (日, 月, 火, …).
public enum Weekday: Int, Sendable, CaseIterable {
    case sunday = 0, monday, tuesday, wednesday, thursday, friday, saturday

    /// `Sun` … `Sat`, as mail headers (RFC 5322) write it.
    public var englishAbbreviation: String { ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][rawValue] }
}

extension CivilDate {
    /// `Jan` … `Dec`, for English dates and mail headers.
    public var englishMonthAbbreviation: String {
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
    }
}
