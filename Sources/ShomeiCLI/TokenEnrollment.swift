import ArgumentParser
import Foundation
import NIOCore
import NIOSSL
import ShomeiDomain
import ShomeiPKCS11
import ShomeiPKI
import X509

#if canImport(Glibc)
import Glibc
#endif

/// `--token`: the key is made on a PKCS#11 token (専用USB, seed 003) and never leaves it.
struct TokenOptions: ParsableArguments {
    @Option(help: "A pkcs11: URI (RFC 7512) naming the token, e.g. \"pkcs11:token=usbtoken\" (object= names the key).")
    var token: String?
    @Option(help: "The token's PKCS#11 module (else the URI's module-path, else SHOMEI_PKCS11_MODULE).")
    var pkcs11Module: String?
    @Option(help: "File with the token's user PIN (else the URI's pin-source, else asked without echo).")
    var pinFile: String?

    /// The module and the URI, or nil without `--token`.
    func selected(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (PKCS11Module, TokenURI)? {
        guard let token else { return nil }
        let uri = try TokenURI(parsing: token)
        guard let path = pkcs11Module ?? uri.modulePath ?? environment["SHOMEI_PKCS11_MODULE"] else {
            throw ShomeiError.formFieldMissing("--pkcs11-module")
        }
        return (try PKCS11Module.load(path), uri)
    }

    /// Opens a session with the token, logged in: the PIN is read into one buffer, used, wiped.
    func session(_ module: PKCS11Module, _ uri: TokenURI) throws -> TokenSession {
        let pin = try readPIN(uri)
        return try TokenSession(module: module, uri: uri, pin: pin)
    }

    /// The PIN on the file's first line; the bytes read are zeroed once copied.
    static func pin(fromFile path: String) throws -> SecretPIN {
        var bytes = try InputFile.data(path)
        defer { bytes.resetBytes(in: 0..<bytes.count) }
        return SecretPIN(bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") })
    }

    private func readPIN(_ uri: TokenURI) throws -> SecretPIN {
        if let path = pinFile ?? uri.pinSource.map({ $0.hasPrefix("file:") ? String($0.dropFirst(5)) : $0 }) {
            return try Self.pin(fromFile: path)
        }
        guard let typed = getpass(Message.tokenPINPrompt.text(.current)) else { throw ExitCode(3) }
        defer { explicit_bzero(typed, strlen(typed)) }
        return SecretPIN(UnsafeBufferPointer(start: UnsafeRawPointer(typed).assumingMemoryBound(to: UInt8.self), count: strlen(typed)))
    }
}

/// The issuing app's enrollment with the key on a token: the pair is made there (sensitive, not
/// extractable), the CSR signed there, the certificate checked against the token's public key
/// and the bank's root and written beside the key (same CKA_ID). If anything fails after the
/// pair was made, the pair is deleted, so the token is as it was.
struct TokenEnrollment {
    let session: TokenSession
    let label: String

    init(session: TokenSession, uri: TokenURI, user: UserKey) throws {
        self.session = session
        label = uri.object ?? "\(user.contractID)-\(user.userID)"
        guard try !session.holds(label: label) else { throw ShomeiError.token(.objectExists(label)) }
    }

    /// A CKA_ID for a new pair: 16 random bytes, so it never meets another pair's.
    static func newID() -> [UInt8] {
        (0..<16).map { _ in UInt8.random(in: .min ... .max) }
    }

    /// Until the server has issued, any failure deletes the new pair. Once it has (the code
    /// is spent), the pair is kept whatever happens: the certificate goes to the folder first,
    /// then onto the token beside its key.
    func enroll(
        _ type: ClientKeyType, commonName: String, trust: (root: Certificate, chain: [Certificate]),
        save: (Certificate, [Certificate]) throws -> Void, request: ([UInt8]) async throws -> Certificate
    ) async throws -> Certificate {
        let id = Self.newID()
        let pair = try session.generateKeyPair(type, label: label, id: id)
        let (certificate, chain) = try await TokenRenewal.obtain(pair, commonName: commonName, trust: trust, request: request)
        try save(certificate, chain)
        try session.store(certificate, label: label, id: id)
        return certificate
    }
}

/// Renewal with the key on a token: the TLS handshake signs with the current key there, a new
/// pair is made there under a provisional label, and only once the new certificate is stored
/// beside it are the old pair and certificate deleted and the new ones given the label. Stopped
/// at any point before that (a refusal, the token pulled out), the old pair still works.
struct TokenRenewal {
    let session: TokenSession
    let current: Certificate
    let currentPair: TokenKeyPair

    init(session: TokenSession, current: Certificate) throws {
        self.session = session
        self.current = current
        currentPair = try session.keyPair(id: try session.id(of: current))
    }

    /// What the handshake presents: the current certificate, its key signing on the token.
    var credential: ESTClient.ClientCredential {
        let rsa = currentPair.signatureAlgorithm == .sha256WithRSAEncryption
        return .init(certificate: current, key: NIOSSLPrivateKey(customPrivateKey: TokenTLSKey(pair: currentPair)), tls12Only: rsa)
    }

    /// The server supersedes the current certificate when it issues the new one, so from then
    /// on the new pair is the one that matters and is never deleted: the certificate goes to
    /// the folder first, then onto the token; only then are the current pair and its
    /// certificate (exactly those objects) deleted and the new ones given the label.
    func renew(
        _ type: ClientKeyType, trust: (root: Certificate, chain: [Certificate]),
        save: (Certificate, [Certificate]) throws -> Void, request: ([UInt8]) async throws -> Certificate
    ) async throws -> Certificate {
        let label = currentPair.label, provisional = currentPair.label + Self.provisionalSuffix
        let id = TokenEnrollment.newID()
        let pair = try session.generateKeyPair(type, label: provisional, id: id)
        let (certificate, chain) = try await Self.obtain(pair, commonName: current.subject.description, trust: trust, request: request)
        try save(certificate, chain)
        try session.store(certificate, label: provisional, id: id)
        for object in try session.certificateObjects(id: currentPair.id) { try session.destroy(object) }
        try currentPair.delete()
        try session.relabel(id: id, to: label)
        return certificate
    }

    /// What a new pair's label ends with until its renewal is finished.
    static let provisionalSuffix = " (renewing)"

    /// A renewal stopped after the server issued (the process killed, the token pulled out)
    /// left the new certificate in the folder and the new pair under its provisional label,
    /// perhaps without the certificate beside it, and the old pair in place. The next `renew
    /// --token` finishes it rather than renewing again (the old certificate was superseded when
    /// the new one was issued): the certificate is stored beside the new pair if it is not, the
    /// old pair of the label and its certificates (exactly those, as `renew` deletes them) are
    /// deleted, and the new ones get the label. Nil when the folder's certificate belongs to no
    /// provisional pair: nothing was left unfinished.
    static func finishInterrupted(on session: TokenSession, current: Certificate) throws -> TokenKeyPair? {
        guard let pair = try session.keyPairs(labelSuffix: provisionalSuffix).first(where: { $0.publicKey == current.publicKey })
        else { return nil }
        let label = String(pair.label.dropLast(provisionalSuffix.count))
        if try session.certificateObjects(id: pair.id).isEmpty { try session.store(current, label: pair.label, id: pair.id) }
        if let old = try oldPair(labelled: label, on: session) {
            for object in try session.certificateObjects(id: old.id) { try session.destroy(object) }
            try old.delete()
        }
        try session.relabel(id: pair.id, to: label)
        return try session.keyPair(id: pair.id)
    }

    /// The label's pair, nil when there is none; any other refusal (the token pulled out, the
    /// label twice) stops the renewal before the new pair takes a label that would then be ambiguous.
    private static func oldPair(labelled label: String, on session: TokenSession) throws -> TokenKeyPair? {
        do {
            return try session.keyPair(label: label)
        } catch ShomeiError.token(.objectNotFound(_)) {
            return nil
        }
    }

    /// The CSR signed by `pair`, sent, and the answer checked. A failure before the server has
    /// issued (or an answer that is not for this key) deletes the pair: nothing was spent on it.
    static func obtain(
        _ pair: TokenKeyPair, commonName: String, trust: (root: Certificate, chain: [Certificate]),
        request: ([UInt8]) async throws -> Certificate
    ) async throws -> (Certificate, [Certificate]) {
        do {
            let csr = try ClientKeyPair.signingRequest(commonName: commonName, privateKey: pair.privateKey, type: pair.type)
            let certificate = try await request(csr)
            return (certificate, try CredentialFolder.verifiedChain(of: certificate, for: pair.publicKey, trust: trust))
        } catch {
            try? pair.delete()
            throw error
        }
    }
}

/// The TLS client key of a renewal, on the token: swift-nio-ssl asks it to sign the handshake.
/// The token answers at once (a local call), so the signature is made on the event loop.
struct TokenTLSKey: NIOSSLCustomPrivateKey, Hashable {
    let pair: TokenKeyPair

    var signatureAlgorithms: [SignatureAlgorithm] {
        switch pair.signatureAlgorithm {
        case .ecdsaWithSHA256: [.ecdsaSecp256R1Sha256]
        case .ecdsaWithSHA384: [.ecdsaSecp384R1Sha384]
        default: [.rsaPkcs1Sha256]
        }
    }

    var derBytes: [UInt8] { [] }

    func sign(channel: any Channel, algorithm: SignatureAlgorithm, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        do {
            guard signatureAlgorithms.contains(algorithm) else { throw ShomeiError.token(.unsupported("TLS signature \(algorithm.rawValue)")) }
            let signature = try pair.signatureBytes(over: Array(buffer: data), pair.signatureAlgorithm)
            return channel.eventLoop.makeSucceededFuture(ByteBuffer(bytes: signature))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    func decrypt(channel: any Channel, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        channel.eventLoop.makeFailedFuture(ShomeiError.token(.unsupported("RSA key exchange")))
    }

    static func == (a: TokenTLSKey, b: TokenTLSKey) -> Bool { a.pair.id == b.pair.id && a.pair.label == b.pair.label }
    func hash(into hasher: inout Hasher) { hasher.combine(pair.id) }
}
