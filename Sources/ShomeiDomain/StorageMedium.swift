/// Where the customer keeps the certificate's private key.
public enum StorageMedium: String, Sendable, Codable, CaseIterable {
    /// パソコンに保存する: the browser's or the OS's software store.
    case pc
    /// 専用USBに保存する: the bank's dedicated USB token (a PKCS#11 device, key non-exportable).
    case usb
}
