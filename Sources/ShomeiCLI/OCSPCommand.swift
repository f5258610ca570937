import ArgumentParser
import Logging
import ShomeiWeb

struct OCSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocsp", abstract: "The OCSP responder.", subcommands: [Serve.self])

    /// The responder and CRL alone, for scale-out next to a database replica.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run only the OCSP responder and CRL distribution point (plain HTTP).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Listen address.") var host = "127.0.0.1"
        @Option(help: "Listen port.") var port = 8081

        func run() async throws {
            let installation = try await Installation.open(options.folder, environment: options.environment)
            let server = ShomeiServer(
                host: host, port: port, publication: nil, crlPublisher: installation.crlPublisher,
                ocspResponder: installation.ocspResponder, metrics: installation.metrics)
            Output.warn("Shomei OCSP responder listening on http://\(host):\(port)/ocsp (CRL: /crl/issuing.crl)")
            do { try await server.run(logger: Logger(label: "shomei.ocsp")) } catch {
                try? await installation.close()
                throw error
            }
            try await installation.close()
        }
    }
}
