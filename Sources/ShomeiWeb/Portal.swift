import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiPKI
import ShomeiRA

/// What the customer portal's routes need, passed in explicitly.
public struct Portal: Sendable {
    public let registration: RegistrationAuthority
    public let sessions: PortalSessions
    public let pages: PageRenderer
    public let publication: CAPublication
    /// The HTTPS URL customers reach us at, for the issuing app's command lines.
    public let publicURL: String
    /// 各種申込サービス.
    public let desk: ApplicationDesk

    public init(
        registration: RegistrationAuthority, sessions: PortalSessions, pages: PageRenderer, publication: CAPublication,
        publicURL: String, desk: ApplicationDesk
    ) {
        self.desk = desk
        self.registration = registration
        self.sessions = sessions
        self.pages = pages
        self.publication = publication
        self.publicURL = publicURL
    }

    /// Runs `body` for a request of a logged-in customer; without a live session the browser is
    /// sent to the login page, which says why.
    func withVisit(
        _ request: Request, _ context: SecureRequestContext, _ body: (PortalVisit) async throws -> Response
    ) async throws -> Response {
        switch try await visit(request, context) {
        case .success(let visit): return try await body(visit)
        case .failure(.sessionEnded(let end)): return BrowserSupport.redirect("/login?ended=\(end.rawValue)")
        case .failure: return BrowserSupport.redirect("/login")
        }
    }

    func visit(_ request: Request, _ context: SecureRequestContext) async throws -> Result<PortalVisit, ShomeiError> {
        guard let token = request.cookies[BrowserSupport.sessionCookie]?.value else { return .failure(.sessionEnded(.loggedOut)) }
        return try await sessions.resume(token: token, presenting: context.clientCertificate)
    }

    /// A state-changing request must carry the session's CSRF token; a missing or wrong one is
    /// refused with a page that says so, and audited.
    func checkCSRF(_ sent: String?, _ visit: PortalVisit, path: String) async throws -> ShomeiError? {
        guard BrowserSupport.csrfMatches(sent, expected: visit.session.csrfToken) else {
            try await sessions.auditRefusal(.csrfTokenInvalid, session: visit.session, path: path)
            return .csrfTokenInvalid
        }
        return nil
    }

    /// Values every logged-in page shows in its frame.
    func frame(_ visit: PortalVisit) -> [String: Any] {
        [
            "user": ["contractId": visit.user.key.contractID.rawValue, "userId": visit.user.key.userID.rawValue, "name": visit.user.name],
            "csrf": visit.session.csrfToken,
        ]
    }

    func page(
        _ name: String, title: String, _ visit: PortalVisit, _ language: Language, _ values: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.response(name, title: title, language: language, values: frame(visit).merging(values) { $1 }, status: status)
    }

    /// メインメニュー, with a refusal on top when an action was refused (status by the refusal's kind).
    func menu(_ visit: PortalVisit, _ language: Language, refusal: ShomeiError? = nil) -> Response {
        page("menu", title: ScreenText.table(language)["menuTitle"]!, visit, language, [
            "error": refusal?.message(language) as Any, "canRenew": PortalRoutes.canRenew(visit), "canApply": visit.user.role != .general,
        ], status: refusal.map { $0.category == .notFound ? .notFound : ESTRoutes.status(for: $0) } ?? .ok)
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
            let body = try await request.body.collect(upTo: ESTRoutes.maximumRequestSize)
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

    /// Runs an issuance for the page script and answers in JSON: the certificate, or the refusal
    /// in the page's language with the same status EST would give.
    func issue(_ language: Language, _ body: () async throws -> IssuedCertificate) async -> Response {
        do {
            return BrowserSupport.json(IssuedReply(try await body(), issuingDER: publication.issuingDER, language: language))
        } catch let error as ShomeiError {
            return BrowserSupport.jsonError(error, language)
        } catch {
            return BrowserSupport.jsonError(.csrNotDecodable, language)
        }
    }

    func enrollForm(endpoint: String, key: UserKey?, button: String, credentials: Bool, activationCode: Bool, _ language: Language) -> [String: Any] {
        [
            "endpoint": endpoint,
            "commonName": key.map { "\($0.contractID)\($0.userID)" } ?? "shomei",
            "fileName": key.map { "shomei-\($0.contractID)-\($0.userID).p12" } ?? "shomei-certificate.p12",
            "passwordMessage": Message.pkcs12PasswordMismatch.text(language),
            "button": button,
            "credentials": credentials,
            "activationCode": activationCode,
        ]
    }
}
