import struct Foundation.Date

/// When an accepted application (受付済) takes effect: at the start (00:00 JST) of the first bank
/// business day after the day of acceptance — for 05 "completion on the next weekday or later"
/// (seed 000), and the same for 03's change of login method — so an acceptance on Wednesday
/// 30 December takes effect on Monday 4 January.
public enum EffectiveDay {
    public static func day(acceptedAt time: Date, calendar: BankCalendar) -> CivilDate {
        calendar.nextBusinessDay(after: CivilDate.tokyo(time))
    }

    public static func time(acceptedAt time: Date, calendar: BankCalendar) -> Date {
        day(acceptedAt: time, calendar: calendar).startInTokyo
    }
}
