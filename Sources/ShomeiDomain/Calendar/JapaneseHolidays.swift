/// Japan's national holidays (国民の祝日に関する法律 and the special laws beside it), computed from
/// the rules rather than copied from a list, so that a year nobody typed in is still right.
///
/// The rules change by law every few years, so each rule carries the years it was in force, and
/// the supported range stops where the equinox formula stops being reliable.
public enum JapaneseHolidays {
    /// The years the rules are known for: the equinox formula holds from 1980 to 2099.
    public static let supportedYears: ClosedRange<Int> = 1980...2099

    /// National holidays of `year` (国民の祝日, 振替休日, 国民の休日, one-off days) with their Japanese
    /// names, sorted by date. Empty outside ``supportedYears``: past 2099 no rule is known, and a
    /// guess would be worse than the visible absence.
    public static func holidays(in year: Int) -> [(date: CivilDate, name: String)] {
        table[year] ?? []
    }

    /// The holiday's name if `date` is a national holiday, else `nil`.
    public static func name(of date: CivilDate) -> String? {
        table[date.year]?.first { $0.date == date }?.name
    }

    /// Every supported year, computed once on first use (a few thousand entries); a `static let`
    /// is initialised exactly once even under concurrent first access, so no lock is needed.
    private static let table: [Int: [(date: CivilDate, name: String)]] = Dictionary(
        uniqueKeysWithValues: supportedYears.map { ($0, computeHolidays(of: $0)) })

    private static func computeHolidays(of year: Int) -> [(date: CivilDate, name: String)] {
        var holidays: [CivilDate: String] = [:]
        for rule in rules where rule.years.contains(year) {
            holidays[rule.day.date(in: year)] = rule.name
        }
        // Only the days named so far are 国民の祝日 in the law's sense (the special laws deem their
        // one-off days to be 国民の祝日 too); 振替休日 and 国民の休日 are merely 休日, which matters
        // because both rules below look at 国民の祝日 alone.
        let nationalHolidays = holidays
        for date in nationalHolidays.keys where date.weekday == .sunday {
            if let substitute = substituteHoliday(for: date, among: nationalHolidays), holidays[substitute] == nil {
                holidays[substitute] = "振替休日"
            }
        }
        for date in nationalHolidays.keys {
            let between = date.adding(days: 1)
            if between >= citizensHolidayStart, between.weekday != .sunday, holidays[between] == nil,
               nationalHolidays[between.adding(days: 1)] != nil {
                holidays[between] = "国民の休日"
            }
        }
        return holidays.map { (date: $0.key, name: $0.value) }.sorted { $0.date < $1.date }
    }

    /// 振替休日 for a 国民の祝日 on `sunday`. Until 2006 (law of 1973) it was simply the Monday;
    /// since 2007 it is the first following day that is not itself a 国民の祝日, so a Sunday
    /// 憲法記念日 moves past みどりの日 and こどもの日 to May 6.
    private static func substituteHoliday(for sunday: CivilDate, among nationalHolidays: [CivilDate: String]) -> CivilDate? {
        guard sunday >= substituteHolidayStart else { return nil }
        var candidate = sunday.adding(days: 1)
        if sunday.year >= 2007 {
            while nationalHolidays[candidate] != nil { candidate = candidate.adding(days: 1) }
        }
        return candidate
    }

    /// 振替休日 exists since the amendment of 1973-04-12.
    private static let substituteHolidayStart = CivilDate(year: 1973, month: 4, day: 12)!
    /// 国民の休日 (a day other than Sunday sandwiched between two 国民の祝日) exists since the amendment
    /// of 1985-12-27.
    private static let citizensHolidayStart = CivilDate(year: 1985, month: 12, day: 27)!

    /// One 国民の祝日 as the law defined it over `years`. A holiday whose rule changed appears once
    /// per version, so each line reads like the amendment that made it.
    private struct Rule: Sendable {
        let name: String
        let years: Range<Int>
        let day: Day

        init(_ name: String, _ years: some RangeExpression<Int>, _ day: Day) {
            self.name = name
            self.years = years.relative(to: Int.min..<Int.max)
            self.day = day
        }
    }

    private enum Day: Sendable {
        case fixed(month: Int, day: Int)
        /// The `ordinal`-th Monday of `month` (ハッピーマンデー制度, from 2000 and 2003).
        case monday(ordinal: Int, month: Int)
        case vernalEquinox
        case autumnalEquinox

        func date(in year: Int) -> CivilDate {
            switch self {
            case .fixed(let month, let day):
                return CivilDate(year: year, month: month, day: day)!
            case .monday(let ordinal, let month):
                let first = CivilDate(year: year, month: month, day: 1)!
                let untilMonday = (Weekday.monday.rawValue - first.weekday.rawValue + 7) % 7
                return first.adding(days: untilMonday + 7 * (ordinal - 1))
            case .vernalEquinox:
                let day = JapaneseHolidays.announcedEquinoxes[year]?.march ?? JapaneseHolidays.equinoxDay(year, base: 20_843_100)
                return CivilDate(year: year, month: 3, day: day)!
            case .autumnalEquinox:
                let day = JapaneseHolidays.announcedEquinoxes[year]?.september
                    ?? JapaneseHolidays.equinoxDay(year, base: 23_248_800)
                return CivilDate(year: year, month: 9, day: day)!
            }
        }
    }

    /// The day of month of an equinox in Japan time, by the standard approximation valid for
    /// 1980-2099: `floor(base + 0.242194 (y - 1980) - floor((y - 1980) / 4))`, with `base` 20.8431 for
    /// March and 23.2488 for September. The law names the equinox as announced each February by the
    /// National Astronomical Observatory for the following year; the formula matches every
    /// announcement so far (checked 1980-2027). Computed in millionths so no floating-point
    /// rounding can move a day across the boundary.
    private static func equinoxDay(_ year: Int, base microdays: Int) -> Int {
        let elapsed = year - 1980
        return (microdays + 242_194 * elapsed - 1_000_000 * (elapsed / 4)) / 1_000_000
    }

    /// Equinox days as announced in the official gazette (官報, 暦要項) each February for the next
    /// year. An announced date wins over the formula; add each year's announcement here.
    static let announcedEquinoxes: [Int: (march: Int, september: Int)] = [
        2025: (20, 23),
        2026: (20, 23),
        2027: (21, 23),
    ]

    /// The law and its special cases, in calendar order within each year. Years before 1980 are
    /// given as enacted for the record; only ``supportedYears`` are ever computed.
    private static let rules: [Rule] = [
        Rule("元日", 1949..., .fixed(month: 1, day: 1)),
        Rule("成人の日", 1949...1999, .fixed(month: 1, day: 15)),
        Rule("成人の日", 2000..., .monday(ordinal: 2, month: 1)),
        Rule("建国記念の日", 1967..., .fixed(month: 2, day: 11)),
        Rule("天皇誕生日", 2020..., .fixed(month: 2, day: 23)),
        Rule("春分の日", 1949..., .vernalEquinox),
        Rule("天皇誕生日", 1949...1988, .fixed(month: 4, day: 29)),
        Rule("みどりの日", 1989...2006, .fixed(month: 4, day: 29)),
        Rule("昭和の日", 2007..., .fixed(month: 4, day: 29)),
        Rule("憲法記念日", 1949..., .fixed(month: 5, day: 3)),
        Rule("みどりの日", 2007..., .fixed(month: 5, day: 4)),
        Rule("こどもの日", 1949..., .fixed(month: 5, day: 5)),
        Rule("海の日", 1996...2002, .fixed(month: 7, day: 20)),
        Rule("海の日", 2003...2019, .monday(ordinal: 3, month: 7)),
        Rule("海の日", 2022..., .monday(ordinal: 3, month: 7)),
        Rule("山の日", 2016...2019, .fixed(month: 8, day: 11)),
        Rule("山の日", 2022..., .fixed(month: 8, day: 11)),
        Rule("敬老の日", 1966...2002, .fixed(month: 9, day: 15)),
        Rule("敬老の日", 2003..., .monday(ordinal: 3, month: 9)),
        Rule("秋分の日", 1948..., .autumnalEquinox),
        Rule("体育の日", 1966...1999, .fixed(month: 10, day: 10)),
        Rule("体育の日", 2000...2019, .monday(ordinal: 2, month: 10)),
        Rule("スポーツの日", 2022..., .monday(ordinal: 2, month: 10)),
        Rule("文化の日", 1948..., .fixed(month: 11, day: 3)),
        Rule("勤労感謝の日", 1948..., .fixed(month: 11, day: 23)),
        Rule("天皇誕生日", 1989...2018, .fixed(month: 12, day: 23)),

        // Imperial ceremonies, each made a holiday by its own law.
        Rule("昭和天皇の大喪の礼", 1989...1989, .fixed(month: 2, day: 24)),
        Rule("即位礼正殿の儀", 1990...1990, .fixed(month: 11, day: 12)),
        Rule("皇太子徳仁親王の結婚の儀", 1993...1993, .fixed(month: 6, day: 9)),
        Rule("天皇の即位の日", 2019...2019, .fixed(month: 5, day: 1)),
        Rule("即位礼正殿の儀", 2019...2019, .fixed(month: 10, day: 22)),

        // Tokyo Olympics: the special measures act moved three holidays next to the opening and
        // closing ceremonies, in 2020 and again after the postponement in 2021.
        Rule("海の日", 2020...2020, .fixed(month: 7, day: 23)),
        Rule("スポーツの日", 2020...2020, .fixed(month: 7, day: 24)),
        Rule("山の日", 2020...2020, .fixed(month: 8, day: 10)),
        Rule("海の日", 2021...2021, .fixed(month: 7, day: 22)),
        Rule("スポーツの日", 2021...2021, .fixed(month: 7, day: 23)),
        Rule("山の日", 2021...2021, .fixed(month: 8, day: 8)),
    ]
}
