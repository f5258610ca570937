import CPKCS11

/// One CK_ATTRIBUTE of a template, its value held as bytes (PKCS#11 reads booleans as one
/// byte and CK_ULONG values in the machine's own layout).
public struct Attribute: Sendable {
    public let type: CK_ATTRIBUTE_TYPE
    public let value: [UInt8]

    public init(_ type: some BinaryInteger, _ value: [UInt8]) {
        self.type = CK_ATTRIBUTE_TYPE(type)
        self.value = value
    }

    public static func bool(_ type: some BinaryInteger, _ value: Bool) -> Attribute { Attribute(type, [value ? 1 : 0]) }
    public static func bytes(_ type: some BinaryInteger, _ value: [UInt8]) -> Attribute { Attribute(type, value) }
    public static func text(_ type: some BinaryInteger, _ value: String) -> Attribute { Attribute(type, Array(value.utf8)) }
    public static func ulong(_ type: some BinaryInteger, _ value: CK_ULONG) -> Attribute {
        Attribute(type, withUnsafeBytes(of: value) { Array($0) })
    }

    /// Calls `body` with the template as C structures whose values stay valid for the call.
    static func withTemplate<R>(_ template: [Attribute], _ body: (UnsafeMutablePointer<CK_ATTRIBUTE>?, CK_ULONG) -> R) -> R {
        let buffers = template.map { attribute -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(attribute.value.count, 1), alignment: 8)
            buffer.copyBytes(from: attribute.value)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var attributes = zip(template, buffers).map { attribute, buffer in
            CK_ATTRIBUTE(type: attribute.type, pValue: buffer.baseAddress, ulValueLen: CK_ULONG(attribute.value.count))
        }
        return attributes.withUnsafeMutableBufferPointer { body($0.baseAddress, CK_ULONG($0.count)) }
    }
}
