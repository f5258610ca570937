import Foundation
import ShomeiDomain
import SwiftASN1
import X509

/// An RFC 5280 §5 v2 CertificateList for the issuing CA, DER-encoded and signed.
///
/// swift-certificates 1.21.1 has no CRL type, so this is the one place that writes one:
/// the revoked certificates with date and reason, the CRL number and the authority key
/// identifier. Entries with reason `unspecified` carry no reasonCode, as §5.3.1 recommends.
public enum CertificateRevocationList {
    public struct Entry: Sendable, Equatable {
        public let serial: [UInt8]
        public let revocationDate: Date
        public let reason: RevocationReason

        public init(serial: [UInt8], revocationDate: Date, reason: RevocationReason) {
            self.serial = serial
            self.revocationDate = revocationDate
            self.reason = reason
        }
    }

    static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let reasonCodeOID: ASN1ObjectIdentifier = [2, 5, 29, 21]
    static let authorityKeyIdentifierOID: ASN1ObjectIdentifier = [2, 5, 29, 35]

    public static func build(
        issuer: Certificate, key: CAPrivateKey, entries: [Entry], number: Int64, thisUpdate: Date, nextUpdate: Date
    ) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { list in
            try list.serialize(1)  // v2
            try key.algorithm.serializeSignatureAlgorithm(into: &list)
            try list.serialize(issuer.subject)
            DERTime.append(thisUpdate, to: &list)
            DERTime.append(nextUpdate, to: &list)
            if !entries.isEmpty {
                try list.appendConstructedNode(identifier: .sequence) { revoked in
                    for entry in entries { try append(entry, to: &revoked) }
                }
            }
            try list.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { explicit in
                try explicit.appendConstructedNode(identifier: .sequence) { extensions in
                    try appendExtension(authorityKeyIdentifierOID, to: &extensions) { value in
                        value.appendConstructedNode(identifier: .sequence) { aki in
                            aki.appendPrimitiveNode(identifier: .contextSpecific(0)) {
                                $0.append(contentsOf: issuer.publicKey.keyIdentifier)
                            }
                        }
                    }
                    try appendExtension(crlNumberOID, to: &extensions) { try $0.serialize(Int(number)) }
                }
            }
        }
        return try key.signedEnvelope(tbs: tbs.serializedBytes)
    }

    private static func append(_ entry: Entry, to serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { revoked in
            revoked.appendUnsignedInteger(entry.serial)
            DERTime.append(entry.revocationDate, to: &revoked)
            if entry.reason != .unspecified {
                try revoked.appendConstructedNode(identifier: .sequence) { extensions in
                    try appendExtension(reasonCodeOID, to: &extensions) { value in
                        value.appendPrimitiveNode(identifier: .enumerated) { $0.append(UInt8(entry.reason.rawValue)) }
                    }
                }
            }
        }
    }

    /// `Extension ::= SEQUENCE { extnID, extnValue OCTET STRING }` (never critical here).
    static func appendExtension(
        _ oid: ASN1ObjectIdentifier, to serializer: inout DER.Serializer, value: (inout DER.Serializer) throws -> Void
    ) throws {
        var inner = DER.Serializer()
        try value(&inner)
        try serializer.appendConstructedNode(identifier: .sequence) { ext in
            try ext.serialize(oid)
            try ext.serialize(ASN1OctetString(contentBytes: inner.serializedBytes[...]))
        }
    }
}
