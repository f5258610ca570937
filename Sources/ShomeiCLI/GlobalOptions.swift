import ArgumentParser
import Foundation
import ShomeiDomain

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The data folder (configuration, CA, SQLite store).")
    var data: String = ProcessInfo.processInfo.environment["SHOMEI_DATA"] ?? "./shomei-data"

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    @Option(name: .long, help: "Who is acting, for the audit trail (default: $USER).")
    var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"

    var folder: DataFolder { DataFolder(path: data) }
    var environment: [String: String] { ProcessInfo.processInfo.environment }
    var auditActor: String { "operator:\(actor)" }
    var language: Language { Language.current }

    /// Opens the installation, runs the body, and closes the store even when the body fails.
    func withInstallation<T: Sendable>(_ body: (Installation) async throws -> T) async throws -> T {
        let installation = try await Installation.open(folder, environment: environment)
        do {
            let result = try await body(installation)
            try await installation.close()
            return result
        } catch {
            try? await installation.close()
            throw error
        }
    }
}

extension Language {
    /// `SHOMEI_LANG` wins; otherwise the POSIX locale (`LC_ALL`, `LANG`).
    static var current: Language {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        return Language(locale: environment["SHOMEI_LANG"] ?? environment["LC_ALL"] ?? environment["LANG"])
    }
}
