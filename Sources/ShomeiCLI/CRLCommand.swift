import ArgumentParser
import Foundation
import ShomeiDomain

struct CRLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crl", abstract: "Certificate revocation lists.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a new CRL now (next CRL number) and write it as DER.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Output file (DER).") var out: String

        struct Result: Encodable {
            let number: Int64
            let entries: Int
            let thisUpdate: Date
            let nextUpdate: Date
        }

        func run() async throws {
            let crl = try await options.withInstallation { try await $0.crlPublisher.publish() }
            try Data(crl.der).write(to: URL(fileURLWithPath: out))
            let result = Result(number: crl.number, entries: crl.entries, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate)
            try Output(json: options.json).emit(result) {
                "CRL #\(crl.number): \(crl.entries) revoked, next update \(TokyoTime.format(crl.nextUpdate)) → \(out)"
            }
        }
    }
}
