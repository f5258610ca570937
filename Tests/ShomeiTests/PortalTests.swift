import Foundation
import Testing

/// The customer portal over real HTTPS with curl as the browser: certificate login, sessions,
/// CSRF, escaping and the refusals of the issue's "bad input" list. (The page script and the
/// full renewal run in Chromium, in `PortalBrowserTests`.)
@Suite struct PortalTests {
    typealias Operator = CLITests.Operator

    /// A running server with contract C1 (certificate login), users U1 and U2 holding
    /// certificates from `shomei enroll` in `cred-U1` / `cred-U2`, and contract P1 on ID and password.
    struct Installation {
        let op = Operator()
        let server: CLITests.ServeProcess
        /// Where the browser goes: `shomei serve`'s HTTPS listener, or a proxy in front of it.
        var base: String

        init(serveArguments: (CLITests.ServeProcess) -> [String] = { _ in [] }) async throws {
            let (server, _) = try await CLITests.enrollmentReady(op, serveArguments: serveArguments)
            base = "https://localhost:\(server.httpsPort)"
            self.server = server
            for user in ["U1", "U2"] {
                if user != "U1" {
                    try op.shomei("user", "add", "--contract", "C1", "--user", user, "--name", "佐藤 花子", "--role", "general",
                                  "--email", "b@example.jp", "--password-file", op.folder.file("password").path)
                }
                let code = try op.shomei("code", "issue", "--contract", "C1", "--user", user, "--json").stdout
                let value = try #require((try JSONSerialization.jsonObject(with: Data(code.utf8)) as? [String: Any])?["activationCode"] as? String)
                try "p12-password\n".write(to: op.folder.file("p12"), atomically: true, encoding: .utf8)
                let enrolled = try run([CLITests.binary, "enroll", "--server", "https://127.0.0.1:\(server.httpsPort)", "--contract", "C1",
                                        "--user", user, "--code", value, "--key", "p256", "--out", op.folder.file("cred-\(user)").path,
                                        "--password-file", op.folder.file("password").path, "--p12-password-file", op.folder.file("p12").path,
                                        "--ca", op.folder.file("data/ca/root.pem").path])
                #expect(enrolled.status == 0, "\(enrolled.stderr)")
            }
            try op.shomei("contract", "add", "--id", "P1", "--name", "ID方式の会社", "--login", "password")
            try op.shomei("user", "add", "--contract", "P1", "--user", "U9", "--name", "x", "--role", "master", "--email", "c@example.jp",
                          "--password-file", op.folder.file("password").path)
        }

        /// curl as one browser: its own cookie jar, optionally a client certificate.
        func browser(_ user: String?) -> Browser {
            Browser(installation: self, user: user, jar: op.folder.file("jar-\(UUID().uuidString)").path)
        }

        func audit(_ action: String) throws -> [[String: Any]] {
            let out = try op.shomei("audit", "list", "--action", action, "--json").stdout
            return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
        }
    }

    struct Browser {
        let installation: Installation
        var user: String?
        let jar: String

        struct Reply {
            let status: Int
            let headers: String
            let body: String
        }

        func request(_ path: String, form: [String: String]? = nil, headers: [String] = []) throws -> Reply {
            let folder = installation.op.folder
            let head = folder.file("head-\(UUID().uuidString)").path
            var arguments = ["curl", "-s", "--cacert", folder.file("data/ca/root.pem").path, "-b", jar, "-c", jar, "-D", head,
                             "-w", "%{http_code}", "-o", "-"]
            if let user {
                arguments += ["--cert", folder.file("cred-\(user)/certificate.pem").path, "--key", folder.file("cred-\(user)/key.pem").path]
            }
            for (name, value) in form ?? [:] { arguments += ["--data-urlencode", "\(name)=\(value)"] }
            if form?.isEmpty == true { arguments += ["--data", ""] }
            for header in headers { arguments += ["-H", header] }
            let result = try run(arguments + [installation.base + path])
            let status = Int(result.stdout.suffix(3)) ?? 0
            return Reply(status: status, headers: (try? String(contentsOfFile: head, encoding: .utf8)) ?? "",
                         body: String(result.stdout.dropLast(3)))
        }

        /// The hidden fields of the page's forms (the CSRF token among them), HTML read back.
        static func hiddenFields(in body: String) -> [String: String] {
            let pattern = #"<input type="hidden" name="([^"]+)" value="([^"]*)">"#
            let expression = try! NSRegularExpression(pattern: pattern)
            let text = body as NSString
            var fields: [String: String] = [:]
            for match in expression.matches(in: body, range: NSRange(location: 0, length: text.length)) {
                let value = text.substring(with: match.range(at: 2)).replacingOccurrences(of: "&lt;", with: "<")
                    .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
                fields[text.substring(with: match.range(at: 1))] = value
            }
            return fields
        }

        /// The CSRF token the page's forms carry.
        static func csrf(in body: String) -> String? {
            guard let range = body.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
            return String(body[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }

        func logIn(password: String = "s3cret-password") throws -> Reply {
            let page = try request("/login")
            return try request("/login", form: ["csrf": Self.csrf(in: page.body) ?? "", "password": password])
        }
    }

    @Test func certificateLoginSessionsAndRefusals() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        let u1 = site.browser("U1")

        // The login page names the certificate's holder, with the security headers.
        let page = try u1.request("/login")
        #expect(page.status == 200 && page.body.contains(#"id="contract-id">C1<"#) && page.body.contains(#"id="user-id">U1<"#))
        let headers = page.headers.lowercased()
        #expect(headers.contains("content-security-policy: default-src 'self'; script-src 'self';") && !headers.contains("unsafe-inline"))
        #expect(headers.contains("frame-ancestors 'none'") && headers.contains("strict-transport-security: max-age="))
        #expect(headers.contains("cache-control: no-store"))

        // No CSRF token, or another one: refused and audited, nothing opened.
        let forged = try u1.request("/login", form: ["csrf": "forged", "password": "s3cret-password"])
        #expect(forged.status == 403 && forged.body.contains("もう一度最初から操作してください"))
        #expect(try site.audit("portal.request_refused").count == 1)

        // U1's certificate with U2's (or any wrong) password: refused, counted.
        let wrong = try u1.logIn(password: "not-the-password")
        #expect(wrong.status == 401 && wrong.body.contains("あと4回"))
        #expect(try site.audit("user.password_failed").count == 1)

        // The right password opens a session: a new __Host- cookie, HttpOnly, Secure, SameSite=Strict.
        let admitted = try u1.logIn()
        #expect(admitted.status == 303 && admitted.headers.contains("Location: /portal/notices"))
        let cookie = try #require(admitted.headers.split(separator: "\r\n").first { $0.hasPrefix("Set-Cookie: __Host-shomei-session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        let notices = try u1.request("/portal/notices")
        #expect(notices.status == 200 && notices.body.contains("電子証明書の更新をお願いします") && notices.body.contains("/portal/renewal"))
        let certificatePage = try u1.request("/portal/certificate")
        #expect(certificatePage.body.contains(#"id="serial">"#) && certificatePage.body.contains("パソコン"))

        // A state change with a forged token is refused and audited; with the page's token it works.
        let menu = try u1.request("/portal/renewal")
        let later = try u1.request("/portal/renewal/later", form: ["csrf": "x"])
        #expect(later.status == 403)
        #expect(try site.audit("portal.request_refused").count == 2)
        #expect(try u1.request("/portal/renewal/later", form: ["csrf": Browser.csrf(in: menu.body) ?? ""]).status == 303)
        // The renewal script endpoint wants the token in its header.
        let script = try u1.request("/portal/renewal/csr", form: [:], headers: ["Content-Type: application/json", "X-CSRF-Token: nope"])
        #expect(script.status == 403 && script.body.contains("\"error\""))
        #expect(try site.audit("portal.request_refused").count == 3)

        // U1's session cookie with U2's certificate is not U1's session: refused, ended, audited.
        var thief = u1
        thief.user = "U2"
        let stolen = try thief.request("/portal/notices")
        #expect(stolen.status == 303 && stolen.headers.contains("/login?ended=certificateChanged"))
        #expect(try site.audit("portal.request_refused").count == 4)
        #expect(try u1.request("/portal/notices").headers.contains("/login?ended="), "the session is gone for U1 too")

        // A revoked certificate is refused on the login page with the reason and what to do.
        let printed = try run(["openssl", "x509", "-noout", "-serial", "-in", site.op.folder.file("cred-U2/certificate.pem").path]).stdout
        let u2Serial = String(printed.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("serial=".count))
        #expect(try site.op.shomei("cert", "revoke", u2Serial, "--reason", "keyCompromise").status == 0)
        let u2 = site.browser("U2")
        let revoked = try u2.request("/login")
        #expect(revoked.status == 403 && revoked.body.contains("失効") && !revoked.body.contains(#"name="password""#))
        let preLogin = try String(contentsOfFile: u2.jar, encoding: .utf8).split(separator: "\n")
            .first { $0.contains("__Host-shomei-pre") }?.split(separator: "\t").last.map(String.init)
        #expect(try u2.request("/login", form: ["csrf": preLogin ?? "", "password": "s3cret-password"]).status == 403)
        #expect(try site.audit("user.login_refused").count >= 1)

        // A certificate from another CA does not even complete the handshake.
        try run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=C1U1 1403",
                 "-keyout", site.op.folder.file("stranger.key").path, "-out", site.op.folder.file("stranger.pem").path, "-days", "1"])
        let stranger = try run(["curl", "-s", "--cacert", site.op.folder.file("data/ca/root.pem").path, "--cert", site.op.folder.file("stranger.pem").path,
                                "--key", site.op.folder.file("stranger.key").path, site.base + "/login"])
        #expect(stranger.status != 0)

        // Logout ends the session everywhere.
        let fresh = site.browser("U1")
        #expect(try fresh.logIn().status == 303)
        let loggedIn = try fresh.request("/portal/menu")
        #expect(try fresh.request("/logout", form: ["csrf": Browser.csrf(in: loggedIn.body) ?? ""]).headers.contains("/login?ended=loggedOut"))
        #expect(try fresh.request("/portal/menu").status == 303)
        #expect(try site.audit("user.logged_out").count == 1)
    }

    @Test func passwordContractsCertificateContractsAndEscaping() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        let browser = site.browser(nil)
        let page = try browser.request("/login")
        let token = try #require(Browser.csrf(in: page.body))
        // ID・パスワード方式 for the password contract.
        let admitted = try browser.request("/login", form: ["csrf": token, "contractId": "P1", "userId": "U9", "password": "s3cret-password"])
        #expect(admitted.status == 303 && admitted.headers.contains("/portal/notices"))
        #expect(try browser.request("/portal/menu").status == 200)
        // A certificate contract's user without a certificate is told to use one.
        let other = site.browser(nil)
        let otherToken = try #require(Browser.csrf(in: try other.request("/login").body))
        let refused = try other.request("/login", form: ["csrf": otherToken, "contractId": "C1", "userId": "U1", "password": "s3cret-password"])
        #expect(refused.status == 403 && refused.body.contains("電子証明書方式"))
        // What a visitor typed comes back escaped, never as markup.
        let payload = #"<script>alert("x")</script>"#
        let echoed = try other.request("/login", form: ["csrf": otherToken, "contractId": "P1", "userId": payload, "password": "whatever-1"])
        #expect(!echoed.body.contains(payload) && echoed.body.contains("&lt;script&gt;"))
        // English on request, remembered.
        #expect(try other.request("/login?lang=en").body.contains("ID and password login"))
        #expect(try other.request("/login").body.contains("Log in"))
    }

    /// A failure that is nobody's input — here a table dropped under the running server, so the
    /// database answers with an error — is a 500 with a general message in the visitor's
    /// language on every surface (console page, page script JSON, EST text), never a made-up
    /// reason and never an empty body; the details go to the server's log.
    @Test func unexpectedErrorsAreA500WithAGeneralMessageOnEverySurface() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        #expect(try site.op.shomei("staff", "add", "--id", "op1", "--name", "IT統括部", "--role", "operator",
                                   "--password-file", site.op.folder.file("password").path).status == 0)
        let staff = site.browser(nil)
        let login = try staff.request("/bank/login")
        _ = try staff.request("/bank/login", form: ["csrf": Browser.csrf(in: login.body) ?? "", "staffId": "op1", "password": "s3cret-password"])
        #expect(try staff.request("/bank/actions").status == 200)
        let database = site.op.folder.file("data/shomei.sqlite").path
        let dropped = try run(["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], timeout=10)
            db.execute("DROP TABLE direct_actions")
            db.execute("DROP TABLE activation_codes")
            db.commit()
            """, database])
        #expect(dropped.status == 0, "\(dropped.stderr)")

        let page = try staff.request("/bank/actions")
        #expect(page.status == 500 && page.headers.lowercased().contains("content-type: text/html"))
        #expect(page.body.contains("システムエラーが発生しました") && !page.body.contains("direct_actions") && !page.body.lowercased().contains("sqlite"))
        #expect(try staff.request("/bank/actions?lang=en").body.contains("A system error occurred"))

        let visitor = site.browser(nil)
        let issuePage = try visitor.request("/certificate/issue")
        let token = try #require(Browser.csrf(in: issuePage.body) ?? issuePage.body.firstMatch(of: #/data-csrf="([^"]+)"/#).map { String($0.output.1) })
        let script = try visitor.request("/certificate/issue/csr", form: [:], headers: [
            "Content-Type: application/json", "X-CSRF-Token: \(token)",
        ])
        #expect(script.status != 500, "an empty JSON body is the customer's mistake: \(script.body)")
        let csr = try OpenSSL.csrDER(OpenSSL.p256, in: site.op.folder)
        let body = #"{"csr":"\#(Data(csr).base64EncodedString())","contractId":"C1","userId":"U1","password":"s3cret-password","activationCode":"123456789012"}"#
        let issued = try run(["curl", "-s", "--cacert", site.op.folder.file("data/ca/root.pem").path, "-b", visitor.jar,
                              "-H", "Content-Type: application/json", "-H", "X-CSRF-Token: \(token)", "--data", body,
                              "-w", "%{http_code}", site.base + "/certificate/issue/csr"]).stdout
        #expect(issued.hasSuffix("500") && issued.contains(#"{"error":"#) && issued.contains("システムエラー"), "\(issued)")

        let est = try run(["curl", "-s", "--cacert", site.op.folder.file("data/ca/root.pem").path, "-H", "Content-Type: application/pkcs10",
                           "-H", "Accept-Language: en", "-H", "X-Shomei-Activation-Code: 123456789012", "-u", "C1/U1:s3cret-password",
                           "--data", Data(csr).base64EncodedString(), "-w", "%{http_code}", site.base + "/.well-known/est/simpleenroll"]).stdout
        #expect(est.hasSuffix("500") && est.contains("A system error occurred"), "\(est)")
    }

    /// 05_電子証明書失効 in the portal, with the bank's side from the CLI: draft, a refused
    /// submission with the field's message, 回答内容確認 → 確定, 再提出要 with a comment,
    /// resubmission, 受付済, and the history.
    @Test func revocationApplicationInThePortal() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        let menu = try master.request("/portal/menu")
        #expect(menu.body.contains("/portal/applications"))
        let top = try master.request("/portal/applications")
        #expect(top.body.contains("05_電子証明書失効") && top.body.contains("準備中"))
        let token = try #require(Browser.csrf(in: menu.body))
        var answers: [String: String] = [
            "csrf": token, "voicePhishingConfirmed": "yes", "completionConfirmed": "yes",
            "targetUsers.1.name": "佐藤 花子", "targetUsers.1.role": "general", "reason": "other",
            "reasonOther": "<script>alert(1)</script>", "department": "経理部", "person": "山田　太郎", "phone": "03-1234-5678",
        ]
        // 提出 with a hyphenated phone number: the edit page again, the input kept, the field's message.
        answers["intent"] = "submit"
        let refused = try master.request("/portal/applications/05/save", form: answers)
        #expect(refused.status == 400 && refused.body.contains("ハイフンを入れずに") && refused.body.contains(#"value="03-1234-5678""#))
        #expect(!refused.body.contains("<script>alert(1)</script>") && refused.body.contains("&lt;script&gt;"))
        // 一時保存 keeps it as 作成中.
        answers["intent"] = "draft"
        let saved = try master.request("/portal/applications/05/save", form: answers)
        let location = try #require(saved.headers.split(separator: "\r\n").first { $0.hasPrefix("Location: ") }).dropFirst(10)
        let id = String(location.split(separator: "/").last!.prefix { $0 != "?" })
        let draftPage = try master.request(String(location)).body
        #expect(draftPage.contains(#"id="status">作成中"#) && draftPage.contains(#"id="saved""#))
        // 提出 → 回答内容確認 → 確定 → 回答内容結果 (提出済).
        answers["phone"] = "0312345678"
        answers["applicationId"] = id
        answers["intent"] = "submit"
        let confirm = try master.request("/portal/applications/05/save", form: answers)
        #expect(confirm.status == 200 && confirm.body.contains("回答内容確認") && confirm.body.contains(#"name="targetUsers.1.name" value="佐藤 花子""#))
        answers["intent"] = "confirm"
        let confirmed = try master.request("/portal/applications/05/save", form: answers)
        #expect(confirmed.headers.contains("?submitted"))
        let result = try master.request("/portal/applications/05/\(id)?submitted")
        #expect(result.body.contains(#"id="status">提出済"#) && result.body.contains(#"id="result""#))
        // The bank returns it with a comment; the customer sees it, edits and resubmits.
        #expect(try site.op.shomei("application", "return", id, "--comment", "理由をもう少し詳しく").status == 0)
        let returned = try master.request("/portal/applications/05/\(id)")
        #expect(returned.body.contains("再提出要") && returned.body.contains("理由をもう少し詳しく") && returned.body.contains(#"id="edit""#))
        answers["reasonOther"] = "担当者が退職したため"
        answers["intent"] = "confirm"
        _ = try master.request("/portal/applications/05/save", form: answers)
        #expect(try master.request("/portal/applications/05/\(id)").body.contains(#"id="status">再提出済"#))
        let accepted = try site.op.shomei("application", "accept", id, "--comment", "受け付けました")
        #expect(accepted.status == 0 && accepted.stdout.contains("takes effect at"), "\(accepted.stderr)")
        let list = try master.request("/portal/applications/05")
        #expect(list.body.contains("<td class=\"status\">受付済</td>") && list.body.contains("<td>Test</td>"), "提出企業 is the contract's name")
        let history = try master.request("/portal/applications/05/\(id)").body
        for status in ["作成中", "提出済", "再提出要", "再提出済", "受付済"] { #expect(history.contains("<td>\(status)</td>")) }
        #expect(!history.contains(#"id="withdraw""#), "an accepted application can no longer be withdrawn")
        // Editing it now, or an application that does not exist, is refused with a page, not a crash.
        #expect(try master.request("/portal/applications/05/save", form: answers).status == 403)
        answers["applicationId"] = "0123456789abcdef"
        #expect(try master.request("/portal/applications/05/save", form: answers).status == 404)
        // A general user has no applications menu; another contract's application is not found.
        let general = site.browser("U2")
        #expect(try general.logIn().status == 303)
        #expect(!(try general.request("/portal/menu").body.contains("/portal/applications")))
        #expect(try general.request("/portal/applications/05/\(id)").status == 404)
        // The voice-phishing document is served and readable.
        let pdf = try master.request("/assets/voice-phishing-warning.pdf")
        #expect(pdf.status == 200 && pdf.headers.lowercased().contains("content-type: application/pdf") && pdf.body.hasPrefix("%PDF-1.4"))
        if (try? run(["pdftotext", "-v"]))?.status == 0 {
            let pdfPath = site.op.folder.file("warning.pdf").path
            _ = try run(["curl", "-s", "--cacert", site.op.folder.file("data/ca/root.pem").path, "-o", pdfPath, site.base + "/assets/voice-phishing-warning.pdf"])
            #expect(try run(["pdftotext", pdfPath, "-"]).stdout.contains("ボイスフィッシング詐欺にご注意ください"))
        } else {
            print("pdftotext missing: the PDF's text is not checked (apt-get install poppler-utils poppler-data)")
        }
    }

    /// 03_本人確認方式の変更 in the portal: the form is rendered from its definition, asking for
    /// the method the contract already uses is refused next to the field, 回答内容確認 shows the
    /// chosen method by its name, and the bank's 受付済 schedules the change for a business day.
    /// (The change and its mail on that day: `ApplicationDeskTests`.)
    @Test func loginMethodChangeApplicationInThePortal() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        let top = try master.request("/portal/applications").body
        #expect(top.contains(#"href="/portal/applications/03" id="form-03">03_本人確認方式の変更"#))
        let form = try master.request("/portal/applications/03/new")
        #expect(form.status == 200 && form.body.contains("電子証明書方式（電子証明書・パスワード）") && form.body.contains("ID・パスワード方式"))
        let token = try #require(Browser.csrf(in: form.body))
        var answers = [
            "csrf": token, "allUsersConfirmed": "yes", "effectiveConfirmed": "yes", "loginMethod": "certificate",
            "department": "経理部", "person": "山田　太郎", "phone": "0312345678", "intent": "submit",
        ]
        let same = try master.request("/portal/applications/03/save", form: answers)
        #expect(same.status == 400 && same.body.contains("現在の本人確認方式と同じです"), "\(same.status)")
        answers["loginMethod"] = "password"
        let confirm = try master.request("/portal/applications/03/save", form: answers)
        #expect(confirm.status == 200 && confirm.body.contains("回答内容確認") && confirm.body.contains("ID・パスワード方式"))
        answers["intent"] = "confirm"
        let filed = try master.request("/portal/applications/03/save", form: answers)
        let id = try #require(filed.headers.split(separator: "\r\n").first { $0.hasPrefix("Location: ") }?
            .split(separator: "/").last.map { String($0.prefix { $0 != "?" }) })
        #expect(try master.request("/portal/applications/03/\(id)").body.contains(#"id="status">提出済"#))
        // Only a master files 03: a general user is not offered it.
        let general = site.browser("U2")
        #expect(try general.logIn().status == 303)
        #expect(try general.request("/portal/applications/03/new").status == 404)
        let accepted = try site.op.shomei("application", "accept", id)
        #expect(accepted.status == 0 && accepted.stdout.contains("takes effect at"), "\(accepted.stderr)")
        let shown = try site.op.shomei("application", "show", id, "--json").stdout
        let application = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])["application"] as? [String: Any]
        #expect(application?["effectiveAt"] != nil && application?["carriedOutAt"] == nil && application?["formID"] as? String == "03")
        #expect(application?["effect"] as? String == "changeLoginMethod", "the effect is fixed at 受付済")
    }

    /// The bank console: staff login with lockout counting, the inbox, 再提出要 (comment required)
    /// and 受付済 with the revocation's date, an auditor who may only read, and the customer
    /// seeing the bank's comment.
    /// A complete 05 (電子証明書失効) application for U2, submitted at once (確定).
    static func revocationApplication(csrf: String) -> [String: String] {
        ["csrf": csrf, "voicePhishingConfirmed": "yes", "completionConfirmed": "yes", "targetUsers.1.name": "佐藤 花子",
         "targetUsers.1.role": "general", "reason": "anotherPC", "department": "なし", "person": "山田　太郎", "phone": "09012345678",
         "intent": "confirm"]
    }

    /// The inbox shows 100 applications a page; its さらに古い記録 link carries the filter and continues
    /// after the last one shown, so two pages list all 101 once each.
    @Test func bankInboxPagesThroughOlderApplications() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        let token = try #require(Browser.csrf(in: try master.request("/portal/menu").body))
        for _ in 0..<101 {
            #expect(try master.request("/portal/applications/05/save", form: Self.revocationApplication(csrf: token)).status == 303)
        }
        #expect(try site.op.shomei("staff", "add", "--id", "op1", "--name", "IT統括部", "--role", "operator",
                                   "--password-file", site.op.folder.file("password").path).status == 0)
        let staff = site.browser(nil)
        let login = try staff.request("/bank/login")
        _ = try staff.request("/bank/login", form: ["csrf": Browser.csrf(in: login.body) ?? "", "staffId": "op1", "password": "s3cret-password"])
        func rows(_ body: String) -> [String] {
            body.components(separatedBy: "<tr data-id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        let first = try staff.request("/bank?status=submitted").body
        let link = try #require(first.firstMatch(of: #/href="/bank\?([^"]*)" id="older"/#))
        let older = link.output.1
        #expect(older.contains("status=submitted") && older.contains("after="))
        let second = try staff.request("/bank?" + String(older).replacingOccurrences(of: "&amp;", with: "&")).body
        #expect(rows(first).count == 100 && rows(second).count == 1)
        #expect(Set(rows(first) + rows(second)).count == 101)
        #expect(!second.contains(#"id="older""#))
    }

    @Test func bankConsoleDecidesApplications() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        // The customer files 05 for U2.
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        let token = try #require(Browser.csrf(in: try master.request("/portal/menu").body))
        var answers = Self.revocationApplication(csrf: token)
        let filed = try master.request("/portal/applications/05/save", form: answers)
        let id = try #require(filed.headers.split(separator: "\r\n").first { $0.hasPrefix("Location: ") }?
            .split(separator: "/").last.map { String($0.prefix { $0 != "?" }) })

        for (staffID, role) in [("op1", "operator"), ("aud1", "auditor")] {
            #expect(try site.op.shomei("staff", "add", "--id", staffID, "--name", "IT統括部 \(staffID)", "--role", role,
                                       "--password-file", site.op.folder.file("password").path).status == 0)
        }
        let staff = site.browser(nil)
        #expect(try staff.request("/bank").headers.contains("Location: /bank/login"))
        func logIn(_ browser: Browser, _ id: String, _ password: String) throws -> Browser.Reply {
            let page = try browser.request("/bank/login")
            return try browser.request("/bank/login", form: ["csrf": Browser.csrf(in: page.body) ?? "", "staffId": id, "password": password])
        }
        let wrong = try logIn(staff, "op1", "nope-nope-nope")
        #expect(wrong.status == 401 && wrong.body.contains("職員IDまたはパスワードが正しくありません"))
        #expect(try logIn(staff, "op1", "s3cret-password").headers.contains("Location: /bank"))
        let inbox = try staff.request("/bank")
        #expect(inbox.status == 200 && inbox.body.contains("data-id=\"\(id)\"") && inbox.body.contains("C1 Test") && inbox.body.contains("提出済"))
        #expect(!(try staff.request("/bank?status=accepted").body.contains("data-id=\"\(id)\"")))
        #expect(!(try staff.request("/bank?from=2099-01-01").body.contains("data-id=\"\(id)\"")))
        #expect(try staff.request("/bank?form=05&status=submitted").body.contains("data-id=\"\(id)\""))
        let page = try staff.request("/bank/applications/\(id)")
        #expect(page.body.contains(#"id="accept""#) && page.body.contains("佐藤 花子（一般）"))
        let consoleToken = try #require(Browser.csrf(in: page.body))
        // 再提出要 needs a comment; a forged token is refused.
        let noComment = try staff.request("/bank/applications/\(id)/decide", form: ["csrf": consoleToken, "decision": "return", "comment": " "])
        #expect(noComment.status == 400 && noComment.body.contains("コメントを入力してください"))
        #expect(try staff.request("/bank/applications/\(id)/decide", form: ["csrf": "forged", "decision": "accept"]).status == 403)
        _ = try staff.request("/bank/applications/\(id)/decide", form: ["csrf": consoleToken, "decision": "return", "comment": "電話番号をご確認ください"])
        #expect(try staff.request("/bank/applications/\(id)").body.contains(#"id="status">再提出要"#))
        // The customer reads the comment and resubmits.
        let customerView = try master.request("/portal/applications/05/\(id)")
        #expect(customerView.body.contains("電話番号をご確認ください") && customerView.body.contains("IT統括部 op1"))
        answers["applicationId"] = id
        _ = try master.request("/portal/applications/05/save", form: answers)
        _ = try staff.request("/bank/applications/\(id)/decide", form: ["csrf": consoleToken, "decision": "accept", "comment": "受け付けました"])
        let decided = try staff.request("/bank/applications/\(id)").body
        #expect(decided.contains(#"id="status">受付済"#) && decided.contains(#"id="effective-at">"#) && !decided.contains(#"id="accept""#))
        // An auditor reads but cannot decide; a customer's session does not open the console.
        let auditor = site.browser(nil)
        #expect(try logIn(auditor, "aud1", "s3cret-password").status == 303)
        #expect(!(try auditor.request("/bank/applications/\(id)").body.contains(#"id="accept""#)))
        let auditorToken = try #require(Browser.csrf(in: try auditor.request("/bank").body))
        #expect(try auditor.request("/bank/applications/\(id)/decide", form: ["csrf": auditorToken, "decision": "accept"]).status == 403)
        #expect(try master.request("/bank").headers.contains("Location: /bank/login"))
        let audit = try site.audit("application.accepted")
        #expect(audit.count == 1 && (audit.first?["actor"] as? String) == "staff:op1")
        #expect(try site.audit("staff.login_refused").count == 1 && site.audit("staff.logged_in").count == 2)

        // Four eyes: the operator requests an immediate revocation of U2's certificate; it needs
        // a different approver, and then U2's login page says the certificate is revoked.
        let printed = try run(["openssl", "x509", "-noout", "-serial", "-in", site.op.folder.file("cred-U2/certificate.pem").path]).stdout
        let u2Serial = String(printed.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("serial=".count))
        let actions = try staff.request("/bank/actions")
        #expect(actions.body.contains(#"id="request-form""#))
        let actionToken = try #require(Browser.csrf(in: actions.body))
        let requested = try staff.request("/bank/actions", form: [
            "csrf": actionToken, "kind": "revoke", "serial": u2Serial, "revocationReason": "keyCompromise", "reason": "PC盗難の電話連絡",
        ])
        #expect(requested.headers.contains("Location: /bank/actions"))
        let pending = try staff.request("/bank/actions").body
        #expect(pending.contains("PC盗難の電話連絡") && !pending.contains(#"class="primary approve""#), "the requester cannot approve")
        #expect(try site.op.shomei("staff", "add", "--id", "ap1", "--name", "承認者", "--role", "approver",
                                   "--password-file", site.op.folder.file("password").path).status == 0)
        let approver = site.browser(nil)
        #expect(try logIn(approver, "ap1", "s3cret-password").status == 303)
        let approverPage = try approver.request("/bank/actions").body
        let actionID = try #require(approverPage.range(of: #"data-id="([0-9a-f]+)""#, options: .regularExpression)
            .map { String(approverPage[$0].dropFirst(9).dropLast()) })
        #expect(try site.browser("U2").request("/login").status == 200, "still valid before approval")
        let approved = try approver.request("/bank/actions/\(actionID)/approve", form: ["csrf": Browser.csrf(in: approverPage) ?? ""])
        #expect(approved.status == 200 && approved.body.contains("承認待ちの依頼はありません"))
        let refusedLogin = try site.browser("U2").request("/login")
        #expect(refusedLogin.status == 403 && refusedLogin.body.contains("失効"))
        #expect(try site.audit("direct_action.approved").first?["actor"] as? String == "staff:ap1")

        // Search, CSV, a certificate's history and the audit log: read-only, auditors included.
        let found = try auditor.request("/bank/search?user=U2").body
        #expect(found.contains(u2Serial.uppercased()) && found.contains("失効") && found.contains(#"id="csv""#))
        #expect(try auditor.request("/bank/search?serial=zz").body.contains("16進数ではありません"))
        let byName = try auditor.request("/bank/search?name=%E4%BD%90%E8%97%A4").body  // 佐藤, as typed in the form
        #expect(byName.contains(u2Serial.uppercased()) && byName.contains("佐藤 花子") && byName.contains(#"value="佐藤""#))
        let csv = try auditor.request("/bank/search.csv?contract=C1")
        #expect(csv.headers.lowercased().contains("content-type: text/csv") && csv.body.hasPrefix("\u{FEFF}シリアル番号,"))
        #expect(csv.body.split(separator: "\r\n").count == 3, "header and the two certificates of C1")
        let history = try auditor.request("/bank/certificates/\(u2Serial)").body
        #expect(history.contains("certificate.revoked") && history.contains("staff:ap1"))
        let log = try auditor.request("/bank/audit?action=direct_action.requested").body
        #expect(log.contains("<td>staff:op1</td>") && !log.contains("<td>staff.logged_in</td>"))
    }

    /// 利用者一覧 and 証明書失効 of the 管理 menu: a master sees its contract's users (only its own
    /// contract's) with their certificate state, and revokes a general user's certificate with its
    /// 確認用パスワード (a wrong one refused and counted); its own certificate is not offered.
    @Test func aMasterListsItsContractsUsersAndRevokesACertificateWithTheConfirmationPassword() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        try site.op.shomei("user", "add", "--contract", "C1", "--user", "U3", "--name", "鈴木 <b>一郎</b>", "--role", "admin",
                           "--email", "c3@example.jp", "--password-file", site.op.folder.file("password").path)
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        #expect(try master.request("/portal/menu").body.contains(#"id="admin""#))
        let page = try master.request("/portal/admin/users")
        #expect(page.status == 200, "\(page.status)")
        let rows = page.body.components(separatedBy: "<tr data-id=").dropFirst().map { String($0.prefix { $0 != "\n" }) }
        #expect(rows.count == 3, "U1, U2 and U3 of C1 only (not P1's U9): \(rows)")
        #expect(rows.first { $0.hasPrefix(#""U2""#) }.map { $0.contains("一般") && $0.contains("利用中") && $0.contains("有効") } == true)
        #expect(rows.first { $0.hasPrefix(#""U3""#) }.map { $0.contains("管理者") && $0.contains("未発行") && $0.contains("&lt;b&gt;") } == true)
        #expect(rows.first { $0.hasPrefix(#""U1""#) }?.contains(#"<td class="last-login">20"#) == true, "U1 just logged in")
        #expect(rows.first { $0.hasPrefix(#""U3""#) }?.contains(#"<td class="last-login"></td>"#) == true, "U3 never did")
        #expect(!page.body.contains("U9"))

        // 証明書失効 with the 確認用パスワード: offered for U2 only (not U1 itself, not U3 without a certificate).
        #expect(rows.filter { $0.contains(#"class="revoke""#) }.map { String($0.prefix(4)) } == [#""U2""#])
        #expect(try master.request("/portal/admin/users/U1/revoke").status == 403, "no one revokes their own certificate here")
        #expect(try master.request("/portal/admin/users/U9/revoke").status == 404, "P1's U9 reads like a user that does not exist")
        #expect(try master.request("/portal/admin/users/%3Cb%3E/revoke").status == 404, "a malformed user ID")
        try "confirm-pass-2026\n".write(to: site.op.folder.file("confirm"), atomically: true, encoding: .utf8)
        #expect(try site.op.shomei("user", "set-confirmation-password", "--contract", "C1", "--user", "U1",
                                   "--password-file", site.op.folder.file("confirm").path).status == 0)
        let confirm = try master.request("/portal/admin/users/U2/revoke")
        let serial = try #require(confirm.body.range(of: #"id="serial">[0-9A-F]+<"#, options: .regularExpression)
            .map { String(confirm.body[$0].dropFirst(12).dropLast()) })
        let form = Browser.hiddenFields(in: confirm.body).merging(["reason": "keyCompromise"]) { $1 }
        #expect(form["serial"] == serial && form["stamp"]?.isEmpty == false && form["csrf"] != nil)
        let wrong = try master.request("/portal/admin/users/U2/revoke", form: form.merging(["confirmationPassword": "nope"]) { $1 })
        #expect(wrong.status == 403 && wrong.body.contains("確認用パスワードが正しくありません。あと4回"), "\(wrong.status)")
        #expect(try site.browser("U2").request("/login").status == 200, "still valid after a wrong confirmation password")
        let done = try master.request("/portal/admin/users/U2/revoke", form: form.merging(["confirmationPassword": "confirm-pass-2026"]) { $1 })
        #expect(done.status == 200 && done.body.contains(#"data-action="revokeCertificate""#) && done.body.contains(serial), "\(done.status)")
        let refused = try site.browser("U2").request("/login")
        #expect(refused.status == 403 && refused.body.contains("失効"))
        #expect(try site.audit("certificate.revoked").contains { $0["actor"] as? String == "user:C1/U1" })
        #expect(try site.audit("user.confirmation_password_failed").count == 1)

        let general = site.browser("U2")
        #expect(try general.logIn().status != 303, "U2's certificate is revoked")
        let p1 = site.browser(nil)
        #expect(try p1.request("/portal/admin/users").headers.contains("Location:"), "no session: to the login page")
    }

    /// The 管理 menu end to end over HTTPS: a master registers a general user and issues a
    /// re-issue code; the user obtains a certificate with it and must change the initial password
    /// before anything else; the user's 重要なお知らせ say who did what; a reset, a stop and a
    /// delete each take effect at login; an administrator cannot act on the master or itself.
    @Test func aMasterRegistersReissuesResetsStopsAndDeletesAUser() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        try "confirm-pass-2026\n".write(to: site.op.folder.file("confirm"), atomically: true, encoding: .utf8)
        #expect(try site.op.shomei("user", "set-confirmation-password", "--contract", "C1", "--user", "U1",
                                   "--password-file", site.op.folder.file("confirm").path).status == 0)
        let master = site.browser("U1")
        #expect(try master.logIn().status == 303)
        /// Posts the page's form with its hidden fields (and `extra`).
        func submit(_ page: Browser.Reply, to path: String, _ extra: [String: String]) throws -> Browser.Reply {
            try master.request(path, form: Browser.hiddenFields(in: page.body).merging(extra) { $1 })
        }

        // 利用者登録: 入力 → 確認 → 結果, a duplicate ID refused on the 入力 page.
        let input = try master.request("/portal/admin/register")
        #expect(input.status == 200 && input.body.contains(#"id="user-form""#))
        let typed = ["userId": "U4", "userName": "高橋 <i>四郎</i>", "role": "general", "email": "u4@example.jp"]
        let duplicate = try submit(input, to: "/portal/admin/register", typed.merging(["userId": "U2"]) { $1 })
        #expect(duplicate.status == 409 && duplicate.body.contains("既に登録されています") && duplicate.body.contains(#"value="高橋 &lt;i&gt;"#),
                "\(duplicate.status)")
        let confirm = try submit(input, to: "/portal/admin/register", typed)
        #expect(confirm.status == 200 && confirm.body.contains("高橋 &lt;i&gt;四郎&lt;/i&gt;") && confirm.body.contains(#"name="password""#))
        let initial = ["password": "initial-pass-2026"]
        let wrong = try submit(confirm, to: "/portal/admin/register/execute", initial.merging(["confirmationPassword": "nope-nope"]) { $1 })
        #expect(wrong.status == 403 && wrong.body.contains("あと4回") && !wrong.body.contains("initial-pass-2026"), "\(wrong.status)")
        let registered = try submit(confirm, to: "/portal/admin/register/execute", initial.merging(["confirmationPassword": "confirm-pass-2026"]) { $1 })
        #expect(registered.status == 200 && registered.body.contains(#"data-action="registerUser""#) && !registered.body.contains("initial-pass-2026"),
                "\(registered.status)")

        // 利用者情報変更 of U4: 入力 → 確認 → 結果; the same values again change nothing.
        let edit = try master.request("/portal/admin/users/U4/change")
        #expect(edit.status == 200 && edit.body.contains(#"id="user-form""#), "\(edit.status)")
        let same = try submit(edit, to: "/portal/admin/users/U4/change", typed.merging(["userName": "高橋 <i>四郎</i>"]) { $1 })
        #expect(same.status == 400 && same.body.contains("変更する項目がありません"), "\(same.status)")
        let changeConfirm = try submit(edit, to: "/portal/admin/users/U4/change", typed.merging(["userName": "高橋 四郎"]) { $1 })
        #expect(changeConfirm.status == 200 && changeConfirm.body.contains(#"id="newName">高橋 四郎<"#), "\(changeConfirm.status)")
        let changedUser = try submit(changeConfirm, to: "/portal/admin/users/U4/change/execute", ["confirmationPassword": "confirm-pass-2026"])
        #expect(changedUser.status == 200 && changedUser.body.contains(#"data-action="changeUser""#), "\(changedUser.status)")

        // 証明書再発行 for U4: the code on the result page, once, with how to use it.
        let reissue = try master.request("/portal/admin/users/U4/reissue")
        #expect(reissue.status == 200 && reissue.body.contains(#"id="confirm-form""#))
        let coded = try submit(reissue, to: "/portal/admin/users/U4/reissue", ["confirmationPassword": "confirm-pass-2026"])
        let code = try #require(coded.body.range(of: #"id="activationCode">[0-9]+<"#, options: .regularExpression)
            .map { String(coded.body[$0].dropFirst(#"id="activationCode">"#.count).dropLast()) })
        #expect(coded.body.contains(#"id="reissue-steps""#))
        try "initial-pass-2026\n".write(to: site.op.folder.file("u4-password"), atomically: true, encoding: .utf8)
        let enrolled = try run([CLITests.binary, "enroll", "--server", "https://127.0.0.1:\(site.server.httpsPort)", "--contract", "C1",
                                "--user", "U4", "--code", code, "--key", "p256", "--out", site.op.folder.file("cred-U4").path,
                                "--password-file", site.op.folder.file("u4-password").path,
                                "--p12-password-file", site.op.folder.file("p12").path, "--ca", site.op.folder.file("data/ca/root.pem").path])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")

        // U4's first login: パスワード変更 before anything else.
        let u4 = site.browser("U4")
        #expect(try u4.logIn(password: "initial-pass-2026").status == 303)
        let gated = try u4.request("/portal/menu")
        #expect(gated.status == 303 && gated.headers.contains("/portal/password"))
        let change = try u4.request("/portal/password")
        #expect(change.body.contains(#"id="change-required""#))
        let token = try #require(Browser.csrf(in: change.body))
        let mismatch = try u4.request("/portal/password", form: ["csrf": token, "current": "initial-pass-2026", "new": "u4-own-pass-2026", "repeat": "other"])
        #expect(mismatch.status == 400 && mismatch.body.contains("一致しません"))
        let changed = try u4.request("/portal/password", form: ["csrf": token, "current": "initial-pass-2026", "new": "u4-own-pass-2026", "repeat": "u4-own-pass-2026"])
        #expect(changed.status == 200 && changed.body.contains("パスワードを変更しました"))
        let notices = try u4.request("/portal/notices")
        #expect(notices.status == 200 && notices.body.contains("x様が利用者 高橋 四郎様の「証明書再発行」"))

        // ログインパスワード初期化 → the temporary one logs in (and is gated again); 利用停止 refuses login.
        let reset = try submit(try master.request("/portal/admin/users/U4/reset-password"), to: "/portal/admin/users/U4/reset-password",
                               ["confirmationPassword": "confirm-pass-2026"])
        let temporary = try #require(reset.body.range(of: #"id="loginPassword">[A-Za-z0-9]+<"#, options: .regularExpression)
            .map { String(reset.body[$0].dropFirst(#"id="loginPassword">"#.count).dropLast()) })
        #expect(try site.browser("U4").logIn(password: "u4-own-pass-2026").status != 303)
        #expect(try site.browser("U4").logIn(password: temporary).status == 303)
        let stopped = try submit(try master.request("/portal/admin/users/U4/stop"), to: "/portal/admin/users/U4/stop",
                                 ["confirmationPassword": "confirm-pass-2026"])
        #expect(stopped.status == 200 && stopped.body.contains(#"data-action="stopUser""#))
        #expect(try site.browser("U4").logIn(password: temporary).status == 403)

        // A stale 確認 page: the user changed since, refused, nothing done.
        let staleDelete = try master.request("/portal/admin/users/U4/delete")
        _ = try submit(try master.request("/portal/admin/users/U4/resume"), to: "/portal/admin/users/U4/resume",
                       ["confirmationPassword": "confirm-pass-2026"])
        let stale = try submit(staleDelete, to: "/portal/admin/users/U4/delete", ["confirmationPassword": "confirm-pass-2026"])
        #expect(stale.status == 409 && stale.body.contains("確認画面を表示した後に"), "\(stale.status)")
        let deleted = try submit(stale, to: "/portal/admin/users/U4/delete", ["confirmationPassword": "confirm-pass-2026"])
        #expect(deleted.status == 200 && deleted.body.contains(#"data-action="deleteUser""#), "\(deleted.status)")
        #expect(try site.browser("U4").request("/login").status == 403, "its certificate is revoked with it")
        #expect(try master.request("/portal/admin/users/U4/change").status == 404)
        let actions = try site.audit("user.administered").compactMap { ($0["details"] as? [String: String])?["action"] }
        #expect(actions == ["registerUser", "changeUser", "reissueCertificate", "resetLoginPassword", "stopUser", "resumeUser", "deleteUser"],
                "each once; the refused tries wrote none")

        // An administrator (U3) on the master and on itself: refused.
        try site.op.shomei("user", "add", "--contract", "C1", "--user", "U3", "--name", "鈴木 一郎", "--role", "admin",
                           "--email", "c3@example.jp", "--password-file", site.op.folder.file("password").path)
        let u3Code = try #require((try JSONSerialization.jsonObject(with: Data(try site.op.shomei(
            "code", "issue", "--contract", "C1", "--user", "U3", "--json").stdout.utf8)) as? [String: Any])?["activationCode"] as? String)
        #expect(try run([CLITests.binary, "enroll", "--server", "https://127.0.0.1:\(site.server.httpsPort)", "--contract", "C1",
                         "--user", "U3", "--code", u3Code, "--key", "p256", "--out", site.op.folder.file("cred-U3").path,
                         "--password-file", site.op.folder.file("password").path,
                         "--p12-password-file", site.op.folder.file("p12").path, "--ca", site.op.folder.file("data/ca/root.pem").path]).status == 0)
        let admin = site.browser("U3")
        #expect(try admin.logIn().status == 303)
        #expect(try admin.request("/portal/admin/users/U1/stop").status == 403, "an administrator does not act on the master")
        #expect(try admin.request("/portal/admin/users/U3/reset-password").status == 403, "nor on itself")
        #expect(try admin.request("/portal/admin/users/U2/stop").status == 200)
        #expect(try admin.request("/portal/admin/users/U9/stop").status == 404, "P1's U9 reads like a user that does not exist")
        let adminForm = try admin.request("/portal/admin/register")
        let asAdmin = try admin.request("/portal/admin/register", form: Browser.hiddenFields(in: adminForm.body).merging(
            ["userId": "U6", "userName": "x", "role": "admin", "email": "u6@example.jp"]) { $1 })
        #expect(asAdmin.status == 403, "an administrator registers general users only: \(asAdmin.status)")
        #expect(!(try admin.request("/portal/admin/users").body.contains(#"href="/portal/admin/users/U1/"#)), "no action offered on U1")
    }

    @Test func aGeneralUserHasNoAdministrationMenu() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        let general = site.browser("U2")
        #expect(try general.logIn().status == 303)
        #expect(!(try general.request("/portal/menu").body.contains(#"id="admin""#)))
        #expect(try general.request("/portal/admin/users").status == 404)
        #expect(try general.request("/portal/admin/users/U1/revoke").status == 404)
        #expect(try general.request("/portal/admin/register").status == 404)
        #expect(try general.request("/portal/confirmation-password").status == 404)
        // A path no route serves is the same page, not an empty answer.
        let nowhere = try general.request("/portal/no-such-page")
        #expect(nowhere.status == 404 && nowhere.body.contains("お探しのページは見つかりません。"), "\(nowhere.body.prefix(300))")
    }

    /// The console's contracts: list, register a contract with its master in one transaction
    /// (the password shown once), refusals that write nothing, the login-method switch, and an
    /// auditor who reads but cannot change.
    @Test func bankConsoleRegistersContractsAndSwitchesTheirLoginMethod() async throws {
        let site = try await Installation()
        defer { site.server.stop() }
        for (staffID, role) in [("op1", "operator"), ("aud1", "auditor")] {
            #expect(try site.op.shomei("staff", "add", "--id", staffID, "--name", "事務センター \(staffID)", "--role", role,
                                       "--password-file", site.op.folder.file("password").path).status == 0)
        }
        func staffBrowser(_ id: String) throws -> Browser {
            let browser = site.browser(nil)
            let page = try browser.request("/bank/login")
            let login = try browser.request(
                "/bank/login", form: ["csrf": Browser.csrf(in: page.body) ?? "", "staffId": id, "password": "s3cret-password"])
            #expect(login.headers.contains("Location: /bank"), "\(id): \(login.status)")
            return browser
        }
        let staff = try staffBrowser("op1")
        let list = try staff.request("/bank/contracts")
        #expect(list.status == 200 && list.body.contains(#"data-id="C1""#) && list.body.contains("電子証明書方式"))
        let csrf = try #require(Browser.csrf(in: list.body))
        var form = ["csrf": csrf, "contractId": "NEW1", "contractName": "株式会社新規 <&>", "loginMethod": "password",
                    "masterId": "M1", "masterName": "新規 太郎", "masterEmail": "m1@example.jp"]
        let registered = try staff.request("/bank/contracts", form: form)
        #expect(registered.status == 200 && registered.body.contains("ID・パスワード方式"), "\(registered.status)")
        #expect(registered.body.contains("株式会社新規 &lt;&amp;&gt;") && registered.body.contains(#"data-id="M1""#))
        let password = try #require(registered.body.range(of: #"id="initial-password"[^<]*<strong class="mono">([A-Za-z0-9]{16})<"#,
                                                          options: .regularExpression).map { String(registered.body[$0].suffix(17).prefix(16)) })
        let shown = try site.op.shomei("contract", "show", "NEW1", "--json")
        #expect(shown.status == 0 && shown.stdout.contains("\"master\"") && !shown.stdout.contains(password))
        #expect(try site.audit("contract.added").contains { $0["actor"] as? String == "staff:op1" })
        #expect(try site.audit("user.added").contains { $0["actor"] as? String == "staff:op1" && $0["target"] as? String == "user:NEW1/M1" })

        // Refused: the same contract again (409), a bad e-mail for a new one (400, and the contract
        // is not created without its master). The form keeps what was typed.
        let again = try staff.request("/bank/contracts", form: form)
        #expect(again.status == 409 && again.body.contains(#"value="株式会社新規 &lt;&amp;&gt;""#), "\(again.status)")
        form["contractId"] = "NEW2"
        form["masterEmail"] = "not-an-address"
        #expect(try staff.request("/bank/contracts", form: form).status == 400)
        #expect(try site.op.shomei("contract", "show", "NEW2").status == 4, "nothing of NEW2 was written")

        // The switch, then back on the page; audited with the staff member as actor.
        let switched = try staff.request("/bank/contracts/NEW1/login-method", form: ["csrf": csrf, "loginMethod": "certificate"])
        #expect(switched.status == 303 && switched.headers.contains("Location: /bank/contracts/NEW1"))
        #expect(try staff.request("/bank/contracts/NEW1").body.contains(#"<dd id="login-method">電子証明書方式</dd>"#))
        let changes = try site.audit("contract.login_method_changed")
        #expect(changes.count == 1 && changes.first?["actor"] as? String == "staff:op1", "\(changes)")
        #expect(try staff.request("/bank/contracts/NOSUCH").status == 404)

        // An auditor reads, and cannot change; without the CSRF token nothing happens either.
        let auditor = try staffBrowser("aud1")
        let auditorList = try auditor.request("/bank/contracts")
        #expect(auditorList.status == 200 && auditorList.body.contains(#"data-id="NEW1""#) && !auditorList.body.contains("register-form"))
        let auditorCSRF = try #require(Browser.csrf(in: auditorList.body))
        #expect(try auditor.request("/bank/contracts/NEW1/login-method", form: ["csrf": auditorCSRF, "loginMethod": "password"]).status == 403)
        #expect(try staff.request("/bank/contracts/NEW1/login-method", form: ["loginMethod": "password"]).status == 403)
        #expect(try site.audit("contract.login_method_changed").count == 1)
    }
}
