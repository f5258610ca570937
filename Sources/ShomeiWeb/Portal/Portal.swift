import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiPKI
import ShomeiRA

/// What the customer portal's routes need, passed in explicitly: the one RA of the process, the
/// sessions, the read-only portal queries and the applications desk.
public struct Portal: Sendable {
    let registration: RegistrationAuthority
    let sessions: PortalSessions
    let queries: PortalQueries
    let desk: ApplicationDesk
    let pages: PageRenderer
    let publication: CAPublication
    /// The HTTPS URL customers reach us at, for the issuing app's command lines.
    let publicURL: String

    public init(
        registration: RegistrationAuthority, sessions: PortalSessions, queries: PortalQueries, desk: ApplicationDesk,
        pages: PageRenderer, publication: CAPublication, publicURL: String
    ) {
        self.registration = registration
        self.sessions = sessions
        self.queries = queries
        self.desk = desk
        self.pages = pages
        self.publication = publication
        self.publicURL = publicURL
    }

    /// A logged-in page: the frame shows who is logged in and carries the session's CSRF token.
    func page(
        _ page: some PageView, title: String, _ context: PortalRequestContext, error: String? = nil, info: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let user = context.visit.user
        var frame = Frame(title: title, csrf: context.visit.session.csrfToken, error: error, info: info)
        frame.user = .init(contractId: user.key.contractID.rawValue, userId: user.key.userID.rawValue, name: user.name)
        return try pages.response(page, frame: frame, language: context.language, status: status)
    }

    /// メインメニュー, with a refusal on top when an action was refused (its status by the refusal).
    func menu(_ context: PortalRequestContext, refusal: ShomeiError? = nil, info: String? = nil) throws -> Response {
        try page(
            MenuPage(
                canRenew: PortalRoutes.canRenew(context.visit), canApply: desk.forms.filesAny(context.visit.user.role),
                canAdminister: CustomerAdministration.administers(context.visit.user.role)),
            title: Label.menuTitle.text(context.language), context, error: refusal?.message(context.language), info: info,
            status: refusal?.httpStatus ?? .ok)
    }

    /// The JSON the page script receives after an issuance: leaf and issuing CA as base64 DER,
    /// and what the completion screen shows.
    struct IssuedReply: Encodable {
        let certificate: String
        let chain: [String]
        let serial: String
        let subject: String
        let notAfter: String

        init(_ issued: IssuedCertificate, issuingDER: [UInt8], language: Language) {
            certificate = Data(issued.record.der).base64EncodedString()
            chain = [Data(issuingDER).base64EncodedString()]
            serial = issued.record.serial.uppercased()
            subject = issued.record.subject
            notAfter = TokyoTime.formatForCustomer(issued.record.notAfter, language)
        }
    }

    /// The script's request body: the CSR, and for issuance from the login screen the credentials.
    struct CertificateRequestBody: Decodable {
        let csr: String
        let contractId: String?
        let userId: String?
        let password: String?
        let activationCode: String?

        static func decode(_ request: Request) async throws -> CertificateRequestBody {
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                throw ShomeiError.requestContentTypeWrong(expected: "application/json")
            }
            var request = request
            let body = try await BrowserSupport.collect(&request, upTo: ESTRoutes.maximumRequestSize)
            guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(buffer: body)) else { throw ShomeiError.csrNotDecodable }
            return decoded
        }

        var csrDER: [UInt8] {
            get throws {
                guard let der = Data(base64Encoded: csr), !der.isEmpty else { throw ShomeiError.csrNotDecodable }
                return Array(der)
            }
        }

        var userKey: UserKey {
            get throws {
                guard let contractId, !contractId.isEmpty else { throw ShomeiError.credentialsRequired }
                guard let userId, !userId.isEmpty else { throw ShomeiError.credentialsRequired }
                return UserKey(contractID: try ContractID(contractId), userID: try UserID(userId))
            }
        }
    }

    /// Runs an issuance for the page script and answers in JSON: the certificate (a refusal is
    /// answered in JSON by the group's `RefusalMiddleware`, with the status EST would give).
    func issue(_ language: Language, _ body: () async throws -> IssuedCertificate) async throws -> Response {
        BrowserSupport.json(IssuedReply(try await body(), issuingDER: publication.issuingDER, language: language))
    }

    func enrollForm(endpoint: String, key: UserKey?, button: Label, credentials: Bool, activationCode: Bool, _ language: Language) -> EnrollForm {
        EnrollForm(
            endpoint: endpoint, commonName: key.map { "\($0.contractID)\($0.userID)" } ?? "shomei",
            fileName: key.map { "shomei-\($0.contractID)-\($0.userID).p12" } ?? "shomei-certificate.p12",
            passwordMessage: Message.pkcs12PasswordMismatch.text(language), button: button.text(language),
            credentials: credentials, activationCode: activationCode)
    }
}
