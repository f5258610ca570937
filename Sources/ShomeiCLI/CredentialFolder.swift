import Foundation
import ShomeiPKI
import SwiftASN1
import X509

/// The files `shomei enroll` writes and `shomei renew` reads: `key.pem` (PKCS#8, mode 0600),
/// `certificate.pem`, `chain.pem` (issuing CA and root), `ca.pem` (the pinned root) and
/// `certificate.p12` (key + chain, password-protected, for browsers and Windows; mode 0600).
/// With `--token` only the certificate, chain and root are written: the key stays on the token.
struct CredentialFolder {
    let url: URL

    init(path: String) { url = URL(fileURLWithPath: path, isDirectory: true) }

    private func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func pinnedRoot() throws -> Certificate? {
        guard FileManager.default.fileExists(atPath: file("ca.pem").path) else { return nil }
        return try Certificate(pemEncoded: String(decoding: try Data(contentsOf: file("ca.pem")), as: UTF8.self))
    }

    func current() throws -> (Certificate, ClientKeyPair) {
        (try currentCertificate(), try ClientKeyPair(pkcs8PEM: String(decoding: try Data(contentsOf: file("key.pem")), as: UTF8.self)))
    }

    func currentCertificate() throws -> Certificate {
        try Certificate(pemEncoded: String(decoding: try Data(contentsOf: file("certificate.pem")), as: UTF8.self))
    }

    /// The issuing CA and the root, once the certificate is shown to be for `publicKey` (our
    /// key, in memory or on a token) and issued by the CA the root vouches for.
    static func verifiedChain(
        of certificate: Certificate, for publicKey: Certificate.PublicKey, trust: (root: Certificate, chain: [Certificate])
    ) throws -> [Certificate] {
        guard certificate.publicKey == publicKey,
              let issuer = trust.chain.first(where: { $0.subject == certificate.issuer }),
              issuer.publicKey.isValidSignature(certificate.signature, for: certificate),
              trust.root.publicKey.isValidSignature(issuer.signature, for: issuer)
        else { throw ESTClient.Refusal(status: 200, message: "the certificate returned does not match our key or the bank's CA") }
        return [issuer, trust.root]
    }

    /// Checks the certificate and writes the files.
    func save(certificate: Certificate, key: ClientKeyPair, trust: (root: Certificate, chain: [Certificate]), p12Password: String) throws {
        let chain = try Self.verifiedChain(of: certificate, for: key.privateKey.publicKey, trust: trust)
        try saveCertificate(certificate, chain: chain)
        try write(key.pemPKCS8, "key.pem", mode: 0o600)
        let p12 = try PKCS12.encode(pkcs8: key.pkcs8DER, chain: [certificate] + chain, password: p12Password,
                                    friendlyName: certificate.subject.description)
        try writeBytes(Data(p12), "certificate.p12", mode: 0o600)
    }

    /// The certificate, its chain and the pinned root, without a key (a token's key stays on it).
    func saveCertificate(_ certificate: Certificate, chain: [Certificate]) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try write(try certificate.pemString + "\n", "certificate.pem", mode: 0o644)
        try write(try chain.map { try $0.pemString + "\n" }.joined(), "chain.pem", mode: 0o644)
        try write(try chain[chain.count - 1].pemString + "\n", "ca.pem", mode: 0o644)
    }

    private func write(_ text: String, _ name: String, mode: Int) throws {
        try writeBytes(Data(text.utf8), name, mode: mode)
    }

    /// Replaces the file atomically enough for one user: remove, then create with its mode.
    private func writeBytes(_ data: Data, _ name: String, mode: Int) throws {
        try? FileManager.default.removeItem(at: file(name))
        guard FileManager.default.createFile(atPath: file(name).path, contents: data, attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file(name).path])
        }
    }
}
