import SwiftASN1
import X509

/// A degenerate, certs-only CMS SignedData (RFC 5652 §5, RFC 7030 §4.1.3): how EST hands out
/// certificates (`application/pkcs7-mime; smime-type=certs-only`).
///
/// swift-certificates keeps its SignedData internal and its public `CMS.sign` always adds a
/// signer, so this small encoder writes the one shape EST needs: no content, no signers.
public enum CertsOnlyPKCS7 {
    static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    static let data: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]

    /// DER of `ContentInfo { signedData, SignedData { version 1, {}, { data }, [0] certificates, {} } }`.
    public static func encode(_ certificates: [Certificate]) throws -> [UInt8] {
        // DER orders SET OF members by their encodings.
        let encoded = try certificates.map { try $0.derBytes }.sorted { $0.lexicographicallyPrecedes($1) }
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { contentInfo in
            try contentInfo.serialize(signedData)
            try contentInfo.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { explicit in
                try explicit.appendConstructedNode(identifier: .sequence) { signed in
                    try signed.serialize(1)
                    signed.appendConstructedNode(identifier: .set) { _ in }
                    try signed.appendConstructedNode(identifier: .sequence) { encapsulated in
                        try encapsulated.serialize(data)
                    }
                    signed.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { set in
                        for der in encoded { set.serializeRawBytes(der) }
                    }
                    signed.appendConstructedNode(identifier: .set) { _ in }
                }
            }
        }
        return serializer.serializedBytes
    }
}
