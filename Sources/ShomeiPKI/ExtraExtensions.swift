import SwiftASN1
import X509

/// Extensions swift-certificates 1.21.1 has no type for, encoded on swift-asn1.
enum ExtraExtensions {
    static let crlDistributionPointsOID: ASN1ObjectIdentifier = [2, 5, 29, 31]
    static let certificatePoliciesOID: ASN1ObjectIdentifier = [2, 5, 29, 32]

    /// `CRLDistributionPoints` (RFC 5280 §4.2.1.13) with one point whose full name is one URI.
    static func crlDistributionPoint(uri: String) throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { points in
            try points.appendConstructedNode(identifier: .sequence) { point in
                // distributionPoint [0] is a CHOICE, so explicit; fullName [0] replaces GeneralNames' tag.
                try point.appendConstructedNode(identifier: .contextSpecific(0)) { name in
                    try name.appendConstructedNode(identifier: .contextSpecific(0)) { fullName in
                        try fullName.serialize(GeneralName.uniformResourceIdentifier(uri))
                    }
                }
            }
        }
        return Certificate.Extension(oid: crlDistributionPointsOID, critical: false, value: serializer.serializedBytes[...])
    }

    /// `CertificatePolicies` (RFC 5280 §4.2.1.4) naming one policy without qualifiers.
    static func certificatePolicy(_ policy: ASN1ObjectIdentifier) throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { policies in
            try policies.appendConstructedNode(identifier: .sequence) { information in
                try information.serialize(policy)
            }
        }
        return Certificate.Extension(oid: certificatePoliciesOID, critical: false, value: serializer.serializedBytes[...])
    }
}

extension ASN1Identifier {
    static func contextSpecific(_ tag: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: tag, tagClass: .contextSpecific)
    }
}
