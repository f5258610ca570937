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

    /// The certificates of a certs-only SignedData (what EST returns); signers, if any, are ignored.
    public static func certificates(in der: [UInt8]) throws -> [Certificate] {
        do {
            let contentInfo = try PublicKeyInfo.elements(of: DER.parse(der))
            guard contentInfo.count == 2, try ASN1ObjectIdentifier(derEncoded: contentInfo[0]) == signedData else {
                throw ShomeiPKIError.malformedContainer("not a PKCS#7 SignedData")
            }
            let fields = try PublicKeyInfo.elements(of: try ContainerNodes.explicitChild(contentInfo[1]))
            guard let set = fields.first(where: { $0.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) }),
                  case .constructed(let certificates) = set.content
            else { return [] }
            return try certificates.map { try Certificate(derEncoded: $0) }
        } catch let error as ShomeiPKIError {
            throw error
        } catch {
            throw ShomeiPKIError.malformedContainer("PKCS#7: \(error)")
        }
    }
}

/// Small steps over parsed DER shared by the container readers.
enum ContainerNodes {
    /// A SEQUENCE's elements, at least `count` of them: a damaged file that has fewer is a
    /// malformed container (named by `what`), never an index out of range.
    static func elements(of node: ASN1Node, atLeast count: Int, _ what: String) throws -> [ASN1Node] {
        let elements = try PublicKeyInfo.elements(of: node)
        guard elements.count >= count else { throw ShomeiPKIError.malformedContainer(what) }
        return elements
    }

    /// The one element inside an explicit tag such as `[0] EXPLICIT`.
    static func explicitChild(_ node: ASN1Node) throws -> ASN1Node {
        guard case .constructed(let children) = node.content, let child = children.first(where: { _ in true }) else {
            throw ShomeiPKIError.malformedContainer("expected an explicitly tagged value")
        }
        return child
    }

    /// The octets of a `ContentInfo { id-data, [0] OCTET STRING }`.
    static func dataContent(_ node: ASN1Node) throws -> [UInt8] {
        let fields = try PublicKeyInfo.elements(of: node)
        guard fields.count == 2, try ASN1ObjectIdentifier(derEncoded: fields[0]) == PKCS12.pkcs7Data else {
            throw ShomeiPKIError.malformedContainer("expected PKCS#7 data")
        }
        return Array(try ASN1OctetString(derEncoded: explicitChild(fields[1])).bytes)
    }
}
