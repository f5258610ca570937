/// Failures inside the PKI module that are not a person's input being refused
/// (those are `ShomeiError`): corrupt files, unsupported structures.
public enum ShomeiPKIError: Error, Sendable, Equatable {
    case unsupportedCAKey
    case malformedEncryptedKey(String)
    case unsupportedEncryption(String)
    case decryptionFailed
    case malformedContainer(String)
}
