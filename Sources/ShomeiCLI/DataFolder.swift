import Foundation
import ShomeiDomain
import ShomeiPKI
import SwiftASN1
import X509

/// The on-disk home of one Shomei installation:
///
///     shomei.json            configuration
///     shomei.sqlite          the embedded store (unless SHOMEI_DATABASE_URL is set)
///     ca/root.pem            root CA certificate
///     ca/root.key.pem        root CA key, PKCS#8 encrypted (move offline in production)
///     ca/issuing.pem         issuing CA certificate
///     ca/issuing.key.pem     issuing CA key, PKCS#8 encrypted (absent when it is on an HSM)
///     ca/passphrase          development mode only: the generated key passphrase (0600)
public struct DataFolder: Sendable {
    public let url: URL

    public init(path: String) {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var configurationFile: URL { url.appendingPathComponent("shomei.json") }
    var sqliteFile: URL { url.appendingPathComponent("shomei.sqlite") }
    var caFolder: URL { url.appendingPathComponent("ca", isDirectory: true) }
    var rootCertificateFile: URL { caFolder.appendingPathComponent("root.pem") }
    var rootKeyFile: URL { caFolder.appendingPathComponent("root.key.pem") }
    var issuingCertificateFile: URL { caFolder.appendingPathComponent("issuing.pem") }
    var issuingKeyFile: URL { caFolder.appendingPathComponent("issuing.key.pem") }
    var developmentPassphraseFile: URL { caFolder.appendingPathComponent("passphrase") }

    public var exists: Bool { FileManager.default.fileExists(atPath: configurationFile.path) }

    public func loadConfiguration() throws -> ShomeiConfiguration {
        guard exists else { throw ShomeiError.caNotInitialised(url.path) }
        let configuration: ShomeiConfiguration
        do {
            configuration = try JSONDecoder().decode(ShomeiConfiguration.self, from: Data(contentsOf: configurationFile))
        } catch {
            throw ShomeiError.invalidConfiguration("\(configurationFile.path): \(error)")
        }
        try configuration.validate()
        return configuration
    }

    /// Writes configuration, certificates and encrypted keys of a new installation.
    func create(configuration: ShomeiConfiguration, hierarchy: CAHierarchy, passphrase: String) throws {
        try FileManager.default.createDirectory(at: caFolder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(encoder.encode(configuration), to: configurationFile, mode: 0o644)
        try write(Data((try hierarchy.root.pemString + "\n").utf8), to: rootCertificateFile, mode: 0o644)
        try write(Data((try hierarchy.issuing.pemString + "\n").utf8), to: issuingCertificateFile, mode: 0o644)
        for (key, file) in [(hierarchy.rootKey, rootKeyFile), (hierarchy.issuingKey, issuingKeyFile)] {
            // A key on an HSM has no file: it stays there.
            guard let pkcs8DER = key.pkcs8DER else { continue }
            let sealed = try EncryptedPrivateKeyInfo(sealing: pkcs8DER, passphrase: passphrase)
            try write(Data((try sealed.pemEncoded + "\n").utf8), to: file, mode: 0o600)
        }
    }

    /// The CA's certificates and keys, which `init` writes and never overwrites.
    private var caFiles: [URL] { [rootCertificateFile, rootKeyFile, issuingCertificateFile, issuingKeyFile] }

    var holdsCAFiles: Bool { caFiles.contains { FileManager.default.fileExists(atPath: $0.path) } }

    /// Everything `init` may write: configuration, CA files, a development passphrase, the
    /// embedded store (with SQLite's journal files) and `ca/` itself.
    private var installationFiles: [URL] {
        [configurationFile] + caFiles + [developmentPassphraseFile] + ["", "-wal", "-shm"].map { URL(fileURLWithPath: sqliteFile.path + $0) }
            + [caFolder]
    }

    /// The paths of `installationFiles` that exist now.
    func presentInstallationFiles() -> Set<String> {
        Set(installationFiles.map(\.path).filter { FileManager.default.fileExists(atPath: $0) })
    }

    /// Undoes a failed `init`: removes what of `installationFiles` was not in `before` (`ca/`
    /// only if that leaves it empty). Whatever was in the folder before `init` stays.
    func removeNewInstallation(keeping before: Set<String>) {
        for file in installationFiles where !before.contains(file.path) && FileManager.default.fileExists(atPath: file.path) {
            if file == caFolder, (try? FileManager.default.contentsOfDirectory(atPath: file.path))?.isEmpty != true { continue }
            try? FileManager.default.removeItem(at: file)
        }
    }

    func loadCertificate(_ file: URL) throws -> Certificate {
        guard FileManager.default.fileExists(atPath: file.path) else { throw ShomeiError.caNotInitialised(url.path) }
        return try Certificate(pemEncoded: String(decoding: try Data(contentsOf: file), as: UTF8.self))
    }

    /// Decrypts the issuing CA key; a wrong passphrase is reported as such, not as corruption.
    func loadIssuingKey(passphrase: String) throws -> CAPrivateKey {
        let sealed = try EncryptedPrivateKeyInfo(
            pemEncoded: String(decoding: try Data(contentsOf: issuingKeyFile), as: UTF8.self))
        do {
            return try CAPrivateKey(pkcs8DER: try sealed.open(passphrase: passphrase))
        } catch ShomeiPKIError.decryptionFailed, ShomeiPKIError.unsupportedCAKey {
            throw ShomeiError.caPassphraseWrong
        }
    }

    var tlsFolder: URL { url.appendingPathComponent("tls", isDirectory: true) }

    /// The HTTPS listener's certificate chain (PEM) and key: the configured files, or a development
    /// certificate from the issuing CA made on first use (key mode 0600).
    func serverTLS(_ server: ShomeiConfiguration.Server, issuing: Certificate, issuingKey: CAPrivateKey)
        throws -> (chain: [Certificate], keyPEM: String) {
        let certificateFile = url.appendingPathComponent(server.tlsCertificateFile ?? "tls/server.pem")
        let keyFile = url.appendingPathComponent(server.tlsKeyFile ?? "tls/server.key.pem")
        if server.tlsCertificateFile == nil, !FileManager.default.fileExists(atPath: certificateFile.path) {
            let names = Array(Set([server.host, "localhost", "127.0.0.1"])).sorted()
            let (certificate, key) = try ServerCertificate.issue(names: names, by: issuing, key: issuingKey, now: Date())
            try FileManager.default.createDirectory(at: tlsFolder, withIntermediateDirectories: true)
            try write(Data(key.pemRepresentation.utf8), to: keyFile, mode: 0o600)
            try write(Data((try certificate.pemString + "\n" + issuing.pemString + "\n").utf8), to: certificateFile, mode: 0o644)
        }
        let chain = try PEMDocument.parseMultiple(pemString: String(decoding: try Data(contentsOf: certificateFile), as: UTF8.self))
            .map { try Certificate(derEncoded: $0.derBytes) }
        return (chain, String(decoding: try Data(contentsOf: keyFile), as: UTF8.self))
    }

    func write(_ data: Data, to file: URL, mode: Int) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }
}
