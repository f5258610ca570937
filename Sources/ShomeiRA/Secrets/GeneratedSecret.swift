import Foundation
import ShomeiDomain

/// Secrets Shomei makes: initial passwords, activation codes, identifiers and session tokens.
public enum GeneratedSecret {
    /// Letters and digits without look-alikes (0/O, 1/l/I), so a password read aloud on the
    /// phone or typed from a letter is typed right.
    private static let passwordAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")

    public static func password(length: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in passwordAlphabet.randomElement(using: &generator)! })
    }

    /// Digits only: activation codes go on paper and are typed on a numeric keypad.
    static func activationCode(digits: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
    }

    static func identifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexEncoded
    }

    /// 256 random bits, base64url without padding: cookie- and header-safe (session and CSRF tokens).
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
