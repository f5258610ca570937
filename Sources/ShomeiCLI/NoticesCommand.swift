import ArgumentParser
import Foundation
import ShomeiDomain

struct NoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", abstract: "Lifecycle notices (更新案内, expiry, re-issue).",
        subcommands: [Preview.self])

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the notices the scheduler would send by the end of DATE (JST), without sending them.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "A day, YYYY-MM-DD (up to its last second in JST).") var at: CivilDate
        @Option(help: "At most this many certificates.") var limit = 1000

        struct Item: Encodable {
            let serial: String
            let contract: String
            let user: String
            let notice: String
            let notAfter: Date
        }

        func run() async throws {
            let moment = at.adding(days: 1).startInTokyo.addingTimeInterval(-1)
            let due = try await options.withInstallation { installation in
                try await installation.expiryNotices.preview(at: moment, limit: limit)
            }
            let items = due.map { certificate, notice in
                Item(serial: certificate.serial, contract: certificate.owner.contractID.rawValue,
                     user: certificate.owner.userID.rawValue, notice: "\(notice)", notAfter: certificate.notAfter)
            }
            try Output(json: options.json).emit(items) {
                items.isEmpty
                    ? "no notices due by \(TokyoTime.format(moment))"
                    : items.map { "\($0.serial)\t\($0.contract)/\($0.user)\t\($0.notice)\texpires \(TokyoTime.format($0.notAfter))" }
                        .joined(separator: "\n")
            }
        }
    }
}
