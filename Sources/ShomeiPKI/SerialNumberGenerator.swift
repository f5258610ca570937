/// Serial numbers for new certificates: 16 bytes from the system CSPRNG.
///
/// The top bit is cleared (DER INTEGERs are signed; a serial must be positive) and the next bit
/// set, so every serial is exactly 16 bytes, 32 hex digits as the seeds' screens show, with
/// 126 bits of randomness, well above the 64 bits of CA/Browser Forum BR §7.1.
public enum SerialNumberGenerator {
    public static func next() -> [UInt8] {
        var bytes = randomBytes(16)
        bytes[0] = (bytes[0] & 0x3F) | 0x40
        return bytes
    }
}
