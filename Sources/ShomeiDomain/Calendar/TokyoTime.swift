import struct Foundation.Date

/// Times are stored in UTC and shown to people in Asia/Tokyo (JST, UTC+9 with no summer time),
/// as the bank's screens and letters do.
public enum TokyoTime {
    /// `2026-11-23 10:05:00 JST`: for operators, logs and the CLI.
    public static func format(_ date: Date) -> String {
        let moment = CivilMoment.tokyo(date)
        return "\(moment.day) \(two(moment.hour)):\(two(moment.minute)):\(two(moment.second)) JST"
    }

    /// `2026年11月23日 10時05分` in Japanese, `23 Nov 2026 10:05 JST` in English: for customers.
    /// The date alone, as notices list it: 2026年11月23日 / 23 Nov 2026.
    public static func formatDateForCustomer(_ date: Date, _ language: Language) -> String {
        let day = CivilMoment.tokyo(date).day
        switch language {
        case .japanese: return "\(day.year)年\(day.month)月\(day.day)日"
        case .english: return "\(day.day) \(day.englishMonthAbbreviation) \(day.year)"
        }
    }

    public static func formatForCustomer(_ date: Date, _ language: Language) -> String {
        let moment = CivilMoment.tokyo(date)
        let (day, hour, minute) = (moment.day, two(moment.hour), two(moment.minute))
        switch language {
        case .japanese: return "\(day.year)年\(day.month)月\(day.day)日 \(hour)時\(minute)分"
        case .english: return "\(day.day) \(day.englishMonthAbbreviation) \(day.year) \(hour):\(minute) JST"
        }
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
