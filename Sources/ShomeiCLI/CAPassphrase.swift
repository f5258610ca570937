import Foundation
import ShomeiDomain

/// Where the CA key passphrase comes from, in order: `SHOMEI_CA_PASSPHRASE`,
/// `SHOMEI_CA_PASSPHRASE_FILE`, or (development mode) the data folder's generated file.
enum CAPassphrase {
    static func resolve(_ folder: DataFolder, environment: [String: String]) throws -> String {
        if let value = environment["SHOMEI_CA_PASSPHRASE"], !value.isEmpty { return value }
        if let path = environment["SHOMEI_CA_PASSPHRASE_FILE"], !path.isEmpty {
            return try read(URL(fileURLWithPath: path))
        }
        if FileManager.default.fileExists(atPath: folder.developmentPassphraseFile.path) {
            return try read(folder.developmentPassphraseFile)
        }
        throw ShomeiError.caPassphraseMissing
    }

    /// For `init`: an explicit passphrase, or a new development one written next to the keys.
    static func forNewInstallation(_ folder: DataFolder, environment: [String: String]) throws -> (String, isDevelopment: Bool) {
        if let passphrase = try? resolve(folder, environment: environment) { return (passphrase, false) }
        let passphrase = randomPassphrase()
        try FileManager.default.createDirectory(at: folder.caFolder, withIntermediateDirectories: true)
        try folder.write(Data((passphrase + "\n").utf8), to: folder.developmentPassphraseFile, mode: 0o600)
        return (passphrase, true)
    }

    private static func read(_ file: URL) throws -> String {
        let passphrase = try InputFile.secret(file.path)
        guard !passphrase.isEmpty else { throw ShomeiError.caPassphraseMissing }
        return passphrase
    }

    private static func randomPassphrase() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexEncoded
    }
}
