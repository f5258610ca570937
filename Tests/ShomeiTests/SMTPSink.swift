import Foundation
import ShomeiNotifications
import Testing

/// A real SMTP server (Python's aiosmtpd) on loopback for the duration of a test.
final class SMTPSink: @unchecked Sendable {
    struct Received: Decodable, Sendable {
        let mail_from: String
        let rcpt_tos: [String]
        let subject: String
        let to: String
        let message_id: String
        let charset: String?
        let transfer_encoding: String
        let body: String
        let tls: Bool
        let authenticated: Bool
        let longest_line: Int
    }

    static let available = (try? run(["python3", "-c", "import aiosmtpd"]))?.status == 0

    let port: Int
    let folder = TemporaryFolder()
    private let process = Process()
    private let input = Pipe()

    /// Starts the sink; `tls` makes it offer (and require) STARTTLS with a fresh certificate.
    init(tls: Bool = false, auth: (user: String, password: String)? = nil, reject: [String] = [], defer: [String] = []) throws {
        let script = Peers.path("smtp_sink.py")
        try FileManager.default.createDirectory(at: folder.file("mail"), withIntermediateDirectories: true)
        var arguments = ["python3", script, "--folder", folder.file("mail").path]
        if tls {
            try run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", folder.file("key.pem").path, "-out", folder.file("cert.pem").path, "-days", "2",
                     "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            arguments += ["--tls-cert", folder.file("cert.pem").path, "--tls-key", folder.file("key.pem").path]
        }
        if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        for address in reject { arguments += ["--reject", address] }
        for address in `defer` { arguments += ["--defer", address] }
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SinkError.didNotStart(line)
        }
        self.port = port
    }

    enum SinkError: Error { case didNotStart(String) }

    var trustRootsFile: String { folder.file("cert.pem").path }

    func settings(tls: SMTPSettings.TLSMode = .startTLSWhenOffered, username: String? = nil) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: port, tls: tls, trustRootsFile: trustRootsFile, username: username,
                     heloName: "shomei.test", from: "noreply@bank.example", timeoutSeconds: 10)
    }

    /// Every message received so far, oldest first.
    func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.file("mail").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONDecoder().decode(Received.self, from: Data(contentsOf: folder.file("mail/\($0)"))) }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
