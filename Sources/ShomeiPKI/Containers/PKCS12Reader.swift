import Crypto
import SwiftASN1
import X509

extension PKCS12 {
    /// What a PKCS#12 file holds: one private key (PKCS#8 DER) and certificates, leaf first when
    /// the file pairs them by `localKeyId` order as OpenSSL and Shomei write them.
    public struct Contents: Sendable {
        public let pkcs8: [UInt8]
        public let certificates: [Certificate]
    }

    static let pkcs7EncryptedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 6]

    /// Reads a file in the modern profile (ours, and OpenSSL 3's `pkcs12 -export` default): an
    /// HMAC-SHA-256 MAC, which is checked first (a wrong password is `decryptionFailed`), PBES2
    /// AES-256-CBC key bags and plain or PBES2-encrypted certificate bags. Legacy RC2/3DES files
    /// are refused as unsupported rather than half-read.
    public static func decode(_ der: [UInt8], password: String) throws -> Contents {
        do {
            let pfx = try PublicKeyInfo.elements(of: DER.parse(der))
            guard pfx.count == 3, try Int(derEncoded: pfx[0]) == 3 else { throw ShomeiPKIError.malformedContainer("PFX version") }
            let authenticatedSafe = try ContainerNodes.dataContent(pfx[1])
            try verifyMAC(pfx[2], over: authenticatedSafe, password: password)
            var keys: [[UInt8]] = []
            var certificates: [Certificate] = []
            for info in try PublicKeyInfo.elements(of: DER.parse(authenticatedSafe)) {
                for bag in try PublicKeyInfo.elements(of: DER.parse(try safeContents(info, password: password))) {
                    try read(bag, password: password, keys: &keys, certificates: &certificates)
                }
            }
            guard keys.count == 1 else { throw ShomeiPKIError.malformedContainer("expected one private key, found \(keys.count)") }
            return Contents(pkcs8: keys[0], certificates: certificates)
        } catch let error as ShomeiPKIError {
            throw error
        } catch {
            throw ShomeiPKIError.malformedContainer("PKCS#12: \(error)")
        }
    }

    private static func verifyMAC(_ node: ASN1Node, over content: [UInt8], password: String) throws {
        let macData = try ContainerNodes.elements(of: node, atLeast: 2, "MacData")
        let digestInfo = try ContainerNodes.elements(of: macData[0], atLeast: 2, "MAC DigestInfo")
        let algorithm = try ContainerNodes.elements(of: digestInfo[0], atLeast: 1, "MAC algorithm")
        guard try ASN1ObjectIdentifier(derEncoded: algorithm[0]) == sha256 else {
            throw ShomeiPKIError.unsupportedEncryption("PKCS#12 MAC other than HMAC-SHA-256")
        }
        let expected = try ASN1OctetString(derEncoded: digestInfo[1]).bytes
        let salt = Array(try ASN1OctetString(derEncoded: macData[1]).bytes)
        let iterations = macData.count > 2 ? try Int(derEncoded: macData[2]) : 1
        guard (1...10_000_000).contains(iterations) else { throw ShomeiPKIError.malformedContainer("MAC iterations") }
        let key = SymmetricKey(data: macKey(password: password, salt: salt, iterations: iterations))
        guard HMAC<SHA256>.isValidAuthenticationCode(Array(expected), authenticating: content, using: key) else {
            throw ShomeiPKIError.decryptionFailed
        }
    }

    /// The SafeContents inside one ContentInfo of the AuthenticatedSafe, decrypted if need be.
    private static func safeContents(_ info: ASN1Node, password: String) throws -> [UInt8] {
        let fields = try ContainerNodes.elements(of: info, atLeast: 2, "ContentInfo")
        switch try ASN1ObjectIdentifier(derEncoded: fields[0]) {
        case pkcs7Data:
            return try ContainerNodes.dataContent(info)
        case pkcs7EncryptedData:
            // EncryptedData { version, EncryptedContentInfo { data, PBES2, [0] IMPLICIT octets } }
            let encrypted = try ContainerNodes.elements(of: try ContainerNodes.explicitChild(fields[1]), atLeast: 2, "EncryptedData")
            let content = try ContainerNodes.elements(of: encrypted[1], atLeast: 3, "EncryptedContentInfo")
            let parameters = try PBES2Parameters(algorithmIdentifier: content[1])
            guard content.count == 3, case .primitive(let ciphertext) = content[2].content else {
                throw ShomeiPKIError.malformedContainer("encrypted content")
            }
            return try parameters.decrypt(Array(ciphertext), passphrase: password)
        case let other:
            throw ShomeiPKIError.unsupportedEncryption("PKCS#12 content \(other)")
        }
    }

    private static func read(
        _ bag: ASN1Node, password: String, keys: inout [[UInt8]], certificates: inout [Certificate]
    ) throws {
        let fields = try ContainerNodes.elements(of: bag, atLeast: 2, "SafeBag")
        let value = try ContainerNodes.explicitChild(fields[1])
        switch try ASN1ObjectIdentifier(derEncoded: fields[0]) {
        case keyBag:
            keys.append(try EncryptedPrivateKeyInfo(derEncoded: Array(value.encodedBytes)).open(passphrase: password))
        case certBag:
            let certificate = try ContainerNodes.elements(of: value, atLeast: 2, "CertBag")
            guard try ASN1ObjectIdentifier(derEncoded: certificate[0]) == x509Certificate else { return }
            let octets = try ASN1OctetString(derEncoded: ContainerNodes.explicitChild(certificate[1]))
            certificates.append(try Certificate(derEncoded: Array(octets.bytes)))
        default:
            return // CRL and secret bags are not ours to read
        }
    }
}
