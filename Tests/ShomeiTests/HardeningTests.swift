import Foundation
import Testing

/// What an adversarial review of the running server found (issue #16), each over real HTTPS
/// against `shomei serve` at the production bcrypt cost.
@Suite struct HardeningTests {
    typealias Site = PortalTests.Installation
    typealias Browser = PortalTests.Browser

    /// Seconds one request took, by curl's own clock.
    static func timed(_ arguments: [String]) throws -> (body: String, status: Int, seconds: Double) {
        let result = try run(arguments + ["-w", "\n%{http_code} %{time_total}"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let last = lines.last?.split(separator: " ") ?? []
        return (lines.dropLast().joined(separator: "\n"), Int(last.first ?? "") ?? 0, Double(last.last ?? "") ?? 0)
    }

    /// The fastest of a few timings: the machine's load only ever adds time (the whole suite runs
    /// beside this test on two cores), so the fastest is each path's own cost, and one slowed
    /// sample cannot fail the comparison.
    static func fastest(_ values: [Double]) -> Double { values.min() ?? 0 }

    /// An unknown contract, user or staff ID gets the words, the status and the countdown a wrong
    /// password gets, and takes as long: EST, ID・パスワード方式 login, and the console.
    @Test func unknownAccountsReadAndTimeLikeWrongPasswords() async throws {
        let site = try await Site()
        defer { site.server.stop() }
        let op = site.op
        let password = op.folder.file("password").path
        for user in ["U3", "U4"] {
            try op.shomei("user", "add", "--contract", "C1", "--user", user, "--name", "x", "--role", "general", "--email", "c@example.jp",
                          "--password-file", password)
        }
        try op.shomei("user", "add", "--contract", "P1", "--user", "U8", "--name", "y", "--role", "general", "--email", "d@example.jp",
                      "--password-file", password)
        try op.shomei("staff", "add", "--id", "op2", "--name", "IT", "--role", "operator", "--password-file", password)
        let csr = try OpenSSL.csrDER(OpenSSL.p256, in: op.folder).base64
        let root = op.folder.file("data/ca/root.pem").path

        func est(_ credentials: String) throws -> (body: String, status: Int, seconds: Double) {
            try Self.timed(["curl", "-s", "--cacert", root, "-u", credentials, "-H", "Content-Type: application/pkcs10",
                            "-H", "X-Shomei-Activation-Code: 123456789012", "--data", csr, site.base + "/.well-known/est/simpleenroll"])
        }
        func login(_ contract: String, _ user: String, _ typed: String) throws -> (body: String, status: Int, seconds: Double) {
            let browser = site.browser(nil)
            let page = try browser.request("/login")
            return try Self.timed(["curl", "-s", "--cacert", root, "-b", browser.jar, "--data-urlencode", "csrf=\(Browser.csrf(in: page.body) ?? "")",
                                   "--data-urlencode", "contractId=\(contract)", "--data-urlencode", "userId=\(user)",
                                   "--data-urlencode", "password=\(typed)", site.base + "/login"])
        }
        func staff(_ id: String) throws -> (body: String, status: Int, seconds: Double) {
            let browser = site.browser(nil)
            let page = try browser.request("/bank/login")
            return try Self.timed(["curl", "-s", "--cacert", root, "-b", browser.jar, "--data-urlencode", "csrf=\(Browser.csrf(in: page.body) ?? "")",
                                   "--data-urlencode", "staffId=\(id)", "--data-urlencode", "password=wrong-password", site.base + "/bank/login"])
        }
        let surfaces: [(name: String, known: () throws -> (body: String, status: Int, seconds: Double),
                        unknown: () throws -> (body: String, status: Int, seconds: Double))] = [
            ("EST, unknown user", { try est("C1/U3:wrong-password") }, { try est("C1/NOSUCH:wrong-password") }),
            ("EST, unknown contract", { try est("C1/U4:wrong-password") }, { try est("NOSUCH/U4:wrong-password") }),
            ("ID login", { try login("P1", "U8", "wrong-password") }, { try login("P1", "NOSUCH", "wrong-password") }),
            ("console", { try staff("op2") }, { try staff("nosuch") }),
        ]
        for surface in surfaces {
            var known: [Double] = [], unknown: [Double] = []
            for _ in 0..<2 {
                let k = try surface.known(), u = try surface.unknown()
                // Same status and words (the countdown included), the IDs aside.
                #expect(k.status == u.status && [401].contains(k.status), "\(surface.name): \(k.status) vs \(u.status)")
                #expect(Self.refusal(k.body) == Self.refusal(u.body), "\(surface.name): \(Self.refusal(k.body)) vs \(Self.refusal(u.body))")
                known.append(k.seconds)
                unknown.append(u.seconds)
            }
            #expect(Self.fastest(unknown) >= 0.5 * Self.fastest(known),
                    "\(surface.name): unknown \(Self.fastest(unknown)) s vs known \(Self.fastest(known)) s")
        }
        // The countdown goes on for an unknown ID as for a real one, down to the lock.
        let countdown = try (0..<6).map { _ in Self.refusal(try est("C1/GHOST:x").body) }
        for (index, text) in countdown.prefix(4).enumerated() { #expect(text.contains("あと\(4 - index)回"), "\(countdown)") }
        #expect(countdown[4].contains("C1/GHOST はパスワードの入力誤りが規定回数を超えたためロックされています"), "\(countdown)")
        #expect(countdown[5] == countdown[4], "locked stays locked")
    }

    /// The refusal's words: the error line of a page, or an EST answer's text.
    static func refusal(_ body: String) -> String {
        if let match = body.firstMatch(of: #/id="error">([^<]*)</#) { return String(match.output.1) }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every route that loads an application by id, and every intent of the save form, refuses
    /// another contract's id as not found, and shows nothing of it (its bank comment included).
    @Test func anotherContractsApplicationIsNotFoundOnEveryRouteAndIntent() async throws {
        let site = try await Site()
        defer { site.server.stop() }
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        let token = try #require(Browser.csrf(in: try master.request("/portal/menu").body))
        let filed = try master.request("/portal/applications/05/save", form: PortalTests.revocationApplication(csrf: token))
        let id = try #require(filed.headers.split(separator: "\r\n").first { $0.hasPrefix("Location: ") }?
            .split(separator: "/").last.map { String($0.prefix { $0 != "?" }) })
        #expect(try site.op.shomei("application", "return", id, "--comment", "ひみつのコメント").status == 0)
        #expect(try master.request("/portal/applications/05/\(id)").body.contains("ひみつのコメント"))

        // P1's master logs in with ID and password and tries C1's application everywhere.
        let other = site.browser(nil)
        let page = try other.request("/login")
        #expect(try other.request("/login", form: ["csrf": Browser.csrf(in: page.body) ?? "", "contractId": "P1", "userId": "U9",
                                                  "password": "s3cret-password"]).status == 303)
        let otherToken = try #require(Browser.csrf(in: try other.request("/portal/menu").body))
        var probes = [
            try other.request("/portal/applications/05/\(id)"),
            try other.request("/portal/applications/05/\(id)/edit"),
            try other.request("/portal/applications/05/\(id)/withdraw", form: ["csrf": otherToken]),
        ]
        for intent in ["draft", "submit", "confirm", "back", "unknown-intent"] {
            var form = PortalTests.revocationApplication(csrf: otherToken)
            form["intent"] = intent
            form["applicationId"] = id
            probes.append(try other.request("/portal/applications/05/save", form: form))
        }
        for probe in probes {
            #expect(probe.status == 404 && !probe.body.contains("ひみつのコメント"), "\(probe.status)")
        }
        #expect(try master.request("/portal/applications/05/\(id)").body.contains(#"id="status">再提出要"#), "untouched")
        // A general user has no applications service at all.
        let general = site.browser("U2")
        #expect(try general.logIn().status == 303)
        #expect(try general.request("/portal/applications").status == 404)
        #expect(try general.request("/portal/applications/05").status == 404)
    }

    /// A form body that is not form encoding — a malformed escape, bytes that are not UTF-8, an
    /// overlong UTF-8 sequence — is refused with 400 and writes nothing (never read as empty).
    @Test func malformedFormEncodingIsA400() async throws {
        let site = try await Site()
        defer { site.server.stop() }
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        let token = try #require(Browser.csrf(in: try master.request("/portal/menu").body))
        let root = site.op.folder.file("data/ca/root.pem").path
        for value in ["%FF%FE", "%C0%BC", "%ZZ", "%E3%81"] {
            let sent = try run(["curl", "-s", "--cacert", root, "-b", master.jar, "--cert", site.op.folder.file("cred-U1/certificate.pem").path,
                                "--key", site.op.folder.file("cred-U1/key.pem").path, "--data-binary",
                                "csrf=\(token)&intent=draft&reasonOther=\(value)", "-w", "%{http_code}",
                                site.base + "/portal/applications/05/save"]).stdout
            #expect(sent.hasSuffix("400") && sent.contains("送信された内容を読み取れませんでした"), "\(value): \(sent.suffix(200))")
        }
        #expect(try master.request("/portal/applications/05").body.contains("回答はありません"), "nothing saved")
    }
}

extension Array where Element == UInt8 {
    var base64: String { Data(self).base64EncodedString() }
}
