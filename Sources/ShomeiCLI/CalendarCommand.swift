import ArgumentParser
import ShomeiDomain

/// A day given on the command line as `YYYY-MM-DD`.
extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The Japanese bank calendar (銀行営業日).",
        subcommands: [NextBusinessDay.self, Holidays.self])

    struct NextBusinessDay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next-business-day", abstract: "The first bank business day after DATE.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "A day, YYYY-MM-DD.") var date: CivilDate

        struct Result: Encodable {
            let after: CivilDate
            let nextBusinessDay: CivilDate
        }

        func run() async throws {
            let calendar = try options.bankCalendar()
            let next = calendar.nextBusinessDay(after: date)
            try Output(json: options.json).emit(Result(after: date, nextBusinessDay: next)) { next.description }
        }
    }

    struct Holidays: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Japanese national holidays of a year.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "A year, 1980–2099.") var year: Int

        struct Holiday: Encodable {
            let date: CivilDate
            let name: String
        }

        func run() async throws {
            guard JapaneseHolidays.supportedYears.contains(year) else { throw ShomeiError.invalidDate("\(year)") }
            let holidays = JapaneseHolidays.holidays(in: year).map { Holiday(date: $0.date, name: $0.name) }
            try Output(json: options.json).emit(holidays) {
                holidays.map { "\($0.date)\t\($0.name)" }.joined(separator: "\n")
            }
        }
    }
}

extension GlobalOptions {
    /// The bank calendar with the installation's extra closures when a data folder exists.
    func bankCalendar() throws -> BankCalendar {
        guard folder.exists else { return BankCalendar() }
        return BankCalendar(extraClosures: Set(try folder.loadConfiguration().extraClosures ?? []))
    }
}
