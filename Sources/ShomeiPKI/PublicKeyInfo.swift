import SwiftASN1

/// What a SubjectPublicKeyInfo says about its key, read straight from the DER.
///
/// swift-crypto refuses to even load RSA keys under 2048 bits and keys on unknown curves, which
/// would turn "your key is too weak" into "cannot read your request". Reading the algorithm and
/// size first lets the refusal say exactly what is wrong.
enum PublicKeyInfo: Equatable {
    case rsa(modulusBits: Int)
    case ec(curve: ASN1ObjectIdentifier)
    case other(algorithm: ASN1ObjectIdentifier)

    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]

    init(subjectPublicKeyInfo node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let (algorithm, parameters) = try DER.sequence(Self.next(&nodes), identifier: .sequence) { algNodes in
                (try ASN1ObjectIdentifier(derEncoded: Self.next(&algNodes)), algNodes.next())
            }
            let key = try ASN1BitString(derEncoded: Self.next(&nodes))
            switch algorithm {
            case Self.rsaEncryption:
                return .rsa(modulusBits: try Self.modulusBits(ofRSAPublicKey: key.bytes))
            case Self.ecPublicKey:
                guard let parameters else { throw ASN1Error.invalidASN1Object(reason: "EC key without curve") }
                return .ec(curve: try ASN1ObjectIdentifier(derEncoded: parameters))
            default:
                return .other(algorithm: algorithm)
            }
        }
    }

    private static func modulusBits(ofRSAPublicKey bytes: ArraySlice<UInt8>) throws -> Int {
        try DER.sequence(DER.parse(bytes), identifier: .sequence) { nodes in
            let modulus = try ArraySlice<UInt8>(derEncoded: Self.next(&nodes))
            skipRest(&nodes)  // publicExponent
            let magnitude = modulus.drop { $0 == 0 }
            guard let top = magnitude.first else { return 0 }
            return magnitude.count * 8 - top.leadingZeroBitCount
        }
    }

    /// swift-asn1 refuses a sequence whose elements were not all read; this reads past the ones
    /// a check does not need.
    static func skipRest(_ nodes: inout ASN1NodeCollection.Iterator) {
        while nodes.next() != nil {}
    }

    /// The elements of a `SEQUENCE OF`, unparsed.
    static func elements(of node: ASN1Node) throws -> [ASN1Node] {
        try DER.sequence(node, identifier: .sequence) { nodes in
            var elements: [ASN1Node] = []
            while let element = nodes.next() { elements.append(element) }
            return elements
        }
    }

    static func next(_ nodes: inout ASN1NodeCollection.Iterator) throws -> ASN1Node {
        guard let node = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "missing field") }
        return node
    }
}
