import ArgumentParser
import Foundation
import ShomeiDomain

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a data folder with a root CA and an issuing CA.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "A shomei.json to start from (default: development settings).") var config: String?
    @Option(help: "The bank's certificate policy OID (its CP), put in every client certificate; without it none is.")
    var policyOID: String?
    @Option(help: "Make the issuing CA key on an HSM: a pkcs11: URI (object= names the key; PIN from SHOMEI_HSM_PIN_FILE).")
    var hsm: String?
    @Option(help: "The HSM's PKCS#11 module (with --hsm).") var pkcs11Module: String?

    func run() async throws {
        var configuration = try config.map(Self.readConfiguration) ?? .development()
        if let policyOID { configuration.certificates.policyOID = policyOID }
        if let hsm {
            guard let pkcs11Module else { throw ShomeiError.formFieldMissing("--pkcs11-module") }
            configuration.hsm = .init(module: pkcs11Module, issuingKey: hsm)
        }
        let created = try await Installation.create(
            options.folder, configuration: configuration, environment: options.environment, actor: options.auditActor)
        try Self.report(created, json: options.json)
    }

    static func readConfiguration(_ path: String) throws -> ShomeiConfiguration {
        let data = try InputFile.data(path)
        do {
            return try JSONDecoder().decode(ShomeiConfiguration.self, from: data)
        } catch {
            throw ShomeiError.invalidConfiguration("\(path): \(error)")
        }
    }

    static func report(_ created: Installation.Created, json: Bool) throws {
        try Output(json: json).emit(created) {
            """
            created \(created.dataFolder)
              root CA:    \(created.rootSubject) (\(created.rootKeyAlgorithm))
              issuing CA: \(created.issuingSubject) (\(created.issuingKeyAlgorithm))
            """
        }
        warnOfDevelopmentMode(created)
    }

    /// On stderr: a development installation's CA keys are only as safe as its data folder.
    static func warnOfDevelopmentMode(_ created: Installation.Created) {
        if let file = created.developmentPassphraseFile {
            Output.warn("""
                ************************************************************************
                WARNING: DEVELOPMENT MODE. The CA keys are encrypted with a generated
                passphrase stored next to them in \(file).
                Anyone who can read the data folder can sign certificates.
                For production set SHOMEI_CA_PASSPHRASE or SHOMEI_CA_PASSPHRASE_FILE
                before `shomei init`, and keep the passphrase away from the keys.
                ************************************************************************
                """)
        }
    }
}
