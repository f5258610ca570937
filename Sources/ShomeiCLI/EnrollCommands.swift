import ArgumentParser
import Foundation
import ShomeiDomain
import ShomeiPKCS11
import ShomeiPKI
import X509

#if canImport(Glibc)
import Glibc
#endif

extension ClientKeyType: ExpressibleByArgument {
    /// `rsa2048`, `rsa3072`, `rsa4096`, `p256`, `p384` (the raw names `rsa-2048`, `ecdsa-p256` also work).
    public init?(argument: String) {
        let names: [String: ClientKeyType] = ["rsa2048": .rsa2048, "rsa3072": .rsa3072, "rsa4096": .rsa4096, "p256": .p256, "p384": .p384]
        guard let type = names[argument.lowercased()] ?? ClientKeyType(rawValue: argument.lowercased()) else { return nil }
        self = type
    }
}

/// `shomei enroll`: the issuing app (証明書発行アプリ, seed 004). Makes the key here (or on a
/// PKCS#11 token with `--token`: 専用USB), sends only the CSR, checks what comes back, and saves
/// key, certificate, chain and a PKCS#12 file (with a token: the certificate on the token beside
/// its key, and the certificate and chain files). The storage medium sent is the one the key
/// is really on: usb exactly when it is on a token.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Obtain a certificate over EST: first issuance with --code, or re-acquisition after expiry.")
    @Option(help: "The bank's Shomei HTTPS URL, e.g. https://ib.example.jp:8443.") var server: String
    @OptionGroup var selection: UserSelection
    @Option(help: "The one-time activation code (first issuance or bank re-issue).") var code: String?
    @Option(help: "Key type: rsa2048, rsa3072, rsa4096, p256, p384.") var key: ClientKeyType = .rsa2048
    @Option(help: "Where to save the key and certificate files.") var out: String
    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var token: TokenOptions

    func run() async throws {
        let folder = CredentialFolder(path: out)
        let trust = try await credentials.trustRoot(server: server, folder: folder)
        let password = try credentials.loginPassword()
        let client = ESTClient(server: server, trustRoot: trust.root, clientCredential: nil)
        let commonName = "\(selection.contract)\(selection.user)"
        if let (module, uri) = try token.selected() {
            let enrollment = try TokenEnrollment(session: try token.session(module, uri), uri: uri, user: try selection.key())
            let certificate = try await enrollment.enroll(key, commonName: commonName, trust: trust, save: folder.saveCertificate) { csr in
                try await credentials.refusalsExit {
                    try await client.enroll(csr: csr, key: try selection.key(), password: password, code: code, medium: .usb)
                }
            }
            print(Message.certificateSavedOnToken(
                renewed: false, serial: certificate.serialHex.uppercased(), subject: certificate.subject.description,
                notAfter: certificate.notValidAfter, token: enrollment.session.info.label, label: enrollment.label, folder: out).text(.current))
            return
        }
        let keyPair = try ClientKeyPair(generating: key)
        let certificate = try await credentials.refusalsExit {
            try await client.enroll(csr: try keyPair.signingRequest(commonName: commonName),
                                    key: try selection.key(), password: password, code: code, medium: .pc)
        }
        try folder.save(certificate: certificate, key: keyPair, trust: trust, p12Password: try credentials.pkcs12Password())
        print(Message.certificateSaved(renewed: false, serial: certificate.serialHex.uppercased(),
                                            subject: certificate.subject.description, notAfter: certificate.notValidAfter,
                                            folder: out).text(.current))
    }
}

/// `shomei renew`: renewal (更新) with the current certificate, a new key every time (with
/// `--token`, made on the token, the old pair deleted only once the new certificate is stored).
struct RenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew", abstract: "Renew the certificate saved in a folder by `shomei enroll`, with a new key.")
    @Option(help: "The bank's Shomei HTTPS URL.") var server: String
    @Option(help: "The folder `shomei enroll` saved to; the new files replace the old ones.") var cert: String
    @Option(help: "Key type of the new key (default: the current one's).") var key: ClientKeyType?
    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var token: TokenOptions

    func run() async throws {
        let folder = CredentialFolder(path: cert)
        let trust = try await credentials.trustRoot(server: server, folder: folder)
        if let (module, uri) = try token.selected() {
            return try await renewOnToken(try token.session(module, uri), folder: folder, trust: trust)
        }
        let (current, currentKey) = try folder.current()
        let keyPair = try ClientKeyPair(generating: key ?? currentKey.type)
        let client = ESTClient(server: server, trustRoot: trust.root, clientCredential: try .init(certificate: current, file: currentKey))
        let certificate = try await credentials.refusalsExit {
            try await client.reenroll(csr: try keyPair.signingRequest(commonName: current.subject.description), medium: .pc)
        }
        try folder.save(certificate: certificate, key: keyPair, trust: trust, p12Password: try credentials.pkcs12Password())
        print(Message.certificateSaved(renewed: true, serial: certificate.serialHex.uppercased(),
                                            subject: certificate.subject.description, notAfter: certificate.notValidAfter,
                                            folder: cert).text(.current))
    }

    /// The key on the token: a renewal left unfinished is finished, otherwise the token renews.
    private func renewOnToken(_ session: TokenSession, folder: CredentialFolder, trust: (root: Certificate, chain: [Certificate])) async throws {
        let current = try folder.currentCertificate()
        let (certificate, label): (Certificate, String)
        if let finished = try TokenRenewal.finishInterrupted(on: session, current: current) {
            print(Message.tokenRenewalFinished.text(.current))
            (certificate, label) = (current, finished.label)
        } else {
            let renewal = try TokenRenewal(session: session, current: current)
            let client = ESTClient(server: server, trustRoot: trust.root, clientCredential: renewal.credential)
            certificate = try await renewal.renew(key ?? renewal.currentPair.type, trust: trust, save: folder.saveCertificate) { csr in
                try await credentials.refusalsExit { try await client.reenroll(csr: csr, medium: .usb) }
            }
            label = renewal.currentPair.label
        }
        print(Message.certificateSavedOnToken(
            renewed: true, serial: certificate.serialHex.uppercased(), subject: certificate.subject.description,
            notAfter: certificate.notValidAfter, token: session.info.label, label: label, folder: cert)
            .text(.current))
    }
}

/// Passwords, trust and storage choices shared by `enroll` and `renew`.
struct CredentialOptions: ParsableArguments {
    @Option(help: "File with the login password (otherwise asked, without echo).") var passwordFile: String?
    @Option(help: "File with the password for the PKCS#12 file (otherwise asked twice, without echo).") var p12PasswordFile: String?
    @Option(help: "The bank's root CA (PEM); without it the root is fetched and pinned on first use.") var ca: String?

    func loginPassword() throws -> String {
        try passwordFile.map(readSecret) ?? prompt(Message.passwordPrompt.text(.current))
    }

    func pkcs12Password() throws -> String {
        if let p12PasswordFile { return try readSecret(p12PasswordFile) }
        let first = try prompt(Message.pkcs12PasswordPrompt.text(.current))
        guard first.count >= 8, first == (try prompt(Message.pkcs12PasswordPrompt.text(.current))) else {
            Output.warn(Message.pkcs12PasswordMismatch.text(.current))
            throw ExitCode(3)
        }
        return first
    }

    /// The root to trust: `--ca`, else the one pinned in the folder, else fetched and pinned now.
    func trustRoot(server: String, folder: CredentialFolder) async throws -> (root: Certificate, chain: [Certificate]) {
        if let root = try ca.map({ try Certificate(pemEncoded: try InputFile.text($0)) })
            ?? folder.pinnedRoot() {
            return (root, try await ESTClient(server: server, trustRoot: root).cacerts())
        }
        let offered = try await ESTClient(server: server, trustRoot: nil).cacerts()
        guard let root = offered.first(where: { $0.subject == $0.issuer }) else {
            throw ESTClient.Refusal(status: 200, message: "cacerts holds no root CA")
        }
        Output.warn(Message.trustOnFirstUse(subject: root.subject.description, fingerprint: try root.sha256Fingerprint).text(.current))
        return (root, try await ESTClient(server: server, trustRoot: root).cacerts())
    }

    /// Runs an EST call; a refusal prints the server's message and exits 6 (refused), 3 (bad input)
    /// or 9 (the server is briefly unavailable).
    func refusalsExit<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as ESTClient.Refusal {
            Output.warn("shomei: " + refusal.message)
            throw ExitCode([400, 415].contains(refusal.status) ? 3 : refusal.status == 503 ? 9 : 6)
        }
    }

    private func readSecret(_ path: String) throws -> String {
        try InputFile.secret(path)
    }

    private func prompt(_ text: String) throws -> String {
        guard let typed = getpass(text) else { throw ExitCode(3) }
        return String(cString: typed)
    }
}
