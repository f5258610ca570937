import Foundation
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRevocation

/// The data folder's `shomei.json`: everything a bank configures. Written with defaults by
/// `shomei init`, edited by the bank, read by every command.
public struct ShomeiConfiguration: Codable, Sendable, Equatable {
    public struct Server: Codable, Sendable, Equatable {
        public var host: String
        public var port: Int
        /// The URL relying parties reach this server at; CRL, OCSP and CA URLs in certificates start with it.
        public var publicBaseURL: String
        /// The HTTPS listener (EST, later the portal); none when absent.
        public var httpsPort: Int?
        /// PEM certificate chain and PKCS#8 key of the HTTPS listener, relative to the data folder.
        /// Absent: a development certificate from the issuing CA, made on first start in `tls/`.
        public var tlsCertificateFile: String?
        public var tlsKeyFile: String?
        /// The HTTPS URL customers open (portal, EST), as shown in the issuing app's instructions.
        /// Absent: `https://localhost:<httpsPort>`.
        public var portalURL: String?
        /// A TLS-terminating reverse proxy in front of the pages (SPEC §4); none when absent.
        public var proxy: Proxy?
        /// `httpsPort` is the listening port actually used (`serve --https-port` may override the file).
        func portalAddress(httpsPort port: Int?) -> String { portalURL ?? "https://localhost:\(port ?? httpsPort ?? 8443)" }

        public init(host: String = "127.0.0.1", port: Int = 8080, publicBaseURL: String? = nil, httpsPort: Int? = 8443) {
            self.host = host
            self.port = port
            self.publicBaseURL = publicBaseURL ?? "http://\(host):\(port)"
            self.httpsPort = httpsPort
        }
    }

    /// Where a TLS-terminating proxy (nginx) forwards the portal, console and EST, and which of
    /// its addresses to believe when it passes the client certificate in a header.
    public struct Proxy: Codable, Sendable, Equatable {
        /// The plain-HTTP port on `server.host` the proxy forwards to.
        public var port: Int
        /// The proxy's own IP addresses; a request from any other is refused.
        public var trustedAddresses: [String]
        /// The header carrying the URL-encoded PEM certificate (nginx `$ssl_client_escaped_cert`);
        /// `X-SSL-Client-Cert` when absent.
        public var certificateHeader: String?
    }

    public var ca: CAHierarchy.Specification
    public var subject: SubjectTemplate
    public var certificates: ClientCertificateProfile
    public var activationCodes: ActivationCodePolicy
    public var server: Server
    /// Optional in the file so configurations written before CRLs existed still load.
    public var crl: CRLPublisher.Policy?

    var crlPolicy: CRLPublisher.Policy { crl ?? .init() }
    public var ocsp: OCSPResponder.Policy?
    var ocspPolicy: OCSPResponder.Policy { ocsp ?? .init() }
    /// Renewal window, notice offsets, re-acquisition grace (seed defaults when absent).
    public var lifecycle: LifecyclePolicy?
    var lifecyclePolicy: LifecyclePolicy { lifecycle ?? .init() }
    public var mail: Mail?
    /// Wrong passwords in a row that lock a user until `shomei user unlock` (default 5).
    public var passwordMaxAttempts: Int?
    /// Portal session timeouts (idle 15 min, absolute 8 h when absent).
    public var sessions: SessionPolicy?
    var sessionPolicy: SessionPolicy { sessions ?? .init() }

    /// Which 管理 actions customers' masters and administrators are offered (all, with a 24-hour
    /// re-issue code, when absent).
    public var customerAdministration: CustomerAdministrationPolicy?
    var customerAdministrationPolicy: CustomerAdministrationPolicy { customerAdministration ?? .init() }

    /// The issuing CA key on an HSM instead of `ca/issuing.key.pem` (docs/TOKENS.md).
    public var hsm: HSM?

    /// Where the issuing CA key lives when it is on an HSM; its PIN comes from
    /// `SHOMEI_HSM_PIN_FILE` (or `SHOMEI_HSM_PIN`), never from this file.
    public struct HSM: Codable, Sendable, Equatable {
        /// The vendor's PKCS#11 module.
        public var module: String
        /// `pkcs11:token=…;object=…` naming the issuing CA's key pair.
        public var issuingKey: String
        /// Sessions the issuing key signs on at once (1–64); one per core when absent. A
        /// network HSM, whose signature is mostly the round trip, wants more.
        public var sessions: Int?

        public init(module: String, issuingKey: String, sessions: Int? = nil) {
            self.module = module
            self.issuingKey = issuingKey
            self.sessions = sessions
        }

        /// The sessions to open: `sessions`, else one per core (at most 64).
        var signingSessions: Int { sessions ?? min(64, ProcessInfo.processInfo.activeProcessorCount) }
    }

    /// Extraordinary bank closures (臨時休業日) on top of weekends, holidays and 12/31–1/3.
    public var extraClosures: [CivilDate]?
    /// Folder of the bank's own application forms (`03.json` …), relative to the data folder
    /// (`forms` when absent; see docs/APPLICATIONS.md).
    public var formsFolder: String?
    var mailSettings: Mail { mail ?? .development }

    /// How notices are signed and sent.
    public struct Mail: Codable, Sendable, Equatable {
        public var signature: BankSignature
        public var smtp: SMTPSettings
        /// Folder of template overrides (`ja/renewal-due.mustache` …), relative to the data folder.
        public var templatesFolder: String
        public var deliveryIntervalSeconds: Int
        public var noticeIntervalSeconds: Int

        static let development = Mail(
            signature: BankSignature(bankName: "Shomei Development Bank", contactLine: "0120-000-000 (development)"),
            smtp: SMTPSettings(from: "noreply@bank.example"), templatesFolder: "templates", deliveryIntervalSeconds: 10, noticeIntervalSeconds: 60)
    }

    public static func development(server: Server = Server()) -> Self {
        let ca = CAHierarchy.Specification(
            organization: "Shomei Development Bank", rootName: "Shomei Development Root CA",
            issuingName: "Shomei Internet Banking Intermediate CA")
        return Self(
            ca: ca,
            subject: SubjectTemplate(organization: ca.organization, organizationalUnit: ca.issuingName, bankCode: "0000"),
            certificates: ClientCertificateProfile(baseURL: server.publicBaseURL),
            activationCodes: ActivationCodePolicy(),
            server: server,
            crl: CRLPublisher.Policy(),
            ocsp: OCSPResponder.Policy(),
            lifecycle: LifecyclePolicy(),
            mail: .development)
    }

    /// Dotted decimal, at least two arcs, the first 0–2 (X.660).
    static func isObjectIdentifier(_ text: String) -> Bool {
        let arcs = text.split(separator: ".", omittingEmptySubsequences: false)
        return arcs.count >= 2 && arcs.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } } && ["0", "1", "2"].contains(arcs[0])
    }

    /// Refuses settings that would make every later issuance fail or be wrong.
    func validate() throws(ShomeiError) {
        guard (1...825).contains(certificates.validityDays) else {
            throw .invalidConfiguration("certificates.validityDays must be 1–825")
        }
        guard certificates.policyOID.map(Self.isObjectIdentifier) ?? true else {
            throw .invalidConfiguration("certificates.policyOID must be a dotted OID such as 1.2.392.200001.1.1 (or absent)")
        }
        guard activationCodes.digits >= 8, activationCodes.maxAttempts >= 1, activationCodes.lifetimeSeconds > 0 else {
            throw .invalidConfiguration("activationCodes needs digits ≥ 8, maxAttempts ≥ 1, lifetimeSeconds > 0")
        }
        guard (1...720).contains(customerAdministrationPolicy.reissueCodeLifetimeHours) else {
            throw .invalidConfiguration("customerAdministration.reissueCodeLifetimeHours must be 1–720")
        }
        guard (1...65535).contains(server.port), (1...65535).contains(server.httpsPort ?? 1) else {
            throw .invalidConfiguration("server.port and server.httpsPort must be 1–65535")
        }
        guard (server.tlsCertificateFile == nil) == (server.tlsKeyFile == nil) else {
            throw .invalidConfiguration("server.tlsCertificateFile and server.tlsKeyFile go together")
        }
        guard crlPolicy.validityHours >= 1, crlPolicy.refreshMinutes >= 1,
            crlPolicy.refreshMinutes < crlPolicy.validityHours * 60
        else { throw .invalidConfiguration("crl.refreshMinutes must be ≥ 1 and shorter than crl.validityHours") }
        guard ocspPolicy.responseValidityMinutes >= 1, ocspPolicy.signerLifetimeHours >= 1 else {
            throw .invalidConfiguration("ocsp.responseValidityMinutes and ocsp.signerLifetimeHours must be ≥ 1")
        }
        guard subject.bankCode.allSatisfy(\.isNumber), !subject.bankCode.isEmpty else {
            throw .invalidConfiguration("subject.bankCode must be digits")
        }
        _ = try lifecyclePolicy.validated(validityDays: certificates.validityDays)
        _ = try sessionPolicy.validated()
        guard (1...64).contains(hsm?.sessions ?? 1) else { throw .invalidConfiguration("hsm.sessions must be 1–64") }
        guard (passwordMaxAttempts ?? 5) >= 1 else { throw .invalidConfiguration("passwordMaxAttempts must be ≥ 1") }
        guard (1...65535).contains(mailSettings.smtp.port), mailSettings.deliveryIntervalSeconds >= 1,
              mailSettings.noticeIntervalSeconds >= 1, mailSettings.smtp.timeoutSeconds >= 1 else {
            throw .invalidConfiguration("mail.smtp.port must be 1–65535 and the mail intervals and timeout ≥ 1")
        }
        guard (try? EmailAddress(mailSettings.smtp.from)) != nil else {
            throw .invalidConfiguration("mail.smtp.from must be an e-mail address")
        }
    }
}
