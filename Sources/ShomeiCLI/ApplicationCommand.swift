import ArgumentParser
import Foundation
import ShomeiDomain
import ShomeiRA

/// The bank's side of the applications service (各種申込) from the command line, until the
/// console exists: the inbox, one application with its history, 受付済 and 再提出要.
struct ApplicationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "application", abstract: "Customers' applications (各種申込): list, show, accept, return.",
        subcommands: [List.self, Show.self, Accept.self, Return.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Applications of every contract, most recently updated first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this status: draft, submitted, resubmissionRequired, resubmitted, accepted, withdrawn.")
        var status: ApplicationStatus?
        @Option(help: "Only this form, e.g. 05.") var form: String?
        @Option(help: "At most this many.") var limit: Int = 100

        func run() async throws {
            let applications = try await options.withInstallation { installation in
                try await installation.operatorQueries.applications(
                    ApplicationFilter(status: status, form: form, includeDrafts: true), limit: limit)
            }
            try Output(json: options.json).emit(applications) {
                applications.map {
                    "\($0.id)\t\($0.formID)\t\($0.contractID)\t\(Message.applicationStatusLabel($0.status).text(.current))\t"
                        + "\(TokyoTime.formatForCustomer($0.updatedAt, .current))\t\($0.updatedBy.name)"
                }.joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One application: answers, targets and history.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The application ID.") var id: String

        struct View: Encodable {
            let application: Application
            let history: [ApplicationHistoryEntry]
        }

        func run() async throws {
            let view = try await options.withInstallation { installation in
                let (application, history) = try await installation.operatorQueries.application(id)
                return View(application: application, history: history)
            }
            try Output(json: options.json).emit(view) {
                let answers = view.application.answers.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
                let history = view.history.map {
                    "  \(TokyoTime.formatForCustomer($0.time, .current))  \($0.actor.name)  "
                        + "\($0.before.map { Message.applicationStatusLabel($0).text(.current) } ?? "-") → "
                        + "\(Message.applicationStatusLabel($0.after).text(.current))  \($0.comment ?? "")"
                }
                return (["\(view.application.id) form \(view.application.formID) contract \(view.application.contractID)",
                         "targets: \(view.application.targets.map(\.description).joined(separator: ", "))", "answers:"]
                        + answers + ["history:"] + history).joined(separator: "\n")
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "受付済: accept (05: revocations on the next bank business day).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The application ID.") var id: String
        @Option(help: "Comment shown to the customer.") var comment: String?

        func run() async throws {
            let application = try await options.withInstallation { installation in
                try await installation.applicationDesk.accept(id: id, by: options.staffActor, comment: comment)
            }
            try Output(json: options.json).emit(application) {
                "application \(application.id) accepted"
                    + (application.effectiveAt.map { "; takes effect at \(TokyoTime.formatForCustomer($0, .current))" } ?? "")
            }
        }
    }

    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "再提出要: send back for resubmission, with a comment.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The application ID.") var id: String
        @Option(help: "What the customer must correct (required).") var comment: String

        func run() async throws {
            let application = try await options.withInstallation { installation in
                try await installation.applicationDesk.requestResubmission(id: id, by: options.staffActor, comment: comment)
            }
            try Output(json: options.json).emit(application) { "application \(application.id) returned for resubmission" }
        }
    }
}

extension ApplicationStatus: ExpressibleByArgument {}

extension GlobalOptions {
    /// The operator as the application's history shows the bank's side.
    var staffActor: ApplicationActor { ApplicationActor(side: .bank, id: actor, name: actor) }
}
