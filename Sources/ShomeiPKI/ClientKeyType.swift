import ShomeiDomain

/// The customer key types a client certificate may carry (SPEC §2): RSA 2048/3072/4096 or
/// ECDSA P-256/P-384. Everything else is refused with a message naming what was sent.
public enum ClientKeyType: String, Sendable, Codable, Equatable {
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case rsa4096 = "rsa-4096"
    case p256 = "ecdsa-p256"
    case p384 = "ecdsa-p384"

    public static func rsa(bits: Int) throws(ShomeiError) -> Self {
        switch bits {
        case 2048: .rsa2048
        case 3072: .rsa3072
        case 4096: .rsa4096
        case ..<2048: throw .keyTooWeak(bits: bits)
        default: throw .unsupportedKey("RSA \(bits)")
        }
    }

    /// RSA keys may encipher (TLS 1.2 RSA key exchange); EC keys only sign.
    public var allowsKeyEncipherment: Bool {
        switch self {
        case .rsa2048, .rsa3072, .rsa4096: true
        case .p256, .p384: false
        }
    }
}
