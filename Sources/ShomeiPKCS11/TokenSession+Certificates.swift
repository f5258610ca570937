import CPKCS11
import ShomeiDomain
import SwiftASN1
import X509

extension TokenSession {
    /// Whether any object (key or certificate) on the token carries `label`.
    public func holds(label: String) throws(ShomeiError) -> Bool {
        try !find([.text(CKA_LABEL, label)]).isEmpty
    }

    /// Writes `certificate` beside its key: the same CKA_ID and label, so tools and browsers
    /// pair them, with the subject, issuer and serial PKCS#11 §4.6.3 asks for.
    @discardableResult
    public func store(_ certificate: Certificate, label: String, id: [UInt8]) throws(ShomeiError) -> CK_OBJECT_HANDLE {
        do {
            let subject = try Self.der(certificate.subject), issuer = try Self.der(certificate.issuer)
            var serial = DER.Serializer()
            try serial.serialize(ArraySlice(certificate.serialNumber.bytes))
            return try create([
                .ulong(CKA_CLASS, CK_ULONG(CKO_CERTIFICATE)), .ulong(CKA_CERTIFICATE_TYPE, CK_ULONG(CKC_X_509)),
                .bool(CKA_TOKEN, true), .bool(CKA_PRIVATE, false), .text(CKA_LABEL, label), .bytes(CKA_ID, id),
                .bytes(CKA_SUBJECT, subject), .bytes(CKA_ISSUER, issuer), .bytes(CKA_SERIAL_NUMBER, serial.serializedBytes),
                .bytes(CKA_VALUE, try Self.encoded(certificate)),
            ])
        } catch let error as ShomeiError {
            throw error
        } catch {
            throw .token(.unsupported("a certificate that cannot be encoded"))
        }
    }

    static func encoded(_ certificate: Certificate) throws(ShomeiError) -> [UInt8] {
        do { return try der(certificate) } catch { throw .token(.unsupported("a certificate that cannot be encoded")) }
    }

    static func der(_ element: some DERSerializable) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(element)
        return serializer.serializedBytes
    }

    /// The certificate objects carrying CKA_ID `id` (a pair's certificates, nothing else).
    public func certificateObjects(id: [UInt8]) throws(ShomeiError) -> [CK_OBJECT_HANDLE] {
        try find([.ulong(CKA_CLASS, CK_ULONG(CKO_CERTIFICATE)), .bytes(CKA_ID, id)])
    }

    /// The certificates on the token labelled `label`.
    public func certificates(label: String) throws(ShomeiError) -> [Certificate] {
        try find([.ulong(CKA_CLASS, CK_ULONG(CKO_CERTIFICATE)), .text(CKA_LABEL, label)]).compactMap { object in
            attribute(CK_ATTRIBUTE_TYPE(CKA_VALUE), of: object).flatMap { try? Certificate(derEncoded: $0) }
        }
    }
}
