import Foundation
import ShomeiCLI
import ShomeiDomain
import Testing

/// The `shomei` binary as an operator uses it.
@Suite struct CLITests {
    static let binary: String = {
        // The test bundle sits next to the products: .build/<config>/ShomeiPackageTests.xctest
        var url = Bundle.main.bundleURL
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("shomei").path) {
            url = url.deletingLastPathComponent()
        }
        return url.appendingPathComponent("shomei").path
    }()

    struct Operator {
        let folder = TemporaryFolder()
        var data: String { folder.file("data").path }

        @discardableResult
        func shomei(_ arguments: String..., lang: String = "C.UTF-8", environment: [String: String] = [:]) throws -> ProcessResult {
            try run([CLITests.binary] + arguments + ["--data", data], environment: ["LANG": lang, "SHOMEI_LANG": ""].merging(environment) { $1 })
        }
    }

    /// init never overwrites a CA's files (a backup put back without its shomei.json), and an
    /// init that fails after writing (the store cannot be opened) takes back what it wrote, and
    /// only that, so the retry works.
    @Test func initLeavesWhatWasThereAndTakesBackWhatItWroteOnFailure() throws {
        let op = Operator()
        let restored = op.folder.file("data/ca/root.key.pem")
        try FileManager.default.createDirectory(at: op.folder.file("data/ca"), withIntermediateDirectories: true)
        try "backup".write(to: restored, atomically: true, encoding: .utf8)
        let refused = try op.shomei("init")
        #expect(refused.status == 5 && refused.stderr.contains("already holds a CA"), "\(refused.stderr)")
        #expect(try String(contentsOf: restored, encoding: .utf8) == "backup")
        try FileManager.default.removeItem(at: op.folder.file("data/ca"))

        try "keep".write(to: op.folder.file("data/notes.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: op.folder.file("data/shomei.sqlite"), withIntermediateDirectories: true)
        let unopenable = try op.shomei("init")
        #expect(unopenable.status == 7 && unopenable.stderr.contains("cannot be opened as the SQLite store"), "\(unopenable.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: op.folder.file("data").path).sorted() == ["notes.txt", "shomei.sqlite"])
        try FileManager.default.removeItem(at: op.folder.file("data/shomei.sqlite"))
        #expect(try op.shomei("init").status == 0)
    }

    @Test func initContractUserIssueVerifyRevoke() throws {
        let op = Operator()
        let created = try op.shomei("init")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("DEVELOPMENT MODE"))
        let passphraseMode = try FileManager.default.attributesOfItem(atPath: op.folder.file("data/ca/passphrase").path)[.posixPermissions] as? Int
        #expect(passphraseMode == 0o600)
        let key = try String(contentsOf: op.folder.file("data/ca/issuing.key.pem"), encoding: .utf8)
        #expect(key.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))

        #expect(try op.shomei("contract", "add", "--id", "TKYM140", "--name", "株式会社テスト").status == 0)
        let user = try op.shomei("user", "add", "--contract", "TKYM140", "--user", "8054", "--name", "山田 太郎",
                                 "--role", "master", "--email", "taro@example.co.jp", "--json")
        #expect(user.status == 0, "\(user.stderr)")
        let userJSON = try #require(try JSONSerialization.jsonObject(with: Data(user.stdout.utf8)) as? [String: Any])
        #expect((userJSON["initialPassword"] as? String)?.count == 16)
        #expect(!user.stdout.contains("$2b$"), "the password hash must never be printed")

        let code = try op.shomei("code", "issue", "--contract", "TKYM140", "--user", "8054")
        #expect(code.status == 0 && code.stdout.contains("activation code"))

        _ = try OpenSSL.csr(OpenSSL.rsa2048, in: op.folder)
        let leaf = op.folder.file("leaf.pem").path
        let issued = try op.shomei("cert", "issue", "--contract", "TKYM140", "--user", "8054", "--csr", op.folder.file("req.csr").path, "--out", leaf, "--json")
        #expect(issued.status == 0, "\(issued.stderr)")
        let serial = try #require(try JSONSerialization.jsonObject(with: Data(issued.stdout.utf8)) as? [String: Any])["serial"] as? String
        let verify = try run(["openssl", "verify", "-CAfile", op.folder.file("data/ca/root.pem").path,
                              "-untrusted", op.folder.file("data/ca/issuing.pem").path, leaf])
        #expect(verify.status == 0, "\(verify.stderr)")

        let shown = try op.shomei("cert", "show", try #require(serial), "--pem")
        let written = try String(contentsOf: URL(fileURLWithPath: leaf), encoding: .utf8)
        #expect(shown.stdout == written)
        #expect(try op.shomei("cert", "revoke", serial!, "--reason", "keyCompromise").status == 0)
        let list = try op.shomei("cert", "list", "--contract", "TKYM140")
        #expect(list.stdout.contains(serial!) && list.stdout.contains("revoked"))
        #expect(try op.shomei("audit", "verify").stdout.contains("intact"))
    }

    @Test func calendarNoticesAndOutboxCommands() throws {
        let op = Operator()
        let next = try op.shomei("calendar", "next-business-day", "2026-12-30")
        #expect(next.status == 0 && next.stdout == "2027-01-04\n", "\(next.stderr)")
        #expect(try op.shomei("calendar", "next-business-day", "2026-02-30").status != 0)
        #expect(try op.shomei("calendar", "holidays", "2026").stdout.contains("2026-11-23\t勤労感謝の日"))

        #expect(try op.shomei("init").status == 0)
        #expect(try op.shomei("contract", "add", "--id", "TKYM140", "--name", "株式会社テスト").status == 0)
        let badEmail = try op.shomei("user", "add", "--contract", "TKYM140", "--user", "8054", "--name", "山田",
                                     "--role", "master", "--email", "taro@example", lang: "ja_JP.UTF-8")
        #expect(badEmail.status == 3 && badEmail.stderr.contains("メールアドレス「taro@example」は正しくありません"))
        #expect(try op.shomei("user", "add", "--contract", "TKYM140", "--user", "8054", "--name", "山田", "--role", "master",
                              "--email", "taro@example.co.jp", "--language", "en").status == 0)
        let notLocked = try op.shomei("user", "unlock", "--contract", "TKYM140", "--user", "8054")
        #expect(notLocked.status == 5 && notLocked.stderr.contains("is not locked"))
        _ = try OpenSSL.csr(OpenSSL.p256, in: op.folder)
        #expect(try op.shomei("cert", "issue", "--contract", "TKYM140", "--user", "8054", "--csr",
                              op.folder.file("req.csr").path).status == 0)

        // The issuance notice waits in the outbox (no relay runs here), in the user's language.
        let outbox = try op.shomei("outbox", "list", "--status", "pending")
        #expect(outbox.status == 0 && outbox.stdout.contains("taro@example.co.jp") && outbox.stdout.contains("A certificate was issued"))
        #expect(try op.shomei("outbox", "retry", "nonexistent").status == 4)
        #expect(try op.shomei("outbox", "retry", "--all").stdout.contains("1 message(s) queued"))

        // A year minus 20 days ahead, the 30-day renewal notice is due; today nothing is.
        let today = CivilDate.tokyo(Date())
        #expect(try op.shomei("notices", "preview", "--at", today.description).stdout.contains("no notices due"))
        let preview = try op.shomei("notices", "preview", "--at", today.adding(days: 345).description)
        #expect(preview.stdout.contains("TKYM140/8054\trenewal-due-30"), "\(preview.stdout)\(preview.stderr)")

        // A malformed lifecycle policy stops every command with a clear configuration error.
        let configuration = op.folder.file("data/shomei.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configuration)) as? [String: Any])
        json["lifecycle"] = ["renewalWindowDays": 30, "noticeOffsetsDays": [30, -5], "reacquisitionGraceDays": 90]
        try JSONSerialization.data(withJSONObject: json).write(to: configuration)
        let refused = try op.shomei("cert", "list")
        #expect(refused.status == 7 && refused.stderr.contains("noticeOffsetsDays"), "\(refused.stderr)")
    }

    /// `shomei serve` in the background on random ports, until the test ends.
    struct ServeProcess {
        let port = FreePort.next()
        let httpsPort = FreePort.next()
        /// The pages' plain-HTTP port for a proxy, used when `extra` asks for it.
        let proxyPort = FreePort.next()
        let process = Process()

        init(_ op: Operator, extra: (ServeProcess) -> [String] = { _ in [] }, environment: [String: String] = [:]) async throws {
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            process.arguments = ["serve", "--data", op.data, "--port", String(port), "--https-port", String(httpsPort)] + extra(self)
            // Its log is kept beside the data folder: a start that fails says why in the test's report.
            let log = op.folder.file("serve.log")
            try Data().write(to: log)
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // Up to 30 s: with the whole suite running on two cores a start can take a while.
            var health = ProcessResult(status: 1, stdout: "", stderr: "")
            for _ in 0..<300 where health.status != 0 && process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
                health = try run(["curl", "-sf", "http://127.0.0.1:\(port)/health"])
            }
            #expect(health.stdout == "ok\n", """
                serve \(process.isRunning ? "did not answer" : "exited with \(process.terminationStatus)"): \
                \((try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").filter { !$0.contains(" info ") }.suffix(5) ?? [])
                """)
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func serveOffersESTCACertsOverHTTPSWithOptionalClientCertificates() async throws {
        let op = Operator()
        let server = try await ServeProcess(op)
        defer { server.stop() }
        let root = op.folder.file("data/ca/root.pem").path
        let url = "https://127.0.0.1:\(server.httpsPort)/.well-known/est/cacerts"
        let cacerts = try run(["curl", "-sf", "--cacert", root, "-D", op.folder.file("headers").path, url])
        #expect(cacerts.status == 0, "\(cacerts.stderr)")
        let headers = try String(contentsOf: op.folder.file("headers"), encoding: .utf8).lowercased()
        #expect(headers.contains("content-type: application/pkcs7-mime; smime-type=certs-only"))
        // RFC 8951: base64 without line breaks, which GNU `base64 -d` (as in the README) takes.
        #expect(!cacerts.stdout.contains("\r") && !cacerts.stdout.contains("\n") && !cacerts.stdout.isEmpty)
        let decoded = try run(["sh", "-c", "curl -sf --cacert \(root) \(url) | base64 -d > \(op.folder.file("cacerts.p7").path)"])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let printed = try run(["openssl", "pkcs7", "-inform", "DER", "-in", op.folder.file("cacerts.p7").path, "-print_certs", "-noout"])
        #expect(printed.stdout.contains("Shomei Internet Banking Intermediate CA") && printed.stdout.contains("Shomei Development Root CA"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: op.folder.file("data/tls/server.key.pem").path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600, "the development TLS key is private")
        // TLS 1.1 and older are refused.
        #expect(try run(["curl", "-s", "--cacert", root, "--tls-max", "1.1", url]).status != 0)
        // A client certificate is optional, but one that is not ours ends the handshake.
        try run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=stranger",
                 "-keyout", op.folder.file("stranger.key").path, "-out", op.folder.file("stranger.pem").path, "-days", "1"])
        #expect(try run(["curl", "-s", "--cacert", root, "--cert", op.folder.file("stranger.pem").path,
                         "--key", op.folder.file("stranger.key").path, url]).status != 0)
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test")
        try op.shomei("user", "add", "--contract", "C1", "--user", "U1", "--name", "x", "--role", "master", "--email", "a@example.jp")
        _ = try OpenSSL.csr(OpenSSL.p256, in: op.folder)
        let leaf = op.folder.file("leaf.pem").path
        try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", op.folder.file("req.csr").path, "--out", leaf)
        let withOurs = try run(["curl", "-sf", "--cacert", root, "--cert", leaf, "--key", op.folder.file("req.key").path, url])
        #expect(withOurs.status == 0 && withOurs.stdout == cacerts.stdout, "\(withOurs.stderr)")
    }

    /// A running server (renewal open the whole year, so a test can renew what it just got) with
    /// contract C1, user U1 (password in the file `password`) and that user's activation code.
    static func enrollmentReady(
        _ op: Operator, serveArguments: (ServeProcess) -> [String] = { _ in [] }
    ) async throws -> (ServeProcess, String) {
        #expect(try op.shomei("init").status == 0)
        let configuration = op.folder.file("data/shomei.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configuration)) as? [String: Any])
        json["lifecycle"] = ["renewalWindowDays": 365, "noticeOffsetsDays": [30, 10], "reacquisitionGraceDays": 90]
        try JSONSerialization.data(withJSONObject: json).write(to: configuration)
        let server = try await ServeProcess(op, extra: serveArguments)
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test")
        try "s3cret-password\n".write(to: op.folder.file("password"), atomically: true, encoding: .utf8)
        try op.shomei("user", "add", "--contract", "C1", "--user", "U1", "--name", "x", "--role", "master", "--email", "a@example.jp",
                      "--password-file", op.folder.file("password").path)
        let codeOutput = try op.shomei("code", "issue", "--contract", "C1", "--user", "U1", "--json")
        let code = try #require((try JSONSerialization.jsonObject(with: Data(codeOutput.stdout.utf8)) as? [String: Any])?["activationCode"] as? String)
        return (server, code)
    }

    /// EST with the real peers a customer's own tooling would use: openssl makes the key and CSR,
    /// curl talks HTTPS (Basic auth, activation code header, client certificate).
    @Test func estEnrollAndRenewWithCurlAndOpenSSL() async throws {
        let op = Operator()
        let (server, code) = try await Self.enrollmentReady(op)
        defer { server.stop() }

        let root = op.folder.file("data/ca/root.pem").path, issuing = op.folder.file("data/ca/issuing.pem").path
        let base = "https://127.0.0.1:\(server.httpsPort)/.well-known/est"
        func csrBody(_ name: String, key existing: String? = nil) throws -> String {
            let key = op.folder.file("\(name).key").path, body = op.folder.file("\(name).b64").path
            let keyArguments = existing.map { ["-key", $0] } ?? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key]
            try run(["openssl", "req", "-new", "-subj", "/CN=ignored", "-outform", "DER", "-out", op.folder.file("\(name).der").path] + keyArguments)
            try Data(try Data(contentsOf: op.folder.file("\(name).der")).base64EncodedString().utf8).write(to: URL(fileURLWithPath: body))
            return body
        }
        func post(_ path: String, _ body: String, _ extra: [String], out: String) throws -> (status: String, body: String) {
            let result = try run(["curl", "-s", "--cacert", root, "-H", "Content-Type: application/pkcs10", "--data-binary", "@\(body)",
                                  "-o", out, "-w", "%{http_code}"] + extra + ["\(base)/\(path)"])
            return (result.stdout, (try? String(contentsOf: URL(fileURLWithPath: out), encoding: .utf8)) ?? "")
        }
        func certificate(from base64: String, to pem: String) throws -> String {
            try Data(base64Encoded: base64, options: .ignoreUnknownCharacters)!.write(to: op.folder.file("p7.der"))
            try run(["openssl", "pkcs7", "-inform", "DER", "-in", op.folder.file("p7.der").path, "-print_certs", "-out", pem])
            return try run(["openssl", "x509", "-in", pem, "-noout", "-serial"]).stdout
        }
        let out = op.folder.file("response").path
        let first = try csrBody("first")

        let wrong = try post("simpleenroll", first, ["-u", "C1/U1:nope", "-H", "X-Shomei-Activation-Code: \(code)"], out: out)
        #expect(wrong.status == "401" && wrong.body.contains("パスワードが正しくありません"), "\(wrong)")
        let english = try post("simpleenroll", first, ["-u", "C1/U1:nope", "-H", "Accept-Language: en"], out: out)
        #expect(english.status == "401" && english.body.contains("password is wrong"), "\(english)")
        let nobody = try post("simpleenroll", first, ["-u", "C1/NOBODY:nope"], out: out)
        #expect(nobody.status == "401", "unknown users read like wrong passwords")
        let noCode = try post("simpleenroll", first, ["-u", "C1/U1:s3cret-password"], out: out)
        #expect(noCode.status == "403" && noCode.body.contains("電子証明書発行"), "\(noCode)")
        let wrongType = try run(["curl", "-s", "--cacert", root, "-u", "C1/U1:s3cret-password", "-H", "Content-Type: text/plain",
                                 "--data-binary", "@\(first)", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/simpleenroll"])
        #expect(wrongType.stdout == "415")
        try "!!! not base64 !!!".write(to: op.folder.file("garbage.b64"), atomically: true, encoding: .utf8)
        let garbage = try post("simpleenroll", op.folder.file("garbage.b64").path,
                               ["-u", "C1/U1:s3cret-password", "-H", "X-Shomei-Activation-Code: \(code)"], out: out)
        #expect(garbage.status == "400" && garbage.body.contains("CSR"), "\(garbage)")
        try run(["openssl", "req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", op.folder.file("weak.key").path,
                 "-subj", "/CN=x", "-outform", "DER", "-out", op.folder.file("weak.der").path])
        try Data(try Data(contentsOf: op.folder.file("weak.der")).base64EncodedString().utf8).write(to: op.folder.file("weak.b64"))
        let weak = try post("simpleenroll", op.folder.file("weak.b64").path,
                            ["-u", "C1/U1:s3cret-password", "-H", "X-Shomei-Activation-Code: \(code)", "-H", "Accept-Language: en"], out: out)
        #expect(weak.status == "400" && weak.body.contains("RSA 1024-bit key is not accepted"), "\(weak)")
        #expect(try op.shomei("cert", "list", "--json").stdout == "[\n\n]\n", "refusals issue nothing")

        let enrolled = try post("simpleenroll", first, ["-u", "C1/U1:s3cret-password", "-H", "X-Shomei-Activation-Code: \(code)"], out: out)
        #expect(enrolled.status == "200", "\(enrolled)")
        let leaf = op.folder.file("leaf.pem").path
        let firstSerial = try certificate(from: enrolled.body, to: leaf)
        #expect(try run(["openssl", "verify", "-CAfile", root, "-untrusted", issuing, leaf]).status == 0)
        let firstKey = op.folder.file("first.key").path

        // Renewal: the current certificate in the handshake, a fresh key in the CSR.
        let sameKey = try csrBody("same", key: firstKey)
        let reused = try post("simplereenroll", sameKey, ["--cert", leaf, "--key", firstKey], out: out)
        #expect(reused.status == "400" && reused.body.contains("新しい鍵"), "\(reused)")
        let renewalBody = try csrBody("second")
        #expect(try post("simplereenroll", renewalBody, [], out: out).status == "401", "no client certificate")
        let renewed = try post("simplereenroll", renewalBody, ["--cert", leaf, "--key", firstKey], out: out)
        #expect(renewed.status == "200", "\(renewed)")
        let secondSerial = try certificate(from: renewed.body, to: op.folder.file("leaf2.pem").path)
        #expect(secondSerial != firstSerial)
        let old = String(firstSerial.split(separator: "=")[1]).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let shown = try op.shomei("cert", "show", old, "--json").stdout
        #expect(shown.contains("\"superseded\""), "\(shown)")
        // The superseded certificate cannot renew again.
        let again = try post("simplereenroll", try csrBody("third"), ["--cert", leaf, "--key", firstKey], out: out)
        #expect(again.status == "403", "\(again)")
    }

    /// The issuing app end to end: `shomei enroll` (first use pins the root), then `shomei renew`.
    @Test func enrollAndRenewWithTheIssuingApp() async throws {
        let op = Operator()
        let (server, code) = try await Self.enrollmentReady(op)
        defer { server.stop() }
        try "p12-password-日本\n".write(to: op.folder.file("p12password"), atomically: true, encoding: .utf8)
        let url = "https://127.0.0.1:\(server.httpsPort)"
        let out = op.folder.file("mycert").path
        let secrets = ["--password-file", op.folder.file("password").path, "--p12-password-file", op.folder.file("p12password").path]
        let app = { (arguments: [String]) in try run([CLITests.binary] + arguments, environment: ["LANG": "C.UTF-8", "SHOMEI_LANG": ""]) }

        let wrong = try app(["enroll", "--server", url, "--contract", "C1", "--user", "U1", "--code", code, "--out", out,
                             "--password-file", op.folder.file("p12password").path, "--p12-password-file", op.folder.file("p12password").path])
        #expect(wrong.status == 6 && wrong.stderr.contains("password is wrong"), "\(wrong.stderr)")

        let enrolled = try app(["enroll", "--server", url, "--contract", "C1", "--user", "U1", "--code", code, "--key", "p256", "--out", out] + secrets)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stderr.contains("First use: trusting the CA") && enrolled.stdout.contains("Serial number:"))
        #expect(try String(contentsOf: op.folder.file("mycert/ca.pem"), encoding: .utf8)
                == String(contentsOf: op.folder.file("data/ca/root.pem"), encoding: .utf8))
        let keyMode = try FileManager.default.attributesOfItem(atPath: op.folder.file("mycert/key.pem").path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let verify = try run(["openssl", "verify", "-CAfile", op.folder.file("mycert/ca.pem").path,
                              "-untrusted", op.folder.file("mycert/chain.pem").path, op.folder.file("mycert/certificate.pem").path])
        #expect(verify.status == 0, "\(verify.stderr)")
        let p12 = try run(["openssl", "pkcs12", "-in", op.folder.file("mycert/certificate.p12").path, "-passin", "pass:p12-password-日本",
                           "-nodes", "-noout"])
        #expect(p12.status == 0, "\(p12.stderr)")
        let firstSerial = try run(["openssl", "x509", "-in", op.folder.file("mycert/certificate.pem").path, "-noout", "-serial"]).stdout

        let renewed = try app(["renew", "--server", url, "--cert", out] + secrets)
        #expect(renewed.status == 0 && renewed.stdout.contains("The certificate was renewed."), "\(renewed.stderr)")
        let secondSerial = try run(["openssl", "x509", "-in", op.folder.file("mycert/certificate.pem").path, "-noout", "-serial"]).stdout
        #expect(secondSerial != firstSerial)
        let old = String(firstSerial.split(separator: "=")[1]).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        #expect(try op.shomei("cert", "show", old, "--json").stdout.contains("\"superseded\""))
        // The renewed key is new and still the file's key.
        let keyPub = try run(["openssl", "pkey", "-in", op.folder.file("mycert/key.pem").path, "-pubout"]).stdout
        let certPub = try run(["openssl", "x509", "-in", op.folder.file("mycert/certificate.pem").path, "-pubkey", "-noout"]).stdout
        #expect(!keyPub.isEmpty && keyPub == certPub)
    }

    @Test func refusalsHaveMessagesExitCodesAndWriteNothing() throws {
        let op = Operator()
        #expect(try op.shomei("contract", "list").status == 7)  // no data folder yet
        try op.shomei("init")
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test")
        let before = try op.shomei("contract", "show", "C1", "--json").stdout
        let auditBefore = try op.shomei("audit", "verify").stdout

        let checks: [(ProcessResult, Int32, String)] = [
            (try op.shomei("contract", "add", "--id", "C1", "--name", "Again"), 5, "already registered"),
            (try op.shomei("contract", "add", "--id", "bad id", "--name", "x"), 3, "not allowed"),
            (try op.shomei("user", "add", "--contract", "NOPE", "--user", "U", "--name", "x", "--role", "general", "--email", "a@example.jp"), 4, "not registered"),
            (try op.shomei("user", "add", "--contract", "C1", "--user", "U", "--name", "x", "--role", "general", "--email", "not-an-address"), 3, "not valid"),
            (try op.shomei("cert", "revoke", "abcd", "--reason", "keyCompromise"), 4, "no certificate"),
            (try op.shomei("cert", "revoke", "abcd", "--reason", "certificateHold"), 3, "not offered"),
            (try op.shomei("code", "issue", "--contract", "C1", "--user", "U"), 4, "not registered"),
        ]
        for (result, status, message) in checks {
            #expect(result.status == status, "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        try op.shomei("user", "add", "--contract", "C1", "--user", "U", "--name", "x", "--role", "general", "--email", "a@example.jp")
        try Data("garbage".utf8).write(to: op.folder.file("bad.csr"))
        let bad = try op.shomei("cert", "issue", "--contract", "C1", "--user", "U", "--csr", op.folder.file("bad.csr").path, lang: "ja_JP.UTF-8")
        #expect(bad.status == 3 && bad.stderr.contains("証明書署名要求"))
        #expect(try op.shomei("cert", "list", "--json").stdout == "[\n\n]\n")
        #expect(try op.shomei("audit", "verify").stdout != auditBefore)  // only the user add was recorded
        try op.shomei("user", "disable", "--contract", "C1", "--user", "U")
        #expect(try op.shomei("contract", "show", "C1", "--json").stdout != before)
    }

    /// Every command that reads a file takes `-` for standard input and any readable path, pipes
    /// and process substitution included; one it cannot read is a one-line message and exit 3.
    @Test func filesComeFromStandardInputPipesAndPathsAndUnreadableOnesAreOneLine() throws {
        let op = Operator()
        try op.shomei("init", "--policy-oid", "1.3.6.1.4.1.59999.1.1")
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test")
        for user in ["U1", "U2", "U3"] {
            try op.shomei("user", "add", "--contract", "C1", "--user", user, "--name", "x", "--role", "general", "--email", "a@example.jp")
        }
        let csr = try OpenSSL.csr(OpenSSL.p256, in: op.folder, name: "one")
        let fromStdin = try run([CLITests.binary, "cert", "issue", "--contract", "C1", "--user", "U1", "--csr", "-", "--data", op.data],
                                environment: ["LANG": "C.UTF-8"], stdin: Data(csr))
        #expect(fromStdin.status == 0 && fromStdin.stdout.contains("BEGIN CERTIFICATE"), "\(fromStdin.stderr)")
        let devStdin = try run([CLITests.binary, "cert", "issue", "--contract", "C1", "--user", "U2", "--csr", "/dev/stdin", "--data", op.data],
                               environment: ["LANG": "C.UTF-8"], stdin: Data(try OpenSSL.csr(OpenSSL.p256, in: op.folder, name: "two")))
        #expect(devStdin.status == 0, "\(devStdin.stderr)")
        let substituted = try run(["bash", "-c", """
            "$0" cert issue --contract C1 --user U3 --data "$1" --out "$1/../u3.pem" \
              --csr <(openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=x 2>/dev/null)
            """, CLITests.binary, op.data], environment: ["LANG": "C.UTF-8"])
        #expect(substituted.status == 0, "\(substituted.stderr)")
        // The bank's policy OID given at init is in the certificate.
        let text = try run(["openssl", "x509", "-in", op.folder.file("u3.pem").path, "-noout", "-text"]).stdout
        #expect(text.contains("Policy: 1.3.6.1.4.1.59999.1.1"))
        let missing = [
            try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", "/no/such.csr"),
            try op.shomei("user", "add", "--contract", "C1", "--user", "U4", "--name", "x", "--role", "general", "--email", "a@example.jp",
                          "--password-file", "/no/such/file"),
            try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", op.folder.url.path),
        ]
        for result in missing {
            #expect(result.status == 3 && result.stderr.split(separator: "\n").count == 1, "\(result.status) \(result.stderr)")
            #expect(result.stderr.contains("Cannot read the file") && !result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
        }
        let japanese = try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", "/no/such.csr", lang: "ja_JP.UTF-8")
        #expect(japanese.stderr.contains("ファイル /no/such.csr を読み込めません"))
        let badOID = try run([CLITests.binary, "init", "--data", op.folder.file("other").path, "--policy-oid", "2.999.x"],
                             environment: ["LANG": "C.UTF-8"])
        #expect(badOID.status == 7 && badOID.stderr.contains("policyOID"), "\(badOID.stderr)")
    }

    @Test func wrongPassphraseIsReported() throws {
        let op = Operator()
        try op.shomei("init", environment: ["SHOMEI_CA_PASSPHRASE": "right passphrase"])
        #expect(!FileManager.default.fileExists(atPath: op.folder.file("data/ca/passphrase").path))
        #expect(try op.shomei("contract", "list").status == 7)  // no passphrase given
        let wrong = try op.shomei("contract", "list", environment: ["SHOMEI_CA_PASSPHRASE": "wrong"])
        #expect(wrong.status == 7 && wrong.stderr.contains("passphrase is wrong"))
        #expect(try op.shomei("contract", "list", environment: ["SHOMEI_CA_PASSPHRASE": "right passphrase"]).status == 0)
    }

    /// A port another program holds is a configuration error naming the address and the setting
    /// (exit 7, one line), for each listener, and the other listeners stop with it: before, the
    /// HTTP port printed NIO's raw bind error (exit 1) and the HTTPS port crashed the process
    /// (the plain-HTTP listener ignored the group's cancellation).
    @Test(arguments: ["--port", "--https-port", "--proxy-port"])
    func aPortInUseIsAClearConfigurationError(_ option: String) throws {
        let op = Operator()
        try op.shomei("init")
        let held = FreePort.held()
        defer { close(held.fd) }
        var ports = ["--port": FreePort.next(), "--https-port": FreePort.next(), "--proxy-port": FreePort.next()]
        ports[option] = held.port
        let serve = ["timeout", "60", CLITests.binary, "serve", "--data", op.data] + ports.flatMap { [$0.key, String($0.value)] }
        // A proxy listener with no proxy to trust is refused the same way, before listening.
        let untrusted = try run(serve, environment: ["LANG": "C.UTF-8", "SHOMEI_LANG": ""])
        #expect(untrusted.status == 7 && untrusted.stderr.contains("a proxy listener needs at least one trusted proxy address"), "\(untrusted.stderr)")
        let refused = try run(serve + ["--trusted-proxy", "127.0.0.1"], environment: ["LANG": "C.UTF-8", "SHOMEI_LANG": ""])
        let setting = ["--port": "--host/--port", "--https-port": "--host/--https-port, server.host/server.httpsPort",
                       "--proxy-port": "--host/--proxy-port, server.host/server.proxy.port"]
        #expect(refused.status == 7, "\(refused.stderr)")
        #expect(refused.stderr.contains("shomei: The configuration is not valid: cannot listen on 127.0.0.1:\(held.port): the port is already in use"))
        #expect(refused.stderr.contains(try #require(setting[option])), "\(refused.stderr)")
        #expect(!refused.stderr.contains("Fatal error") && !refused.stderr.contains("job") && !refused.stderr.contains("errno"), "\(refused.stderr)")
    }

    @Test func serveCreatesADevelopmentInstallationAndServesTheCA() async throws {
        let op = Operator()
        let server = try await ServeProcess(op)
        defer { server.stop() }
        let port = server.port
        let root = try run(["curl", "-sf", "http://127.0.0.1:\(port)/ca/root.pem"])
        let rootOnDisk = try String(contentsOf: op.folder.file("data/ca/root.pem"), encoding: .utf8)
        #expect(root.stdout == rootOnDisk)
        let issuingDER = op.folder.file("issuing.der").path
        try run(["curl", "-sf", "-o", issuingDER, "http://127.0.0.1:\(port)/ca/issuing.der"])
        let parsed = try run(["openssl", "x509", "-inform", "DER", "-in", issuingDER, "-noout", "-subject"])
        #expect(parsed.stdout.contains("Shomei Internet Banking Intermediate CA"))

        // A certificate issued and then revoked by another process (the CLI) reads good, then
        // revoked, in OCSP (POST by openssl, GET by curl) and appears in the served CRL.
        let crlURL = "http://127.0.0.1:\(port)/crl/issuing.crl"
        let headers = try run(["curl", "-sf", "-D", "-", "-o", "/dev/null", crlURL]).stdout.lowercased()
        #expect(headers.contains("content-type: application/pkix-crl") && headers.contains("etag:") && headers.contains("expires:"))
        try op.shomei("contract", "add", "--id", "C1", "--name", "Test")
        try op.shomei("user", "add", "--contract", "C1", "--user", "U1", "--name", "x", "--role", "master", "--email", "a@example.jp")
        _ = try OpenSSL.csr(OpenSSL.p256, in: op.folder)
        let leaf = op.folder.file("leaf.pem").path
        let issued = try op.shomei("cert", "issue", "--contract", "C1", "--user", "U1", "--csr", op.folder.file("req.csr").path, "--out", leaf, "--json")
        let serial = try #require((try JSONSerialization.jsonObject(with: Data(issued.stdout.utf8)) as? [String: Any])?["serial"] as? String)
        let ca = [op.folder.file("data/ca/issuing.pem").path, op.folder.file("data/ca/root.pem").path]
        let ask = { (extra: [String]) in
            try run(["openssl", "ocsp", "-issuer", ca[0], "-cert", leaf, "-url", "http://127.0.0.1:\(port)/ocsp",
                     "-CAfile", ca[1], "-verify_other", ca[0]] + extra)
        }
        let before = try ask(["-no_nonce"])
        #expect(before.stdout.contains("\(leaf): good") && before.stderr.contains("Response verify OK"), "\(before.stdout)\(before.stderr)")
        #expect(try op.shomei("cert", "revoke", serial, "--reason", "keyCompromise").status == 0)
        var (ocspRevoked, crlListed) = (false, false)
        for _ in 0..<50 where !(ocspRevoked && crlListed) {
            try await Task.sleep(for: .milliseconds(200))
            ocspRevoked = try ask(["-nonce"]).stdout.contains("\(leaf): revoked")
            try run(["curl", "-sf", "-o", op.folder.file("served.crl").path, crlURL])
            let text = try run(["openssl", "crl", "-inform", "DER", "-in", op.folder.file("served.crl").path, "-noout", "-text"]).stdout
            crlListed = text.uppercased().contains(serial.uppercased())
        }
        #expect(ocspRevoked && crlListed, "the CLI's revocation never reached OCSP (\(ocspRevoked)) or the CRL (\(crlListed))")

        // GET: base64 of the DER request, percent-encoded, after /ocsp/.
        let request = op.folder.file("get.der").path
        try run(["openssl", "ocsp", "-issuer", ca[0], "-cert", leaf, "-reqout", request, "-no_nonce"])
        let encoded = try Data(contentsOf: URL(fileURLWithPath: request)).base64EncodedString()
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let response = op.folder.file("get-response.der").path
        #expect(try run(["curl", "-sf", "-o", response, "http://127.0.0.1:\(port)/ocsp/\(encoded)"]).status == 0)
        let read = try run(["openssl", "ocsp", "-respin", response, "-issuer", ca[0], "-cert", leaf, "-CAfile", ca[1], "-verify_other", ca[0]])
        #expect(read.stdout.contains("\(leaf): revoked"), "\(read.stdout)\(read.stderr)")
        #expect(try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/ocsp/!!notbase64"]).stdout == "400")
        let wrongType = try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: text/plain",
                                 "--data-binary", "@\(request)", "http://127.0.0.1:\(port)/ocsp"])
        #expect(wrongType.stdout == "415")
        try Data(repeating: 0x30, count: 9000).write(to: op.folder.file("big.der"))
        let oversized = try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/ocsp-request",
                                 "--data-binary", "@\(op.folder.file("big.der").path)", "http://127.0.0.1:\(port)/ocsp"])
        #expect(oversized.stdout == "413")
    }
}
