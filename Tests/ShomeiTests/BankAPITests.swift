import Foundation
import ShomeiDomain
import Testing

/// The bank API as a bank's system uses it: `shomei serve` over HTTPS, called with curl.
@Suite struct BankAPITests {
    /// One API answer: the status and the JSON body, if any.
    struct Answer {
        let status: Int
        let headers: String
        let body: [String: Any]

        subscript(key: String) -> Any? { body[key] }
        var items: [[String: Any]] { body["items"] as? [[String: Any]] ?? [] }
    }

    /// A running server with one API client holding every scope.
    struct Bank {
        let op = CLITests.Operator()
        let server: CLITests.ServeProcess
        let token: String

        init() async throws {
            #expect(try op.shomei("init").status == 0)
            token = try Self.addClient(op, name: "core-banking", scope: APIScope.allCases.map(\.rawValue).joined(separator: ","))
            server = try await CLITests.ServeProcess(op)
        }

        static func addClient(_ op: CLITests.Operator, name: String, scope: String) throws -> String {
            let added = try op.shomei("api-client", "add", "--name", name, "--scope", scope, "--json")
            #expect(added.status == 0, "\(added.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
            return try #require(json["token"] as? String)
        }

        var root: String { op.folder.file("data/ca/root.pem").path }

        func call(
            _ method: String, _ path: String, json: Any? = nil, csv: String? = nil, token: String? = nil, auth: Bool = true,
            headers: [String] = [], curl extra: [String] = []
        ) throws -> Answer {
            var arguments = ["curl", "-s", "--cacert", root, "-X", method, "-D", "-", "-w", "\n%{http_code}"] + extra
            if auth { arguments += ["-H", "Authorization: Bearer \(token ?? self.token)"] }
            for header in headers { arguments += ["-H", header] }
            var input: Data?
            if let json {
                input = try JSONSerialization.data(withJSONObject: json)
                arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
            } else if let csv {
                input = Data(csv.utf8)
                arguments += ["-H", "Content-Type: text/csv", "--data-binary", "@-"]
            }
            let result = try run(arguments + ["https://127.0.0.1:\(server.httpsPort)/api/v1\(path)"], stdin: input)
            let parts = result.stdout.components(separatedBy: "\r\n\r\n")
            let head = parts.first ?? ""
            var rest = parts.dropFirst().joined(separator: "\r\n\r\n")
            let status = Int(rest.split(separator: "\n").last ?? "") ?? 0
            rest = String(rest.dropLast(String(status).count))
            let body = (try? JSONSerialization.jsonObject(with: Data(rest.utf8))) as? [String: Any] ?? [:]
            return Answer(status: status, headers: head, body: body)
        }
    }

    @Test func aBankSystemRegistersAContractItsUsersAndCodesAndRevokesThroughTheAPI() async throws {
        let bank = try await Bank()
        defer { bank.server.stop() }

        let contract = try bank.call("POST", "/contracts", json: ["id": "TKYM140", "name": "株式会社テスト"])
        #expect(contract.status == 201 && contract["loginMethod"] as? String == "certificate", "\(contract.body)")
        #expect(try bank.call("PUT", "/contracts/TKYM140/login-method", json: ["loginMethod": "password"])["loginMethod"] as? String == "password")
        let switched = try bank.call("PUT", "/contracts/TKYM140/administration",
                                     json: ["immediateRevocation": false, "reissue": true, "userRegistration": false])
        let administration = try #require(switched["administration"] as? [String: Bool])
        #expect(administration == ["immediateRevocation": false, "reissue": true, "userRegistration": false, "contractSpecific": true])
        let reset = try bank.call("DELETE", "/contracts/TKYM140/administration")
        #expect((reset["administration"] as? [String: Bool])?["contractSpecific"] == false)
        let user = try bank.call("POST", "/contracts/TKYM140/users",
                                 json: ["userId": "8054", "name": "山田 太郎", "role": "master", "email": "taro@example.co.jp"])
        #expect(user.status == 201 && (user["initialPassword"] as? String)?.count == 16, "\(user.body)")
        let code = try bank.call("POST", "/contracts/TKYM140/users/8054/activation-code")
        #expect(code.status == 201 && (code["code"] as? String)?.count == 12, "\(code.body)")
        #expect(try bank.call("DELETE", "/contracts/TKYM140/users/8054/activation-code").status == 204)
        #expect(try bank.call("POST", "/contracts/TKYM140/users/8054/disable")["status"] as? String == "disabled")
        let forDisabled = try bank.call("POST", "/contracts/TKYM140/users/8054/activation-code")
        #expect(forDisabled.status == 403 && forDisabled["code"] as? String == "userDisabled", "\(forDisabled.body)")
        #expect(try bank.call("POST", "/contracts/TKYM140/users/8054/enable")["status"] as? String == "active")
        #expect(try bank.call("POST", "/contracts/TKYM140/users/8054/enable").status == 409)

        let changed = try bank.call("PATCH", "/contracts/TKYM140/users/8054", json: ["name": "山田 花子", "role": "admin"])
        #expect(changed.status == 200 && changed["name"] as? String == "山田 花子" && changed["role"] as? String == "admin")
        #expect(try bank.call("PATCH", "/contracts/TKYM140/users/8054", json: ["email": "nope"]).status == 400)

        // A certificate the bank issues from the user's CSR is verified by openssl, read, revoked and on the feed.
        let csr = String(decoding: try OpenSSL.csr(OpenSSL.p256, in: bank.op.folder), as: UTF8.self)
        let issued = try bank.call("POST", "/contracts/TKYM140/users/8054/certificates", json: ["csr": csr, "medium": "usb"])
        #expect(issued.status == 201, "\(issued.body)")
        let leaf = bank.op.folder.file("leaf.pem")
        try (try #require(issued["pem"] as? String)).write(to: leaf, atomically: true, encoding: .utf8)
        let verified = try run(["openssl", "verify", "-CAfile", bank.root, "-untrusted", bank.op.folder.file("data/ca/issuing.pem").path, leaf.path])
        #expect(verified.status == 0, "\(verified.stderr)")
        let serial = (issued["certificate"] as? [String: Any])?["serial"] as? String
        #expect((issued["certificate"] as? [String: Any])?["medium"] as? String == "usb")
        #expect(try bank.call("POST", "/contracts/TKYM140/users/8054/certificates", json: ["csr": "not a CSR"]).status == 400)
        let listed = try bank.call("GET", "/contracts/TKYM140/certificates?userId=8054")
        #expect(listed.items.first?["serial"] as? String == serial && listed.items.first?["status"] as? String == "valid")
        let risk = try bank.call("GET", "/contracts/TKYM140/users/8054/risk")
        #expect(risk["obtainedBy"] as? String == "bankIssued" && risk["keyNewToUser"] as? Bool == true, "\(risk.body)")
        let revoked = try bank.call("POST", "/certificates/\(serial!)/revoke", json: ["reason": "keyCompromise"])
        #expect(revoked.status == 200 && revoked["revocationReason"] as? String == "keyCompromise", "\(revoked.body)")
        let again = try bank.call("POST", "/certificates/\(serial!)/revoke", json: ["reason": "keyCompromise"], headers: ["Accept-Language: en"])
        #expect(again.status == 409 && again["code"] as? String == "certificateAlreadyRevoked")
        #expect(again.headers.contains("Content-Type: application/problem+json") && again.headers.contains("Content-Language: en"))
        #expect((again["detail"] as? String)?.contains("already revoked") == true, "\(again.body)")
        #expect(try bank.call("GET", "/contracts/TKYM140/users/8054")["certificateState"] as? String == "revoked")

        // The feed: every change above in commit order, each once, with its actor and certificate.
        var events: [[String: Any]] = []
        var cursor = 0
        while true {
            let page = try bank.call("GET", "/events?after=\(cursor)&limit=2")
            events += page["events"] as? [[String: Any]] ?? []
            guard let next = page["next"] as? Int, next != cursor else { break }
            cursor = next
        }
        let types = events.compactMap { $0["type"] as? String }
        #expect(types == ["contractAdded", "loginMethodChanged", "administrationChanged", "administrationChanged", "userAdded", "activationCodeIssued", "activationCodeVoided",
                          "userDisabled", "userEnabled", "userChanged", "certificateIssued", "certificateRevoked"], "\(types)")
        let cursors = events.compactMap { $0["cursor"] as? Int }
        #expect(cursors == cursors.sorted() && Set(cursors).count == cursors.count)
        let revocation = try #require(events.last)
        #expect(revocation["actor"] as? String == "api:core-banking" && revocation["serial"] as? String == serial)
        let keyFingerprint = try Self.keyFingerprint(ofPEM: leaf.path)
        #expect(revocation["keyFingerprint"] as? String == keyFingerprint, "\(revocation)")
        #expect(listed.items.first?["keyFingerprint"] as? String == revocation["keyFingerprint"] as? String)
        #expect(revocation["reason"] as? String == "keyCompromise")
        #expect(revocation["clientIp"] as? String == "127.0.0.1" && events.first?["clientIp"] as? String == "127.0.0.1")
        let audit = try bank.op.shomei("audit", "list")
        #expect(audit.stdout.contains("api:core-banking") && audit.stdout.contains("api_client.added"), "\(audit.stdout)")
    }

    @Test func missingWrongRevokedAndCustomerCredentialsAndAMissingScopeAreRefused() async throws {
        let bank = try await Bank()
        defer { bank.server.stop() }
        let reader = try Bank.addClient(bank.op, name: "fraud-monitor", scope: "events:read")

        // A path or method the document does not list: problem+json like every refusal, worded by
        // Accept-Language, before any credential is looked at.
        let unknown = try bank.call("GET", "/contracts/X1/nothing", auth: false, headers: ["Accept-Language: en"])
        #expect(unknown.status == 404 && unknown["code"] as? String == "apiOperationNotFound", "\(unknown.headers)")
        #expect(unknown.headers.contains("Content-Type: application/problem+json"))
        #expect(unknown["detail"] as? String == "The API has no operation GET /api/v1/contracts/X1/nothing: see /api/v1/openapi.yaml.")
        // Markup and a combining mark in the path: repeated only as the percent-encoded path, inside JSON.
        let marked = try bank.call("GET", "/%3Cb%3E%22%CC%81", auth: false, headers: ["Accept-Language: en"])
        #expect(marked.status == 404 && marked["detail"] as? String
            == "The API has no operation GET /api/v1/%3Cb%3E%22%CC%81: see /api/v1/openapi.yaml.", "\(marked.body)")
        // A listed path with a method it does not take: 405 and the methods it does, in `Allow`;
        // a constant component is the router's choice before a parameter (`users/bulk` is POST only).
        let wrongMethod = try bank.call("DELETE", "/contracts")
        #expect(wrongMethod.status == 405 && wrongMethod["code"] as? String == "apiMethodNotAllowed", "\(wrongMethod.body)")
        #expect(wrongMethod.headers.contains("Allow: GET, HEAD, POST") && wrongMethod.headers.contains("Content-Type: application/problem+json"))
        #expect(wrongMethod["detail"] as? String == "API の「/api/v1/contracts」は DELETE では操作できません（使用できるのは GET・HEAD・POST です）。")
        for (method, path, allow) in [("POST", "/contracts/X1/users/U1", "Allow: GET, HEAD, PATCH"), ("GET", "/contracts/X1/users/bulk", "Allow: POST"),
                                      ("POST", "/openapi.yaml", "Allow: GET, HEAD"), ("GET", "/certificates/01/revoke", "Allow: POST")] {
            let answer = try bank.call(method, path, auth: false, headers: ["Accept-Language: en"])
            #expect(answer.status == 405 && answer.headers.contains(allow), "\(method) \(path): \(answer.headers)")
        }
        #expect(try bank.call("PUT", "/contracts/X1/users/U1/nothing", auth: false)["code"] as? String == "apiOperationNotFound")

        let none = try bank.call("GET", "/contracts", auth: false)
        #expect(none.status == 401 && none["code"] as? String == "apiTokenInvalid" && none.headers.contains("WWW-Authenticate: Bearer"))
        #expect(try bank.call("GET", "/contracts", token: "shomei_not-a-token").status == 401)
        let scoped = try bank.call("POST", "/contracts", json: ["id": "X1", "name": "x"], token: reader)
        #expect(scoped.status == 403 && scoped["code"] as? String == "apiScopeMissing", "\(scoped.body)")
        #expect(try bank.call("GET", "/events", token: reader).status == 200)
        #expect(try bank.call("GET", "/contracts/X1", token: reader).status == 403)

        // A customer's certificate is not an API credential.
        #expect(try bank.op.shomei("contract", "add", "--id", "TKYM140", "--name", "株式会社テスト").status == 0)
        #expect(try bank.op.shomei("user", "add", "--contract", "TKYM140", "--user", "8054", "--name", "山田", "--role", "master",
                                   "--email", "taro@example.co.jp").status == 0)
        _ = try OpenSSL.csr(OpenSSL.p256, in: bank.op.folder)
        let leaf = bank.op.folder.file("leaf.pem").path
        #expect(try bank.op.shomei("cert", "issue", "--contract", "TKYM140", "--user", "8054", "--csr",
                                   bank.op.folder.file("req.csr").path, "--out", leaf).status == 0)
        let customer = try bank.call("GET", "/contracts", auth: false, curl: ["--cert", leaf, "--key", bank.op.folder.file("req.key").path])
        #expect(customer.status == 401 && customer["code"] as? String == "apiTokenInvalid")

        #expect(try bank.op.shomei("api-client", "revoke", "--name", "fraud-monitor").status == 0)
        let revoked = try bank.call("GET", "/events", token: reader)
        #expect(revoked.status == 401 && revoked["code"] as? String == "apiTokenInvalid")
        #expect(try bank.op.shomei("api-client", "revoke", "--name", "fraud-monitor").status == 4)
        #expect(try bank.op.shomei("api-client", "list").stdout.contains("fraud-monitor\tevents:read\trevoked"))
    }

    @Test func bulkRegistrationAnswersEveryRowAndWritesNothingForARefusedOne() async throws {
        let bank = try await Bank()
        defer { bank.server.stop() }
        #expect(try bank.call("POST", "/contracts", json: ["id": "TKYM140", "name": "株式会社テスト"]).status == 201)
        #expect(try bank.call("POST", "/contracts/TKYM140/users",
                              json: ["userId": "u1", "name": "既存", "role": "general", "email": "u1@example.jp"]).status == 201)
        let csv = """
            userId,name,role,email,password,language\r
            c1,"Sato, Ichiro",general,c1@example.jp,,en\r
            c2,Bad,boss,c2@example.jp,,\r
            u1,Dup,general,d@example.jp,,\r
            c1,Again,general,x@example.jp,,\r
            c3,Three\r
            c4,四郎,admin,c4@example.jp,password-of-c4,ja\r

            """
        let answer = try bank.call("POST", "/contracts/TKYM140/users/bulk", csv: csv, headers: ["Accept-Language: en"])
        #expect(answer.status == 200 && answer["created"] as? Int == 2 && answer["refused"] as? Int == 4, "\(answer.body)")
        let rows = answer["rows"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["outcome"] as? String } == ["created", "refused", "refused", "refused", "refused", "created"])
        #expect(rows.map { $0["code"] as? String } == [nil, "requestBodyInvalid", "userExists", "userExists", "requestBodyInvalid", nil])
        #expect((rows[1]["detail"] as? String)?.contains("row 2: role") == true && rows[3]["userId"] as? String == "c1")
        #expect(rows[0]["initialPassword"] != nil && rows[5]["initialPassword"] == nil)
        #expect(try bank.call("GET", "/contracts/TKYM140/users/c1")["name"] as? String == "Sato, Ichiro")
        #expect(try bank.call("GET", "/contracts/TKYM140/users/c2").status == 404)
        #expect(try bank.call("GET", "/contracts/TKYM140/users/u1")["name"] as? String == "既存")
        let admins = try bank.call("GET", "/contracts/TKYM140/users?role=admin")
        #expect(admins.items.compactMap { $0["userId"] as? String } == ["c4"])

        // JSON rows name the field by JSON pointer; an unknown field or a wrong type refuses the request.
        let json = try bank.call("POST", "/contracts/TKYM140/users/bulk", json: [
            ["userId": "j1", "name": "J", "role": "admin", "email": "j@example.jp"],
            ["userId": "j2", "name": "J", "role": "admin", "email": "not-an-address"],
        ])
        #expect((json["rows"] as? [[String: Any]])?.last?["detail"] as? String == "送信された内容を読み取れません（/1/email）。")
        let wrongType = try bank.call("POST", "/contracts/TKYM140/users/bulk", json: [["userId": 7, "name": "J", "role": "admin", "email": "j@example.jp"]])
        #expect(wrongType.status == 400 && (wrongType["detail"] as? String)?.contains("/0/userId") == true, "\(wrongType.body)")
        let null = try bank.call("POST", "/contracts/TKYM140/users/bulk", json: [["userId": "n1", "name": NSNull(), "role": "admin", "email": "n@example.jp"]])
        #expect(null.status == 400 && null["detail"] as? String == "送信された内容を読み取れません（/0/name: null）。", "\(null.body)")
        let tooMany = try bank.call("POST", "/contracts/TKYM140/users/bulk",
                                    json: (0...10_000).map { ["userId": "m\($0)", "name": "m", "role": "general", "email": "m@example.jp"] })
        #expect(tooMany.status == 400 && tooMany["code"] as? String == "tooManyRows", "\(tooMany.body)")
        #expect(try bank.call("GET", "/contracts/TKYM140/users/m0").status == 404)
        #expect(try bank.call("POST", "/contracts/NOPE/users/bulk", csv: csv).status == 404)
        let oversized = try bank.call("POST", "/contracts/TKYM140/users/bulk", csv: "userId,name,role,email\n" + String(repeating: "x", count: 9 << 20))
        #expect(oversized.status == 413 && oversized["code"] as? String == "requestTooLarge", "\(oversized.status)")
        let malformed = try run(["curl", "-s", "--cacert", bank.root, "-H", "Authorization: Bearer \(bank.token)", "-H", "Content-Type: application/json",
                                 "-d", "{\"id\":", "https://127.0.0.1:\(bank.server.httpsPort)/api/v1/contracts"])
        #expect(malformed.stdout.contains("\"status\":400") && malformed.stdout.contains("requestBodyInvalid"), "\(malformed.stdout)")
    }

    @Test func aRetriedPostWithTheSameKeyGetsTheFirstAnswerAndAnotherBodyIs422() async throws {
        let bank = try await Bank()
        defer { bank.server.stop() }
        #expect(try bank.call("POST", "/contracts", json: ["id": "TKYM140", "name": "株式会社テスト"]).status == 201)
        let body: [String: Any] = ["userId": "u1", "name": "A", "role": "general", "email": "a@example.jp"]
        let first = try bank.call("POST", "/contracts/TKYM140/users", json: body, headers: ["Idempotency-Key: create-u1"])
        let retried = try bank.call("POST", "/contracts/TKYM140/users", json: body, headers: ["Idempotency-Key: create-u1"])
        #expect(first.status == 201 && retried.status == 201 && retried.headers.contains("Idempotent-Replayed: true"), "\(retried.status) \(retried.body)")
        #expect(first["initialPassword"] as? String == retried["initialPassword"] as? String)
        var other = body
        other["userId"] = "u2"
        let reused = try bank.call("POST", "/contracts/TKYM140/users", json: other, headers: ["Idempotency-Key: create-u1"])
        #expect(reused.status == 422 && reused["code"] as? String == "idempotencyKeyReused")
        #expect(try bank.call("GET", "/contracts/TKYM140/users/u2").status == 404)
        // An activation code is made once: the retry shows the same code, and one is audited.
        let code = try bank.call("POST", "/contracts/TKYM140/users/u1/activation-code", headers: ["Idempotency-Key: code-1"])
        let codeAgain = try bank.call("POST", "/contracts/TKYM140/users/u1/activation-code", headers: ["Idempotency-Key: code-1"])
        #expect(code["code"] as? String == codeAgain["code"] as? String && code.status == 201)
        let issued = try bank.op.shomei("audit", "list").stdout.components(separatedBy: "activation_code.issued").count - 1
        #expect(issued == 1)
    }

    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/ShomeiAPI/openapi.yaml").path
    static func installed(_ tool: String) -> Bool { (try? run(["sh", "-c", "command -v \(tool)"]).status) == 0 }

    /// The key fingerprint as a bank's system would compute it with Python's `cryptography`:
    /// SHA-256 of the subjectPublicKey BIT STRING's contents (an EC key's X9.62 point, an RSA
    /// key's PKCS#1 RSAPublicKey), as the document says.
    static func keyFingerprint(ofPEM path: String) throws -> String {
        let script = """
            import hashlib, sys
            from cryptography import x509
            from cryptography.hazmat.primitives.asymmetric import ec
            from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
            key = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read()).public_key()
            bits = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint) if isinstance(key, ec.EllipticCurvePublicKey) \\
                else key.public_bytes(Encoding.DER, PublicFormat.PKCS1)
            print(hashlib.sha256(bits).hexdigest())
            """
        let computed = try run(["python3", "-c", script, path])
        try #require(computed.status == 0, "\(computed.stderr)")
        return computed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every path of the document, asked with every method, against the live router: a method
    /// the document lists (HEAD with GET) reaches its operation (401 without a token); any other
    /// is 405 whose `Allow` is exactly the document's methods for the path. The document is read
    /// on its own here, so the table the server builds from the generated code is checked
    /// against it and against what Hummingbird's router really serves.
    @Test func everyPathOfTheDocumentTakesItsMethodsAndAnswersOthers405WithAllow() async throws {
        let bank = try await Bank()
        defer { bank.server.stop() }
        var listed: [(path: String, methods: [String])] = []
        for line in try String(contentsOfFile: Self.document, encoding: .utf8).split(separator: "\n") {
            if let path = line.wholeMatch(of: /\ {2}(\/[^:]*):/)?.1 {
                listed.append((String(path.replacing(/\{[^}]+\}/, with: "X1")), []))
            } else if let method = line.wholeMatch(of: /\ {4}(get|put|post|patch|delete):/)?.1, !listed.isEmpty {
                listed[listed.count - 1].methods += method == "get" ? ["GET", "HEAD"] : [method.uppercased()]
            }
        }
        #expect(listed.count > 15)
        for (path, methods) in listed {
            for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "TRACE"] {
                let answer = try bank.call(method, path, auth: false, curl: method == "HEAD" ? ["-I"] : [])
                if methods.contains(method) {
                    #expect(answer.status != 405 && answer.status != 404, "\(method) \(path): \(answer.status)")
                } else {
                    let allow = answer.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("allow:") }
                    let allowed = allow.map { Set($0.dropFirst("allow:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
                    #expect(answer.status == 405 && allowed == Set(methods), "\(method) \(path): \(answer.status) \(answer.headers)")
                }
            }
        }
    }

    @Test func theServedDocumentIsTheKeptOneAndOpenAPISpecValidatorAcceptsIt() async throws {
        let bank = try await Bank()
        defer { bank.server.stop() }
        let served = try run(["curl", "-s", "--cacert", bank.root, "https://127.0.0.1:\(bank.server.httpsPort)/api/v1/openapi.yaml"])
        #expect(served.stdout == (try String(contentsOfFile: Self.document, encoding: .utf8)))
        guard Self.installed("openapi-spec-validator") else {
            print("NOTE: openapi-spec-validator SKIPPED: not installed (bash .ci/run installs it from PyPI).")
            return
        }
        let validated = try run(["openapi-spec-validator", Self.document])
        #expect(validated.status == 0 && validated.stdout.contains("OK"), "\(validated.stdout)\(validated.stderr)")
    }

    /// schemathesis generates requests from the document (valid and invalid ones, and sequences
    /// that follow the links between calls) against the live server: no answer may be a 5xx or
    /// differ from the document. Not checked: that every request the document allows is accepted
    /// (a row of the bulk call, an Idempotency-Key used again, a name of invisible characters
    /// are refused on purpose). Included: a method the document does not list for a path is 405
    /// with `Allow` (`unsupported_method`).
    @Test func schemathesisFindsNoServerErrorAndNoAnswerOutsideTheDocument() async throws {
        guard Self.installed("schemathesis") else {
            print("NOTE: schemathesis SKIPPED: not installed (bash .ci/run installs it from PyPI).")
            return
        }
        let bank = try await Bank()
        defer { bank.server.stop() }
        #expect(try bank.call("POST", "/contracts", json: ["id": "TKYM140", "name": "株式会社テスト"]).status == 201)
        #expect(try bank.call("POST", "/contracts/TKYM140/users",
                              json: ["userId": "8054", "name": "山田 太郎", "role": "master", "email": "taro@example.co.jp"]).status == 201)
        let result = try run([
            "schemathesis", "run", Self.document, "--url", "https://127.0.0.1:\(bank.server.httpsPort)/api/v1",
            "-H", "Authorization: Bearer \(bank.token)", "--tls-verify", bank.root, "--max-examples", "25", "--seed", "1403",
            "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--no-color",
        ], environment: ["SCHEMATHESIS_HOOKS": ""])
        #expect(result.status == 0, "\(result.stdout.suffix(6000))\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("passed"))
    }
}
