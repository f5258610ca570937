/// Every refusal Shomei can give a person, whatever surface they use.
///
/// Each case carries what the message needs; the words themselves live in `Messages.swift`, so a
/// CLI exit message, an HTTP error body and a portal page all say the same thing.
public enum ShomeiError: Error, Sendable, Equatable {
    case invalidContractID(String)
    case invalidUserID(String)
    case invalidEmail(String)
    case invalidName(String)
    case invalidPassword
    case invalidSerial(String)
    case contractNotFound(ContractID)
    case contractExists(ContractID)
    case userNotFound(UserKey)
    case userExists(UserKey)
    case userDisabled(UserKey)
    case userLocked(UserKey)
    case userNotLocked(UserKey)
    case passwordWrong(remainingAttempts: Int)
    /// A wrong password after a certificate login, where no ID was typed.
    case loginPasswordWrong(remainingAttempts: Int)
    case certificateNotFound(String)
    case certificateAlreadyRevoked(String)
    case unknownRevocationReason(String)
    case revocationReasonNotOffered(RevocationReason)
    case noActivationCode(UserKey)
    case activationCodeWrong(remainingAttempts: Int)
    case activationCodeUsed
    case activationCodeExpired
    case activationCodeLocked
    case csrNotDecodable
    case csrSignatureInvalid
    case keyTooWeak(bits: Int)
    case unsupportedKey(String)
    case caNotInitialised(String)
    case caPassphraseMissing
    case caPassphraseWrong
    case dataFolderExists(String)
    case invalidConfiguration(String)
    case invalidPolicy(String)
    case invalidDate(String)
    case renewalNotAllowed(LifecycleStatus.State)
    case reacquisitionNotAllowed(LifecycleStatus.State)
    /// The key is in a certificate of this user before (a renewal or re-issue needs a new key).
    case keyReused
    /// The key is in a certificate of another user (of this contract or another).
    case keyInUse
    /// A certificate with this key was revoked because the key was compromised: never again.
    case keyCompromised
    /// Other issuances for the same user kept committing first, or more tries are under way for
    /// the user at once than the password limit allows (see `RegistrationAuthority+Issuance`).
    case issuanceContended
    case outboxMessageNotFound(String)
    case requestContentTypeWrong(expected: String)
    case storageMediumUnknown(String)
    case credentialsRequired
    case clientCertificateRequired
    case certificateNotAccepted(CertificateRefusal)
    /// The contract logs in with certificates, and no certificate came with the request.
    case certificateLoginRequired
    case sessionEnded(SessionEnd)
    /// A form or script request without the session's CSRF token, or with another one.
    case csrfTokenInvalid
    case formFieldMissing(String)
    case applicationActionNotAllowed(ApplicationAction, ApplicationStatus?)
    /// 再提出要 needs a comment the customer can act on.
    case bankCommentRequired
    case applicationInvalid([FieldProblem])
    case applicationNotFound(String)
    case applicationTypeUnavailable(String)
    /// 受付済 of a 03 asking for the login method the contract already uses.
    case loginMethodAlreadyInUse(Contract.LoginMethod)
    /// 受付済 of a 03 while another accepted 03 of the contract is still to be carried out.
    case loginMethodChangePending(applicationID: String)
    case invalidStaffID(String)
    case staffExists(String)
    case staffNotFound(String)
    /// Wrong ID or password at the console (which one is not said).
    case staffLoginFailed
    case staffLocked
    /// The staff role may not do this (an auditor deciding an application).
    case staffNotPermitted
    /// A 管理 action the customer's user may not take (`CustomerAdministration`).
    case administrationRefused(AdministrationRefusal)
    /// The user has no 確認用パスワード yet (the bank, or the master, sets it).
    case confirmationPasswordNotSet
    case confirmationPasswordWrong(remainingAttempts: Int)
    /// Too many wrong 確認用パスワード: locked until it is set again.
    case confirmationPasswordLocked
    /// A 確認用パスワード must differ from the user's login password.
    case confirmationPasswordSameAsLogin
    /// A 管理 confirmation page showed the user as they were: they have changed since.
    case administrationFormStale
    /// A new password must differ from the one it replaces.
    case passwordUnchanged
    /// 利用者情報変更 with every field as it already is.
    case nothingChanged
    /// A portal page that is not there for this user (the 管理 menu for a general user, an
    /// action that does not apply): 404, with the menu to go on from.
    case pageNotFound
    /// The new password and its repetition differ.
    case passwordRepeatMismatch
    /// The login password was set by someone else and must be changed before anything else.
    case passwordChangeRequired
    /// Four-eyes: the approver must be someone other than the requester.
    case fourEyesSamePerson
    case directActionDecided
    case directActionNotFound(String)
    /// Free text (a comment, a reason) holds a character no one can see or that changes how the
    /// text reads (`TextRules`), named as U+XXXX.
    case characterNotAllowed(String)
    /// A form body that is not valid `application/x-www-form-urlencoded` (bad percent-encoding,
    /// or bytes that are not UTF-8).
    case formNotDecodable
    /// A file a command was given cannot be read (missing, a folder, no permission).
    case fileUnreadable(String)
    /// A request body over the surface's limit.
    case requestTooLarge(maximumBytes: Int)
    /// The database cannot be reached just now (stopped, restarting, unreachable): nothing was
    /// done; the same request will work once it is back.
    case serviceUnavailable
    /// An API call without a bearer token, or with one that is unknown or revoked (which of
    /// these is not said).
    case apiTokenInvalid
    /// The API client's scopes do not include the one this call needs.
    case apiScopeMissing(APIScope)
    case invalidAPIClientName(String)
    case unknownAPIScope(String)
    case apiClientExists(String)
    case apiClientNotFound(String)
    /// A bank API path that the OpenAPI document does not list, with any method.
    case apiOperationNotFound(method: String, path: String)
    /// A bank API path the document lists, asked with a method it does not take there.
    case apiMethodNotAllowed(method: String, path: String, allowed: [String])
    /// An `Idempotency-Key` used before with another request.
    case idempotencyKeyReused
    /// An `Idempotency-Key` whose first request is still being answered.
    case idempotencyKeyInFlight
    /// A JSON or CSV body that does not read as the call's input; says where, when known.
    case requestBodyInvalid(String)
    /// A path or query parameter that is not what the call takes (named).
    case requestParameterInvalid(String)
    /// More rows in one bulk request than it takes.
    case tooManyRows(maximum: Int)
    /// 停止解除 of a user that is not stopped.
    case userNotDisabled(UserKey)
    /// A name typed with 半角カナ (the character).
    case nameHalfWidthKatakana(String)
    /// A PKCS#11 token refused or failed (the PIN, the token, an object on it).
    case token(TokenProblem)
    /// Something failed that is not the person's doing (a database error, a bug): they are told
    /// so in general words, and the details go to the log.
    case internalError

    /// The broad kind of refusal, which picks the CLI exit code and the HTTP status.
    public enum Category: Sendable {
        case invalidInput, notFound, conflict, refused, configuration
        /// A dependency (the database) is away for the moment: try again later.
        case unavailable
    }

    public var category: Category {
        switch self {
        case .invalidContractID, .invalidUserID, .invalidEmail, .invalidName, .invalidPassword, .invalidSerial,
            .unknownRevocationReason, .revocationReasonNotOffered, .nameHalfWidthKatakana, .csrNotDecodable, .csrSignatureInvalid,
            .keyTooWeak, .unsupportedKey, .invalidDate, .keyReused, .keyInUse, .keyCompromised, .requestContentTypeWrong,
            .storageMediumUnknown, .formFieldMissing, .bankCommentRequired, .applicationInvalid, .invalidStaffID, .requestTooLarge,
            .fileUnreadable, .characterNotAllowed, .formNotDecodable, .confirmationPasswordSameAsLogin, .passwordUnchanged, .passwordRepeatMismatch, .nothingChanged,
            .invalidAPIClientName, .unknownAPIScope, .requestBodyInvalid, .requestParameterInvalid, .tooManyRows, .idempotencyKeyReused,
            .apiMethodNotAllowed:
            .invalidInput
        case .contractNotFound, .userNotFound, .certificateNotFound, .noActivationCode, .outboxMessageNotFound,
            .applicationNotFound, .applicationTypeUnavailable, .staffNotFound, .directActionNotFound, .apiClientNotFound, .pageNotFound,
            .apiOperationNotFound:
            .notFound
        case .contractExists, .userExists, .certificateAlreadyRevoked, .dataFolderExists, .userNotLocked, .staffExists,
            .issuanceContended, .apiClientExists, .idempotencyKeyInFlight, .userNotDisabled, .administrationFormStale,
            .loginMethodAlreadyInUse, .loginMethodChangePending:
            .conflict
        case .userDisabled, .userLocked, .passwordWrong, .loginPasswordWrong, .activationCodeWrong, .activationCodeUsed, .activationCodeExpired, .activationCodeLocked,
            .renewalNotAllowed, .reacquisitionNotAllowed, .credentialsRequired, .clientCertificateRequired,
            .certificateNotAccepted, .certificateLoginRequired, .sessionEnded, .csrfTokenInvalid, .applicationActionNotAllowed,
            .staffLoginFailed, .staffLocked, .staffNotPermitted, .administrationRefused, .confirmationPasswordNotSet, .confirmationPasswordWrong, .confirmationPasswordLocked,
            .fourEyesSamePerson, .directActionDecided, .apiTokenInvalid, .apiScopeMissing, .passwordChangeRequired:
            .refused
        case .caNotInitialised, .caPassphraseMissing, .caPassphraseWrong, .invalidConfiguration, .invalidPolicy, .internalError:
            .configuration
        case .serviceUnavailable:
            .unavailable
        case .token(let problem):
            problem.category
        }
    }

    public func message(_ language: Language) -> String {
        Message.error(self).text(language)
    }
}

extension ShomeiError {
    /// The case's name without what it carries (`passwordWrong`, not the attempts left): a
    /// stable, bounded word for a metric's label or a machine-readable error type. Read from the
    /// case itself, so a new case has one without a table to keep in step.
    public var name: String {
        Mirror(reflecting: self).children.first?.label ?? String(describing: self)
    }
}
