import SwiftASN1

/// A private key encrypted with a passphrase: PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3)
/// with PBES2. This is how CA keys rest on disk, in PEM as `ENCRYPTED PRIVATE KEY`.
public struct EncryptedPrivateKeyInfo: Sendable, Equatable {
    public let parameters: PBES2Parameters
    public let encryptedData: [UInt8]

    public static let pemLabel = "ENCRYPTED PRIVATE KEY"

    /// Encrypts an unencrypted PKCS#8 `PrivateKeyInfo`.
    public init(sealing pkcs8: [UInt8], passphrase: String, parameters: PBES2Parameters = .random()) throws {
        self.parameters = parameters
        self.encryptedData = try parameters.encrypt(pkcs8, passphrase: passphrase)
    }

    public init(derEncoded der: [UInt8]) throws {
        do {
            (parameters, encryptedData) = try DER.sequence(DER.parse(der), identifier: .sequence) { nodes in
                let parameters = try PBES2Parameters(algorithmIdentifier: PublicKeyInfo.next(&nodes))
                let data = try ASN1OctetString(derEncoded: PublicKeyInfo.next(&nodes))
                return (parameters, Array(data.bytes))
            }
        } catch let error as ShomeiPKIError {
            throw error
        } catch {
            throw ShomeiPKIError.malformedEncryptedKey("\(error)")
        }
    }

    public init(pemEncoded pem: String) throws {
        let document = try PEMDocument(pemString: pem)
        guard document.discriminator == Self.pemLabel else {
            throw ShomeiPKIError.malformedEncryptedKey("PEM label \(document.discriminator)")
        }
        try self.init(derEncoded: document.derBytes)
    }

    /// Decrypts and returns the PKCS#8 `PrivateKeyInfo`; a wrong passphrase is `decryptionFailed`.
    public func open(passphrase: String) throws -> [UInt8] {
        try parameters.decrypt(encryptedData, passphrase: passphrase)
    }

    public var derEncoded: [UInt8] {
        get throws {
            var serializer = DER.Serializer()
            try serializer.appendConstructedNode(identifier: .sequence) { info in
                try parameters.serialize(into: &info)
                try info.serialize(ASN1OctetString(contentBytes: encryptedData[...]))
            }
            return serializer.serializedBytes
        }
    }

    public var pemEncoded: String {
        get throws { PEMDocument(type: Self.pemLabel, derBytes: try derEncoded).pemString }
    }
}
