import ArgumentParser
import Foundation
import ShomeiDomain
import SwiftASN1

struct CertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert", abstract: "Client certificates (電子証明書).",
        subcommands: [Issue.self, List.self, Show.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a certificate from a PKCS#10 CSR; the user's previous one is superseded.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: UserSelection
        @Option(help: "The CSR file, PEM or DER (- for standard input).") var csr: String
        @Option(help: "Where the key lives: pc or usb.") var medium: StorageMedium = .pc
        @Option(help: "Write the certificate (PEM) here instead of standard output.") var out: String?

        func run() async throws {
            let key = try selection.key()
            let request = Array(try InputFile.data(csr))
            let issued = try await options.withInstallation { installation in
                try await installation.registration.issueCertificate(
                    for: key, csr: request, medium: medium, actor: options.auditActor)
            }
            let pem = try issued.certificate.pemString + "\n"
            if let out {
                try Data(pem.utf8).write(to: URL(fileURLWithPath: out))
            }
            let view = CertificateView(issued.record)
            if options.json {
                try Output(json: true).emit(view) { "" }
            } else if out == nil {
                print(pem, terminator: "")
            } else {
                print(view.details(options.language))
            }
            if let superseded = issued.superseded {
                Output.warn("superseded: \(superseded.serial)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List certificates, newest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this contract's certificates.") var contract: String?

        func run() async throws {
            let contract = try contract.map { try ContractID($0) }
            let views = try await options.withInstallation { installation in
                try await installation.operatorQueries.certificates(of: contract).map(CertificateView.init)
            }
            try Output(json: options.json).emit(views) {
                views.map { $0.line(options.language) }.joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one certificate.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Serial number in hex (colons allowed).") var serial: String
        @Flag(help: "Print the certificate as PEM.") var pem = false

        func run() async throws {
            let serial = try SerialText.normalize(serial)
            let record = try await options.withInstallation { installation in
                try await installation.operatorQueries.certificate(serial: serial)
            }
            if pem {
                print(PEMDocument(type: "CERTIFICATE", derBytes: record.der).pemString)
            } else {
                try Output(json: options.json).emit(CertificateView(record)) {
                    CertificateView(record).details(options.language)
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a certificate (final).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Serial number in hex.") var serial: String
        @Option(help: "RFC 5280 reason: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn, …")
        var reason: String

        func run() async throws {
            let reason = try RevocationReason(rfcName: reason)
            let record = try await options.withInstallation { installation in
                try await installation.registration.revokeCertificate(serial: serial, reason: reason, actor: options.auditActor)
            }
            try Output(json: options.json).emit(CertificateView(record)) {
                "revoked \(record.serial): \(reason.rfcName) (\(reason.label(options.language)))"
            }
        }
    }
}
