#if canImport(Glibc)
import Glibc
#endif

/// A token PIN, held only as long as the login needs it: one buffer, never copied (the type
/// cannot be), never printed, and overwritten with zeros when it goes away.
public struct SecretPIN: ~Copyable {
    private let storage: UnsafeMutableRawBufferPointer
    /// The PIN's length in bytes, which the token's CK_TOKEN_INFO bounds.
    let count: Int

    public init(_ bytes: some Collection<UInt8>) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 1)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        storage.copyBytes(from: bytes)
        count = bytes.count
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: storage.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
    }

    deinit {
        // explicit_bzero: a plain memset before free may be optimised away.
        explicit_bzero(storage.baseAddress!, storage.count)
        storage.deallocate()
    }
}
