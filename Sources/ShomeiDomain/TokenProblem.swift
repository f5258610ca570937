/// What went wrong with a PKCS#11 token (the customer's 専用USB, or the bank's HSM), in the
/// terms its holder acts on: the words are in `Messages`, the exit code follows the category.
public enum TokenProblem: Sendable, Equatable {
    /// The PIN was refused; the token's own counter says whether tries are running out.
    case pinIncorrect(PINTries)
    /// A PIN shorter or longer than the token takes (an empty one included): refused before
    /// it reaches the token, so it costs no try.
    case pinLength(ClosedRange<Int>)
    /// Too many wrong PINs: the token refuses every login until its security officer resets it.
    case pinLocked
    /// No token with this label is plugged in (or it was pulled out during the operation).
    case tokenAbsent(label: String)
    /// Nothing on the token matches (`object=` / `id=` of the URI).
    case objectNotFound(String)
    /// Two objects carry the label, so which one is meant is not clear.
    case labelAmbiguous(String)
    /// A key or certificate with this label is already on the token (nothing is overwritten).
    case objectExists(String)
    /// The token has no room for another key or certificate.
    case noSpace
    /// The file is not a PKCS#11 module (no `C_GetFunctionList`), or cannot be loaded.
    case notAModule(path: String)
    /// A `pkcs11:` URI that does not follow RFC 7512.
    case invalidURI(String)
    /// The token cannot do what was asked (the key type, the mechanism).
    case unsupported(String)
    /// The key asks for the PIN again before every signature (CKA_ALWAYS_AUTHENTICATE, as a
    /// PIV card's signature key does). Shomei wipes the PIN after the login, so such a key could
    /// never sign: it is refused when it is found, not at its first signature.
    case pinAtEverySignature(label: String)
    /// Any other return value, by its PKCS#11 name (`CKR_GENERAL_ERROR`).
    case failed(String)

    /// What the token said about its PIN counter when it refused (CKF_USER_PIN_COUNT_LOW / FINAL_TRY).
    public enum PINTries: Sendable, Equatable {
        case unknown, low, finalTry
    }

    public var category: ShomeiError.Category {
        switch self {
        case .pinIncorrect, .pinLocked, .noSpace: .refused
        case .tokenAbsent: .unavailable
        case .objectNotFound: .notFound
        case .labelAmbiguous, .objectExists: .conflict
        case .invalidURI, .pinLength: .invalidInput
        case .notAModule, .unsupported, .pinAtEverySignature, .failed: .configuration
        }
    }
}
