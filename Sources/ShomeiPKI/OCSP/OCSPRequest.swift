import SwiftASN1

/// An RFC 6960 §4.1 OCSPRequest, reduced to what a responder acts on: the CertIDs asked
/// about and the nonce. A request signature, if any, is ignored (signed requests are optional
/// and carry no authority here).
public struct OCSPRequest: Sendable, Equatable {
    public let certIDs: [OCSPCertID]
    /// The nonce extension's extnValue contents, echoed verbatim in the response.
    public let nonce: [UInt8]?

    /// A request carries a handful of CertIDs; more is not a relying party.
    static let maximumCertIDs = 16
    static let nonceOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 2]

    public init(derEncoded der: [UInt8]) throws(OCSPError) {
        do {
            (certIDs, nonce) = try DER.sequence(DER.parse(der), identifier: .sequence) { outer in
                let parsed = try Self.parseTBSRequest(PublicKeyInfo.next(&outer))
                PublicKeyInfo.skipRest(&outer)  // optionalSignature [0]
                return parsed
            }
        } catch let error as OCSPError {
            throw error
        } catch {
            throw .malformedRequest
        }
        guard (1...Self.maximumCertIDs).contains(certIDs.count) else { throw .malformedRequest }
    }

    private static func parseTBSRequest(_ node: ASN1Node) throws -> ([OCSPCertID], [UInt8]?) {
        try DER.sequence(node, identifier: .sequence) { fields in
            var field = try PublicKeyInfo.next(&fields)
            if field.identifier == .contextSpecific(0) {  // version [0] EXPLICIT, v1 only
                let version = try DER.explicitlyTagged(field, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) }
                guard version == 0 else { throw OCSPError.malformedRequest }
                field = try PublicKeyInfo.next(&fields)
            }
            if field.identifier == .contextSpecific(1) {  // requestorName
                field = try PublicKeyInfo.next(&fields)
            }
            let certIDs = try PublicKeyInfo.elements(of: field).map(parseRequest)
            var nonce: [UInt8]?
            if let extensions = fields.next() {
                guard extensions.identifier == .contextSpecific(2) else { throw OCSPError.malformedRequest }
                nonce = try DER.explicitlyTagged(extensions, tagNumber: 2, tagClass: .contextSpecific) { try findNonce(in: $0) }
            }
            PublicKeyInfo.skipRest(&fields)
            return (certIDs, nonce)
        }
    }

    private static func parseRequest(_ node: ASN1Node) throws -> OCSPCertID {
        try DER.sequence(node, identifier: .sequence) { fields in
            let certID = try OCSPCertID(node: PublicKeyInfo.next(&fields))
            PublicKeyInfo.skipRest(&fields)  // singleRequestExtensions
            return certID
        }
    }

    private static func findNonce(in node: ASN1Node) throws -> [UInt8]? {
        var nonce: [UInt8]?
        for ext in try PublicKeyInfo.elements(of: node) {
            try DER.sequence(ext, identifier: .sequence) { fields in
                let oid = try ASN1ObjectIdentifier(derEncoded: PublicKeyInfo.next(&fields))
                var value = try PublicKeyInfo.next(&fields)
                if value.identifier == .boolean { value = try PublicKeyInfo.next(&fields) }
                let octets = try ASN1OctetString(derEncoded: value)
                if oid == nonceOID {
                    guard (1...128).contains(octets.bytes.count) else { throw OCSPError.malformedRequest }
                    nonce = Array(octets.bytes)
                }
            }
        }
        return nonce
    }
}

/// `CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }`.
public struct OCSPCertID: Sendable, Hashable {
    public enum HashAlgorithm: Sendable, Hashable {
        case sha1, sha256

        static let sha1OID: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
        static let sha256OID: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    }

    public let hashAlgorithm: HashAlgorithm
    public let issuerNameHash: [UInt8]
    public let issuerKeyHash: [UInt8]
    /// The serial number's magnitude, big-endian, without leading zero bytes.
    public let serial: [UInt8]
    /// The CertID exactly as the client encoded it; the response repeats it byte for byte.
    public let der: [UInt8]

    init(node: ASN1Node) throws {
        der = Array(node.encodedBytes)
        (hashAlgorithm, issuerNameHash, issuerKeyHash, serial) = try DER.sequence(node, identifier: .sequence) { fields in
            let algorithm = try DER.sequence(PublicKeyInfo.next(&fields), identifier: .sequence) { alg in
                let oid = try ASN1ObjectIdentifier(derEncoded: PublicKeyInfo.next(&alg))
                PublicKeyInfo.skipRest(&alg)  // NULL or absent parameters
                switch oid {
                case HashAlgorithm.sha1OID: return HashAlgorithm.sha1
                case HashAlgorithm.sha256OID: return HashAlgorithm.sha256
                default: throw OCSPError.unsupportedHash
                }
            }
            let nameHash = try ASN1OctetString(derEncoded: PublicKeyInfo.next(&fields))
            let keyHash = try ASN1OctetString(derEncoded: PublicKeyInfo.next(&fields))
            let serial = try ArraySlice<UInt8>(derEncoded: PublicKeyInfo.next(&fields))
            return (algorithm, Array(nameHash.bytes), Array(keyHash.bytes), Array(serial.drop { $0 == 0 }))
        }
    }
}

/// Why a request gets an OCSP error response instead of statuses.
public enum OCSPError: Error, Sendable, Equatable {
    case malformedRequest
    case unsupportedHash
    case unauthorized
}
