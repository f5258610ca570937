import struct Foundation.Date

/// When an accepted revocation application (受付済) is carried out: at the start (00:00 JST) of
/// the first bank business day after the day of acceptance — "completion on the next weekday or
/// later" (seed 000) — so an acceptance on Wednesday 30 December revokes on Monday 4 January.
public enum RevocationSchedule {
    public static func day(acceptedAt time: Date, calendar: BankCalendar) -> CivilDate {
        calendar.nextBusinessDay(after: CivilDate.tokyo(time))
    }

    public static func time(acceptedAt time: Date, calendar: BankCalendar) -> Date {
        day(acceptedAt: time, calendar: calendar).startInTokyo
    }
}
