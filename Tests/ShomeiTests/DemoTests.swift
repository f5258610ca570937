import Foundation
import Testing

/// `shomei demo` on a fresh folder, then used as a newcomer would: the printed certificate logs
/// in to the portal, the printed code and password obtain the administrator's certificate, and a
/// second run refuses to touch the folder.
@Suite struct DemoTests {
    @Test func demoFillsANewFolderWhoseSecretsWorkAndRefusesAnExistingOne() async throws {
        let op = CLITests.Operator()
        let made = try op.shomei("demo", "--json")
        #expect(made.status == 0, "\(made.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        let demo = try #require(report["demo"] as? [String: Any])
        let users = try #require(demo["users"] as? [[String: String]])
        #expect(users.map { $0["role"] } == ["master", "admin", "general"])
        #expect(users.allSatisfy { $0["password"]?.count == 16 })
        let staff = try #require(demo["staff"] as? [[String: String]])
        #expect(Set(staff.compactMap { $0["role"] }) == ["operator", "approver", "auditor", "administrator"])
        let p12 = try #require(demo["certificateFolder"] as? String) + "/certificate.p12"
        let p12Password = try #require(demo["certificatePassword"] as? String)
        let mode = try FileManager.default.attributesOfItem(atPath: p12)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let code = try #require(demo["activationCode"] as? String)
        let root = try #require(demo["rootCertificate"] as? String)
        let fingerprint = try run(["openssl", "x509", "-in", root, "-noout", "-fingerprint", "-sha256"]).stdout
        #expect(fingerprint.replacingOccurrences(of: ":", with: "").lowercased().contains(try #require(demo["rootFingerprint"] as? String)))

        // Refused, with the conflict exit code and one line; nothing in the folder changes.
        let database = op.folder.file("data/shomei.sqlite").path
        let before = try FileManager.default.attributesOfItem(atPath: database)[.modificationDate] as? Date
        let again = try op.shomei("demo")
        #expect(again.status == 5 && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: database)[.modificationDate] as? Date == before)

        let server = try await CLITests.ServeProcess(op)
        defer { server.stop() }
        let portal = "https://127.0.0.1:\(server.httpsPort)"
        // The master's certificate, as printed: the login page greets its holder.
        let login = try run(["curl", "-s", "--cacert", root, "--cert-type", "P12", "--cert", "\(p12):\(p12Password)",
                             "-w", "\n%{http_code}", "\(portal)/login"])
        #expect(login.stdout.hasSuffix("\n200") && login.stdout.contains("山田 太郎"), "\(login.stderr)")
        // The administrator's code and password, as printed: 電子証明書発行 with the issuing app.
        let admin = try #require(users.first { $0["role"] == "admin" }?["password"])
        try admin.write(to: op.folder.file("password"), atomically: true, encoding: .utf8)
        try "p12-password\n".write(to: op.folder.file("p12password"), atomically: true, encoding: .utf8)
        let enrolled = try run(
            [CLITests.binary, "enroll", "--server", portal, "--contract", "DEMO0001", "--user", "admin01", "--code", code,
             "--ca", root, "--out", op.folder.file("admin01").path, "--password-file", op.folder.file("password").path,
             "--p12-password-file", op.folder.file("p12password").path],
            environment: ["LANG": "C.UTF-8", "SHOMEI_LANG": ""])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        // The API client's token, as printed: the bank API lists the contract's users.
        let token = try #require(demo["apiToken"] as? String)
        let listed = try run(["curl", "-s", "--cacert", root, "-H", "Authorization: Bearer \(token)", "\(portal)/api/v1/contracts/DEMO0001/users"])
        #expect(listed.stdout.contains("\"userId\" : \"admin01\"") && listed.stdout.contains("\"certificateState\" : \"valid\""), "\(listed.stdout)")
    }
}
