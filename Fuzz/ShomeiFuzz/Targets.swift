import Foundation
import HTTPTypes
import NIOCore
import ShomeiDomain
import ShomeiPKI
import ShomeiWeb

/// Every parser that reads outside input, as a fuzz target: bytes in, no crash, no hang, no leak,
/// and what a parser accepts must hold up (the check after each parse). `Tools/fuzz.sh` runs
/// each under libFuzzer with AddressSanitizer; a normal build replays the committed corpus.
enum FuzzTargets {
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "csr": csr, "ocsp-request": ocspRequest, "ocsp-get-path": ocspGetPath, "pkcs12": pkcs12, "pkcs7": pkcs7,
        "est-body": estBody, "form": form, "proxy-header": proxyHeader,
    ]

    /// PKCS#10, PEM or DER: a request that verifies has a key the key policy can name.
    static func csr(_ bytes: [UInt8]) {
        guard let request = try? VerifiedSigningRequest(pemOrDER: bytes) else { return }
        precondition(request.publicKey.keySHA256.count == 64)
    }

    /// An OCSP request as POSTed: one that decodes names at least one certificate.
    static func ocspRequest(_ bytes: [UInt8]) {
        guard let request = try? OCSPRequest(derEncoded: bytes) else { return }
        precondition(!request.certIDs.isEmpty)
    }

    /// An OCSP GET path (percent-escaped base64), then the request it decodes to.
    static func ocspGetPath(_ bytes: [UInt8]) {
        guard let path = String(validating: bytes, as: UTF8.self), let der = PublicationEndpoints.decodeBase64Path(path[...]) else { return }
        ocspRequest(der)
    }

    /// A PKCS#12 file (the issuing app reads one back): wrong passwords and broken MACs are refused.
    static func pkcs12(_ bytes: [UInt8]) {
        guard let contents = try? PKCS12.decode(bytes, password: "fuzz-password") else { return }
        precondition(!contents.pkcs8.isEmpty)
    }

    /// A certs-only PKCS#7 (EST answers, `cacerts`).
    static func pkcs7(_ bytes: [UInt8]) {
        _ = try? CertsOnlyPKCS7.certificates(in: bytes)
    }

    /// An EST request body: base64 (whitespace tolerated) of a CSR.
    static func estBody(_ bytes: [UInt8]) {
        guard let der = try? ESTRoutes.csr(fromBody: ByteBuffer(bytes: bytes)) else { return }
        csr(der)
    }

    /// An HTML form body: a field that decodes is text, never a half-decoded escape.
    static func form(_ bytes: [UInt8]) {
        guard let fields = try? FormFields.parse(ByteBuffer(bytes: bytes)) else { return }
        for (name, _) in fields { precondition(!name.isEmpty) }
    }

    /// The client certificate header a trusted proxy passes (URL-encoded PEM).
    static func proxyHeader(_ bytes: [UInt8]) {
        guard let value = String(validating: bytes, as: UTF8.self), let name = HTTPField.Name("X-SSL-Client-Cert") else { return }
        var headers = HTTPFields()
        headers[name] = value
        _ = try? proxy.certificate(from: try? SocketAddress(ipAddress: "127.0.0.1", port: 1), headers: headers)
    }

    private static let proxy = try! ProxyTrust(addresses: ["127.0.0.1"])
}
