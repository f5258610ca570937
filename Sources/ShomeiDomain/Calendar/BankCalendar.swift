/// Which days Japanese banks are open: not on Saturdays, Sundays or national holidays (銀行法施行令
/// 第5条), not from December 31 to January 3 (年末年始), and not on days the bank closes on its own
/// (system migrations and the like), which the operator configures.
///
/// Deadlines such as "activate within five business days" are counted on this calendar, so a
/// customer who receives a code before a long weekend does not lose it over the holidays.
public struct BankCalendar: Sendable {
    /// Days the bank is closed beyond the statutory ones.
    public let extraClosures: Set<CivilDate>

    public init(extraClosures: Set<CivilDate> = []) {
        self.extraClosures = extraClosures
    }

    public func isBankBusinessDay(_ date: CivilDate) -> Bool {
        closureReason(date) == nil
    }

    /// Why the bank is closed on `date` ("土曜日", "日曜日", the holiday's name, "年末年始" or
    /// "臨時休業"), or `nil` on a business day.
    ///
    /// When several apply, the most specific one wins: a holiday's name, then the year-end closure
    /// (both close the bank whatever the weekday), then the weekend, and an extra closure last,
    /// because it only tells the customer something when nothing else closes the bank.
    public func closureReason(_ date: CivilDate) -> String? {
        if let holiday = JapaneseHolidays.name(of: date) { return holiday }
        if (date.month == 12 && date.day == 31) || (date.month == 1 && date.day <= 3) { return "年末年始" }
        switch date.weekday {
        case .saturday: return "土曜日"
        case .sunday: return "日曜日"
        default: break
        }
        return extraClosures.contains(date) ? "臨時休業" : nil
    }

    /// The first business day strictly after `date`.
    public func nextBusinessDay(after date: CivilDate) -> CivilDate {
        step(from: date, by: 1)
    }

    /// The last business day strictly before `date`.
    public func previousBusinessDay(before date: CivilDate) -> CivilDate {
        step(from: date, by: -1)
    }

    /// `count` business days after `date`, or `-count` business days before it when negative.
    ///
    /// `date` itself is never counted, so a count of 1 from a Saturday gives the Monday, not the
    /// Tuesday: "within one business day" of a request made on a weekend ends on the next business
    /// day, as banks count. A count of 0 means "on `date`, or if the bank is closed then, on the next
    /// business day", the usual rule for a due date that falls on a holiday; it is the one case
    /// that is not mirrored for negative counts.
    public func addBusinessDays(_ count: Int, to date: CivilDate) -> CivilDate {
        if count == 0 { return isBankBusinessDay(date) ? date : nextBusinessDay(after: date) }
        var result = date
        for _ in 0..<count.magnitude {
            result = step(from: result, by: count > 0 ? 1 : -1)
        }
        return result
    }

    private func step(from date: CivilDate, by direction: Int) -> CivilDate {
        var candidate = date.adding(days: direction)
        while !isBankBusinessDay(candidate) { candidate = candidate.adding(days: direction) }
        return candidate
    }
}
