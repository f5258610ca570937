import struct Foundation.Date

/// One line of a CRL: which serial, when and why.
public struct RevokedSerial: Sendable, Equatable {
    public let serial: String
    public let revocation: CertificateRecord.Revocation

    public init(serial: String, revocation: CertificateRecord.Revocation) {
        self.serial = serial
        self.revocation = revocation
    }
}

/// A client certificate as the bank keeps it: the DER the CA signed plus what the flows query.
public struct CertificateRecord: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case valid
        case revoked
    }

    public struct Revocation: Sendable, Codable, Equatable {
        public let time: Date
        public let reason: RevocationReason

        public init(time: Date, reason: RevocationReason) {
            self.time = time
            self.reason = reason
        }
    }

    /// Lower-case hex of the serial number's magnitude, as screens show it (32 digits for 128 bits).
    public let serial: String
    public let owner: UserKey
    public let der: [UInt8]
    /// SHA-256 of the DER, lower-case hex.
    public let fingerprint: String
    /// SHA-256 of the public key (the subjectPublicKey BIT STRING's bits), lower-case hex: how the
    /// key policy finds every certificate of one key. Nil only for a row stored before the key
    /// index existed and not yet completed (`RegistrationAuthority.completeKeyIndex`).
    public let keySHA256: String?
    /// RFC 4514 rendering of the subject.
    public let subject: String
    public let notBefore: Date
    public let notAfter: Date
    public let medium: StorageMedium
    public let issuedAt: Date
    public var revocation: Revocation?

    public init(
        serial: String, owner: UserKey, der: [UInt8], fingerprint: String, keySHA256: String?, subject: String,
        notBefore: Date, notAfter: Date, medium: StorageMedium, issuedAt: Date, revocation: Revocation? = nil
    ) {
        self.serial = serial
        self.owner = owner
        self.der = der
        self.fingerprint = fingerprint
        self.keySHA256 = keySHA256
        self.subject = subject
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.medium = medium
        self.issuedAt = issuedAt
        self.revocation = revocation
    }

    public var status: Status { revocation == nil ? .valid : .revoked }
}
