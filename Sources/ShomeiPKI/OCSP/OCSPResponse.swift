import Foundation
import ShomeiDomain
import SwiftASN1
import X509

/// Builds RFC 6960 §4.2 OCSPResponse DER: error responses, and successful BasicOCSPResponses
/// signed by the delegated responder.
public enum OCSPResponse {
    /// `OCSPResponseStatus`.
    public enum Status: UInt8, Sendable {
        case successful = 0
        case malformedRequest = 1
        case internalError = 2
        case tryLater = 3
        case unauthorized = 6
    }

    public enum CertStatus: Sendable, Equatable {
        case good
        case revoked(CertificateRecord.Revocation)
        case unknown
    }

    public struct Single: Sendable {
        public let certID: OCSPCertID
        public let status: CertStatus
        public let thisUpdate: Date
        public let nextUpdate: Date

        public init(certID: OCSPCertID, status: CertStatus, thisUpdate: Date, nextUpdate: Date) {
            self.certID = certID
            self.status = status
            self.thisUpdate = thisUpdate
            self.nextUpdate = nextUpdate
        }
    }

    static let basicOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 1]

    /// `SEQUENCE { ENUMERATED status }` with no responseBytes.
    public static func error(_ status: Status) -> [UInt8] {
        [0x30, 0x03, 0x0A, 0x01, status.rawValue]
    }

    /// The error status a request that failed to parse is answered with.
    public static func status(for error: OCSPError) -> Status {
        switch error {
        case .malformedRequest, .unsupportedHash: .malformedRequest
        case .unauthorized: .unauthorized
        }
    }

    public static func successful(
        _ responses: [Single], signer: OCSPSigner, producedAt: Date, nonce: [UInt8]?
    ) throws -> [UInt8] {
        var data = DER.Serializer()
        try data.appendConstructedNode(identifier: .sequence) { tbs in
            // responderID byKey [2] EXPLICIT KeyHash: SHA-1 of the responder's public key bits.
            try tbs.appendConstructedNode(identifier: .contextSpecific(2)) {
                try $0.serialize(ASN1OctetString(contentBytes: signer.certificate.publicKey.keyIdentifier[...]))
            }
            DERTime.appendGeneralized(producedAt, to: &tbs)
            tbs.appendConstructedNode(identifier: .sequence) { list in
                for single in responses { append(single, to: &list) }
            }
            if let nonce {
                try tbs.appendConstructedNode(identifier: .contextSpecific(1)) { explicit in
                    try explicit.appendConstructedNode(identifier: .sequence) { extensions in
                        try extensions.appendConstructedNode(identifier: .sequence) { ext in
                            try ext.serialize(OCSPRequest.nonceOID)
                            try ext.serialize(ASN1OctetString(contentBytes: nonce[...]))
                        }
                    }
                }
            }
        }
        let basic = try signer.key.signedEnvelope(tbs: data.serializedBytes) { envelope in
            try envelope.appendConstructedNode(identifier: .contextSpecific(0)) { certs in
                try certs.appendConstructedNode(identifier: .sequence) { try $0.serialize(signer.certificate) }
            }
        }
        var response = DER.Serializer()
        try response.appendConstructedNode(identifier: .sequence) { outer in
            outer.appendPrimitiveNode(identifier: .enumerated) { $0.append(Status.successful.rawValue) }
            try outer.appendConstructedNode(identifier: .contextSpecific(0)) { explicit in
                try explicit.appendConstructedNode(identifier: .sequence) { bytes in
                    try bytes.serialize(basicOID)
                    try bytes.serialize(ASN1OctetString(contentBytes: basic[...]))
                }
            }
        }
        return response.serializedBytes
    }

    private static func append(_ single: Single, to serializer: inout DER.Serializer) {
        serializer.appendConstructedNode(identifier: .sequence) { response in
            response.serializeRawBytes(single.certID.der)
            switch single.status {
            case .good:
                response.appendPrimitiveNode(identifier: .contextSpecific(0)) { _ in }
            case .revoked(let revocation):
                response.appendConstructedNode(identifier: .contextSpecific(1)) { info in
                    DERTime.appendGeneralized(revocation.time, to: &info)
                    info.appendConstructedNode(identifier: .contextSpecific(0)) { reason in
                        reason.appendPrimitiveNode(identifier: .enumerated) { $0.append(UInt8(revocation.reason.rawValue)) }
                    }
                }
            case .unknown:
                response.appendPrimitiveNode(identifier: .contextSpecific(2)) { _ in }
            }
            DERTime.appendGeneralized(single.thisUpdate, to: &response)
            response.appendConstructedNode(identifier: .contextSpecific(0)) {
                DERTime.appendGeneralized(single.nextUpdate, to: &$0)
            }
        }
    }
}
