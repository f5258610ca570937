import struct Foundation.Date

/// A moment as a calendar day and the whole seconds into it, in UTC (certificate and mail
/// headers) or in Japan time (what people are shown): one conversion for every formatter.
public struct CivilMoment: Sendable, Equatable {
    public let day: CivilDate
    public let secondOfDay: Int

    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay / 60 % 60 }
    public var second: Int { secondOfDay % 60 }

    public static func utc(_ date: Date) -> CivilMoment { at(date, offsetSeconds: 0) }
    public static func tokyo(_ date: Date) -> CivilMoment { at(date, offsetSeconds: 9 * 3600) }

    private static func at(_ date: Date, offsetSeconds: Int) -> CivilMoment {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offsetSeconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return CivilMoment(day: CivilDate(daysSinceEpoch: days), secondOfDay: seconds - days * 86_400)
    }
}
