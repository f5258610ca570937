import CPKCS11
import ShomeiDomain
import ShomeiPKI
import X509

extension TokenSession {
    /// The key pair whose halves carry CKA_ID `id`, its type read from the token.
    public func keyPair(id: [UInt8]) throws(ShomeiError) -> TokenKeyPair {
        let privateKeys = try find([.ulong(CKA_CLASS, CK_ULONG(CKO_PRIVATE_KEY)), .bytes(CKA_ID, id)])
        let publicKeys = try find([.ulong(CKA_CLASS, CK_ULONG(CKO_PUBLIC_KEY)), .bytes(CKA_ID, id)])
        let name = "id=" + id.hexEncoded
        guard let privateKey = privateKeys.first, let publicKey = publicKeys.first else { throw .token(.objectNotFound(name)) }
        guard privateKeys.count == 1, publicKeys.count == 1 else { throw .token(.labelAmbiguous(name)) }
        let label = attribute(CK_ATTRIBUTE_TYPE(CKA_LABEL), of: privateKey).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return try TokenKeyPair(session: self, type: try keyType(publicKey), publicHandle: publicKey, privateHandle: privateKey,
                                label: label, id: id)
    }

    /// The CKA_ID of the certificate object holding exactly `certificate`.
    public func id(of certificate: Certificate) throws(ShomeiError) -> [UInt8] {
        let value = try Self.encoded(certificate)
        guard let object = try find([.ulong(CKA_CLASS, CK_ULONG(CKO_CERTIFICATE)), .bytes(CKA_VALUE, value)]).first,
              let id = attribute(CK_ATTRIBUTE_TYPE(CKA_ID), of: object) else {
            throw .token(.objectNotFound(certificate.subject.description))
        }
        return id
    }

    /// Every object carrying CKA_ID `id` (a key pair and its certificates).
    public func objects(id: [UInt8]) throws(ShomeiError) -> [CK_OBJECT_HANDLE] {
        try find([.bytes(CKA_ID, id)])
    }

    /// Gives every object with CKA_ID `id` the label `label`.
    public func relabel(id: [UInt8], to label: String) throws(ShomeiError) {
        for object in try objects(id: id) {
            try call { functions, session in
                Attribute.withTemplate([.text(CKA_LABEL, label)]) { functions.pointee.C_SetAttributeValue?(session, object, $0, $1) }
            }
        }
    }

    private func keyType(_ publicKey: CK_OBJECT_HANDLE) throws(ShomeiError) -> ClientKeyType {
        let type = attribute(CK_ATTRIBUTE_TYPE(CKA_KEY_TYPE), of: publicKey).map { bytes in
            bytes.withUnsafeBytes { $0.loadUnaligned(as: CK_KEY_TYPE.self) }
        }
        switch type {
        case CK_KEY_TYPE(CKK_EC)?:
            switch attribute(CK_ATTRIBUTE_TYPE(CKA_EC_PARAMS), of: publicKey) {
            case TokenKeyPair.p256Parameters?: return .p256
            case TokenKeyPair.p384Parameters?: return .p384
            default: throw .token(.unsupported("an EC key on another curve than P-256 or P-384"))
            }
        case CK_KEY_TYPE(CKK_RSA)?:
            let modulus = attribute(CK_ATTRIBUTE_TYPE(CKA_MODULUS), of: publicKey) ?? []
            do { return try ClientKeyType.rsa(bits: modulus.drop { $0 == 0 }.count * 8) } catch { throw .token(.unsupported("an RSA key of that size")) }
        default:
            throw .token(.unsupported("a key that is neither EC nor RSA"))
        }
    }
}

extension TokenSession {
    /// The key pairs whose private half's label ends with `suffix`. A key that does not make a
    /// pair Shomei reads (no public half of its CKA_ID, another key type: a smart card's other
    /// keys) is left out, not an error.
    public func keyPairs(labelSuffix suffix: String) throws(ShomeiError) -> [TokenKeyPair] {
        try find([.ulong(CKA_CLASS, CK_ULONG(CKO_PRIVATE_KEY))]).compactMap { privateKey in
            guard let label = attribute(CK_ATTRIBUTE_TYPE(CKA_LABEL), of: privateKey), String(decoding: label, as: UTF8.self).hasSuffix(suffix),
                  let id = attribute(CK_ATTRIBUTE_TYPE(CKA_ID), of: privateKey) else { return nil }
            return try? keyPair(id: id)
        }
    }

    /// The key pair whose private half is labelled `label` (exactly one).
    public func keyPair(label: String) throws(ShomeiError) -> TokenKeyPair {
        let privateKeys = try find([.ulong(CKA_CLASS, CK_ULONG(CKO_PRIVATE_KEY)), .text(CKA_LABEL, label)])
        guard let privateKey = privateKeys.first else { throw .token(.objectNotFound(label)) }
        guard privateKeys.count == 1 else { throw .token(.labelAmbiguous(label)) }
        guard let id = attribute(CK_ATTRIBUTE_TYPE(CKA_ID), of: privateKey) else { throw .token(.objectNotFound(label)) }
        return try keyPair(id: id)
    }
}
