import HTTPTypes
import ShomeiDomain

extension ShomeiError {
    /// The one ShomeiError → HTTP status mapping, for every surface: EST, the page scripts, the
    /// portal and the console.
    ///
    /// A wrong secret is 401 (with `WWW-Authenticate` on EST). An unknown contract or user never
    /// reaches here on an authentication path: the registration authority refuses it exactly as a
    /// wrong password (`SecretCheck`), so "not found" means an operator's or a page's missing record.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .passwordWrong, .loginPasswordWrong, .invalidContractID, .invalidUserID, .credentialsRequired, .clientCertificateRequired,
            .staffLoginFailed, .apiTokenInvalid:
            .unauthorized
        case .idempotencyKeyReused: .unprocessableContent
        case .requestContentTypeWrong: .unsupportedMediaType
        case .requestTooLarge: .contentTooLarge
        case .apiMethodNotAllowed: .methodNotAllowed
        default:
            switch category {
            case .invalidInput: .badRequest
            case .notFound: .notFound
            case .refused: .forbidden
            case .conflict: .conflict
            case .configuration: .internalServerError
            case .unavailable: .serviceUnavailable
            }
        }
    }
}
