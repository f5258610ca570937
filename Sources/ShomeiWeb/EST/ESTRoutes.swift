import Foundation
import HTTPTypes
import Hummingbird
import ShomeiDomain
import ShomeiPKI
import ShomeiRA

/// Enrollment over Secure Transport (RFC 7030) under `/.well-known/est/`, on the HTTPS listener.
///
/// - `cacerts`: the issuing and root CA, certs-only PKCS#7, base64.
/// - `simpleenroll`: first issuance (HTTP Basic `<contract>/<user>` + password, and the one-time
///   code in `X-Shomei-Activation-Code`) or, without a code, re-acquisition after expiry.
/// - `simplereenroll`: renewal, authenticated by the current certificate in the TLS handshake.
///
/// Bodies are base64 PKCS#10 in (line breaks and other whitespace tolerated), base64 PKCS#7 out,
/// unwrapped as RFC 8951 (which updates RFC 7030) asks: RFC 4648 §4 base64 has no line breaks,
/// and GNU `base64 -d` refuses the CRLF form. `X-Shomei-Storage-Medium: pc|usb` records
/// where the key lives. Refusals are `text/plain` in the client's language (`Accept-Language`,
/// Japanese unless it asks for English), with the status every surface gives (`httpStatus`).
public enum ESTRoutes {
    static let activationCodeHeader = HTTPField.Name("X-Shomei-Activation-Code")!
    static let mediumHeader = HTTPField.Name("X-Shomei-Storage-Medium")!
    static let maximumRequestSize = 64 * 1024

    static func add(to router: Router<SecureRequestContext>, publication: CAPublication, registration: RegistrationAuthority) {
        let est = router.group(".well-known/est").add(middleware: RefusalMiddleware<SecureRequestContext> { refusal, request, _ in
            refusalResponse(refusal, language: language(of: request))
        })
        est.get("cacerts") { _, _ in
            pkcs7(publication.estCACerts)
        }
        est.post("simpleenroll") { request, _ in
            try await answer(request) { csr, medium in
                let (key, password) = try basicCredentials(request)
                if let code = request.headers[activationCodeHeader] {
                    return try await registration.issueCertificate(
                        for: key, password: password, activationCode: code, csr: csr, medium: medium)
                }
                return try await registration.reacquireCertificate(for: key, password: password, csr: csr, medium: medium)
            }
        }
        est.post("simplereenroll") { request, context in
            try await answer(request) { csr, medium in
                guard let presented = context.clientCertificate else { throw ShomeiError.clientCertificateRequired }
                return try await registration.renewCertificate(presenting: presented.serialHex, csr: csr, medium: medium)
            }
        }
    }

    /// Checks the request's form, runs the enrollment, and answers with the certificate.
    static func answer(
        _ request: Request, _ enroll: ([UInt8], StorageMedium) async throws -> IssuedCertificate
    ) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/pkcs10") == true else {
            throw ShomeiError.requestContentTypeWrong(expected: "application/pkcs10")
        }
        let medium = try request.headers[mediumHeader].map { value in
            guard let medium = StorageMedium(rawValue: value.lowercased()) else { throw ShomeiError.storageMediumUnknown(value) }
            return medium
        } ?? .pc
        var request = request
        let issued = try await enroll(try csr(fromBody: try await BrowserSupport.collect(&request, upTo: maximumRequestSize)), medium)
        return pkcs7(Data(try CertsOnlyPKCS7.encode([issued.certificate])).base64EncodedString())
    }

    /// The CSR's DER from a request body: base64, line breaks and other whitespace ignored.
    package static func csr(fromBody body: ByteBuffer) throws(ShomeiError) -> [UInt8] {
        guard let csr = Data(base64Encoded: String(buffer: body), options: .ignoreUnknownCharacters), !csr.isEmpty else {
            throw .csrNotDecodable
        }
        return Array(csr)
    }

    /// `Authorization: Basic base64("<contract>/<user>:<password>")`.
    static func basicCredentials(_ request: Request) throws -> (UserKey, String) {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw ShomeiError.credentialsRequired }
        let parts = text[..<colon].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ShomeiError.credentialsRequired }
        return (UserKey(contractID: try ContractID(String(parts[0])), userID: try UserID(String(parts[1]))),
                String(text[text.index(after: colon)...]))
    }

    static func pkcs7(_ base64: String) -> Response {
        Response(
            status: .ok,
            // Base64 body; no Content-Transfer-Encoding header, which HTTP does not use (RFC 8951 §3).
            headers: [.contentType: "application/pkcs7-mime; smime-type=certs-only"],
            body: .init(byteBuffer: ByteBuffer(string: base64)))
    }

    /// EST clients are programs: the language comes from `Accept-Language`, not the pages' cookie.
    private static func language(of request: Request) -> Language {
        request.headers[.acceptLanguage]?.hasPrefix("en") == true ? .english : .japanese
    }

    private static func refusalResponse(_ refusal: ShomeiError, language: Language) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if refusal.httpStatus == .unauthorized && refusal != .clientCertificateRequired {
            headers[.wwwAuthenticate] = "Basic realm=\"shomei-est\", charset=\"UTF-8\""
        }
        return Response(status: refusal.httpStatus, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: refusal.message(language) + "\n")))
    }
}
