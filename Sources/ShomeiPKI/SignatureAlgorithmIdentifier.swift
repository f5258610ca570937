import SwiftASN1
import X509

/// The `AlgorithmIdentifier` DER for the signature algorithms Shomei's CA keys use, for the
/// structures swift-certificates does not build itself (CRLs, OCSP responses).
extension CAKeyAlgorithm {
    func serializeSignatureAlgorithm(into serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { algorithm in
            switch self {
            case .p256:
                try algorithm.serialize([1, 2, 840, 10045, 4, 3, 2] as ASN1ObjectIdentifier)
            case .p384:
                try algorithm.serialize([1, 2, 840, 10045, 4, 3, 3] as ASN1ObjectIdentifier)
            case .rsa2048, .rsa3072, .rsa4096:
                try algorithm.serialize([1, 2, 840, 113_549, 1, 1, 11] as ASN1ObjectIdentifier)
                try algorithm.serialize(ASN1Null())
            }
        }
    }
}

extension CAPrivateKey {
    /// Signs `tbs` and wraps it as `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`, the
    /// shape shared by certificates, CRLs and BasicOCSPResponse.
    func signedEnvelope(tbs: [UInt8], extra: ((inout DER.Serializer) throws -> Void)? = nil) throws -> [UInt8] {
        let signature = try certificateKey.sign(bytes: tbs, signatureAlgorithm: algorithm.signatureAlgorithm)
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { envelope in
            envelope.serializeRawBytes(tbs)
            try algorithm.serializeSignatureAlgorithm(into: &envelope)
            try envelope.serialize(ASN1BitString(bytes: signature.rawRepresentation[...]))
            try extra?(&envelope)
        }
        return serializer.serializedBytes
    }
}

extension DER.Serializer {
    /// A non-negative INTEGER from big-endian magnitude bytes (a serial number), minimally encoded.
    mutating func appendUnsignedInteger(_ magnitude: some Collection<UInt8>) {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: bytes) }
    }
}
