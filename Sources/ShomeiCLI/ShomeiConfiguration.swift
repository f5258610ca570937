import ShomeiDomain
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

        public init(host: String = "127.0.0.1", port: Int = 8080, publicBaseURL: String? = nil) {
            self.host = host
            self.port = port
            self.publicBaseURL = publicBaseURL ?? "http://\(host):\(port)"
        }
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
            ocsp: OCSPResponder.Policy())
    }

    /// Refuses settings that would make every later issuance fail or be wrong.
    func validate() throws(ShomeiError) {
        guard (1...825).contains(certificates.validityDays) else {
            throw .invalidConfiguration("certificates.validityDays must be 1–825")
        }
        guard activationCodes.digits >= 8, activationCodes.maxAttempts >= 1, activationCodes.lifetimeSeconds > 0 else {
            throw .invalidConfiguration("activationCodes needs digits ≥ 8, maxAttempts ≥ 1, lifetimeSeconds > 0")
        }
        guard (1...65535).contains(server.port) else { throw .invalidConfiguration("server.port must be 1–65535") }
        guard crlPolicy.validityHours >= 1, crlPolicy.refreshMinutes >= 1,
            crlPolicy.refreshMinutes < crlPolicy.validityHours * 60
        else { throw .invalidConfiguration("crl.refreshMinutes must be ≥ 1 and shorter than crl.validityHours") }
        guard ocspPolicy.responseValidityMinutes >= 1, ocspPolicy.signerLifetimeHours >= 1 else {
            throw .invalidConfiguration("ocsp.responseValidityMinutes and ocsp.signerLifetimeHours must be ≥ 1")
        }
        guard subject.bankCode.allSatisfy(\.isNumber), !subject.bankCode.isEmpty else {
            throw .invalidConfiguration("subject.bankCode must be digits")
        }
    }
}
