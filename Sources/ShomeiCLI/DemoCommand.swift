import ArgumentParser
import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiRA
import X509

/// `shomei demo`: a newcomer's first five minutes. Creates a new development installation and
/// fills it with one sample of everything a person meets: a contract with its マスター (holding a
/// certificate, saved as PKCS#12), 管理者 (an activation code waiting for 電子証明書発行) and 一般
/// user (nothing issued yet), and a staff account of each role; then prints what to import and
/// where to log in. Every password and code is generated and printed once, as the real
/// commands do: a demo folder left on a reachable machine has no well-known password.
///
/// It only ever creates a new data folder, so it cannot touch one that holds real data (the
/// same refusal as `shomei init`).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a new development data folder with a sample contract, users, a certificate and staff accounts.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let created = try await Installation.create(
            options.folder, configuration: .development(), environment: options.environment, actor: "system:demo")
        let demo = try await options.withInstallation { installation in try await DemoData.fill(installation) }
        try Output(json: options.json).emit(DemoReport(created: created, demo: demo)) { demo.instructions }
        InitCommand.warnOfDevelopmentMode(created)
    }
}

/// What `shomei demo --json` prints.
private struct DemoReport: Encodable {
    let created: Installation.Created
    let demo: DemoData
}

/// The sample contents of a demo installation, with the secrets shown once.
struct DemoData: Encodable {
    struct Account: Encodable {
        let id: String
        let role: String
        let password: String
    }

    let contract: String
    let users: [Account]
    let staff: [Account]
    /// The master's certificate: where its PKCS#12 is, and the file's password.
    let certificateFolder: String
    let certificatePassword: String
    let certificateSerial: String
    /// The administrator's code for 電子証明書発行.
    let activationCode: String
    let activationCodeExpiresAt: Date
    let dataFolder: String
    /// The HTTPS address of the portal (`/login`) and the console (`/bank/login`).
    let portalURL: String
    let rootCertificate: String
    let rootFingerprint: String
    /// The bank system's API client, with every scope, and its bearer token.
    let apiClient: String
    let apiToken: String

    static let contractID = "DEMO0001"

    static func fill(_ installation: Installation) async throws -> DemoData {
        let registration = installation.registration
        let contract = try ContractID(contractID)
        _ = try await registration.addContract(id: contract, name: "デモ商事株式会社", actor: "system:demo")
        var users: [Account] = []
        for (id, name, role) in [("master01", "山田 太郎", Role.master), ("admin01", "佐藤 花子", .admin), ("user01", "鈴木 一郎", .general)] {
            let key = UserKey(contractID: contract, userID: try UserID(id))
            let (_, password) = try await registration.addUser(
                NewUser(key: key, name: name, role: role, email: try EmailAddress("\(id)@demo.example.jp")), actor: "system:demo")
            users.append(Account(id: id, role: role.rawValue, password: password ?? ""))
        }
        let (serial, folder, p12Password) = try await issueToMaster(installation, contract: contract)
        let (code, record) = try await registration.issueActivationCode(
            for: UserKey(contractID: contract, userID: try UserID("admin01")), actor: "system:demo")
        var staff: [Account] = []
        for role in Staff.Role.allCases {
            let (account, password) = try await installation.staffAuthority.add(
                id: "\(role.rawValue)01", name: "デモ \(role.rawValue)", role: role, password: nil, actor: "system:demo")
            staff.append(Account(id: account.id, role: role.rawValue, password: password ?? ""))
        }
        let (client, token) = try await installation.apiClients.add(
            name: try APIClientName("demo-core-banking"), scopes: Set(APIScope.allCases), actor: "system:demo")
        let portal = installation.configuration.server.portalAddress(httpsPort: nil)
        return DemoData(
            contract: contractID, users: users, staff: staff, certificateFolder: folder, certificatePassword: p12Password,
            certificateSerial: serial, activationCode: code, activationCodeExpiresAt: record.expiresAt,
            dataFolder: installation.folder.url.path, portalURL: portal,
            rootCertificate: installation.folder.rootCertificateFile.path, rootFingerprint: try installation.root.sha256Fingerprint,
            apiClient: client.name.rawValue, apiToken: token)
    }

    /// A P-256 key made here, as the issuing app would on the customer's PC, certified for the
    /// master and saved as `shomei enroll` saves it, under the data folder's `demo/`.
    private static func issueToMaster(
        _ installation: Installation, contract: ContractID
    ) async throws -> (serial: String, folder: String, password: String) {
        let key = UserKey(contractID: contract, userID: try UserID("master01"))
        let keyPair = try ClientKeyPair(generating: .p256)
        let issued = try await installation.registration.issueCertificate(
            for: key, csr: try keyPair.signingRequest(commonName: "\(contract)master01"), medium: .pc, actor: "system:demo")
        let folder = CredentialFolder(path: installation.folder.url.appendingPathComponent("demo/master01").path)
        let password = GeneratedSecret.password()
        try folder.save(
            certificate: issued.certificate, key: keyPair, trust: (installation.root, [installation.authority.certificate]),
            p12Password: password)
        return (issued.record.serial.uppercased(), folder.url.path, password)
    }

    /// What to do next, for the person who ran the command.
    var instructions: String {
        let accounts = { (accounts: [Account]) in accounts.map { "    \($0.id) (\($0.role)): \($0.password)" }.joined(separator: "\n") }
        return """
            demo data in contract \(contract) (passwords and the code are shown once):
              customer users (login passwords):
            \(accounts(users))
              bank staff (console passwords):
            \(accounts(staff))
              master01's certificate (serial \(certificateSerial)): \(certificateFolder)/certificate.p12
                PKCS#12 password: \(certificatePassword)
              admin01's activation code for 電子証明書発行: \(activationCode) (expires \(TokyoTime.format(activationCodeExpiresAt)))
              user01 has no certificate yet (the bank issues a code: shomei code issue --contract \(contract) --user user01)

            next:
              1. shomei serve --data \(dataFolder)
              2. trust the bank's root CA in the browser: \(rootCertificate)
                 SHA-256 \(rootFingerprint)
              3. import master01's certificate.p12 into the browser, open \(portalURL)/login
                 and log in with master01's password
                 or: curl --cacert \(rootCertificate) --cert-type P12 --cert '\(certificateFolder)/certificate.p12:\(certificatePassword)' \(portalURL)/login
              4. admin01 obtains a certificate with the code at 電子証明書発行 on the login page, or:
                 shomei enroll --server \(portalURL) --contract \(contract) --user admin01 --code \(activationCode) --ca \(rootCertificate) --out admin01
              5. bank staff log in at \(portalURL)/bank/login
              6. the bank's systems call the JSON API (docs/API.md) as API client \(apiClient), token:
                 \(apiToken)
                 curl --cacert \(rootCertificate) -H 'Authorization: Bearer \(apiToken)' \(portalURL)/api/v1/contracts/\(contract)/users
            """
    }
}
