import struct Foundation.Date
import ShomeiDomain

/// Issued certificates, their revocation, the CRL number and each certificate's next notice.
public protocol CertificateReads: Sendable {
    func certificate(serial: String) async throws -> CertificateRecord?
    /// The certificates stored under these serials (absent ones are left out).
    func certificates(serials: [String]) async throws -> [CertificateRecord]
    /// The key hash (`CertificateRecord.keySHA256`) of each certificate stored under these
    /// serials that has one, by serial: two columns, for the event feed's pages of a thousand.
    func keyFingerprints(serials: [String]) async throws -> [String: String]
    /// All certificates, or one contract's, newest first.
    func certificates(of contract: ContractID?) async throws -> [CertificateRecord]
    /// One user's certificates, newest first: what the lifecycle function reads.
    func certificates(ofUser key: UserKey) async throws -> [CertificateRecord]
    /// The user's one unrevoked certificate, if any (the schema allows at most one).
    func validCertificate(of user: UserKey) async throws -> CertificateRecord?
    /// Revoked certificates that have not expired at `date`: what a CRL must list.
    func revokedCertificates(notExpiredAt date: Date) async throws -> [RevokedSerial]
    /// A counter every revocation increments, so publishers in any process can tell that the
    /// revocation set changed without reading it.
    func revocationRevision() async throws -> Int64
    /// Valid certificates whose next lifecycle notice is due at `now`, earliest first (an index
    /// range scan on `next_notice_at`, not a table scan).
    func dueNotices(at now: Date, limit: Int) async throws -> [DueNotice]
    /// The console's certificate search, newest first, with each holder's name (joined in SQL).
    func searchCertificates(_ search: CertificateSearch, at now: Date, limit: Int) async throws -> [CertificateListing]
    /// Who holds or held certificates of the key, and whether it is blocked: one index lookup each.
    func keyUse(_ keySHA256: String) async throws -> KeyUse
    /// Certificates stored before the key index, without their key's hash (oldest first).
    func certificatesWithoutKeyHash(limit: Int) async throws -> [CertificateRecord]
}

/// What the store knows of one public key.
public struct KeyUse: Sendable, Equatable {
    /// Users with a certificate of this key, revoked ones included.
    public let holders: Set<UserKey>
    /// A certificate of the key was revoked for keyCompromise.
    public let blocked: Bool

    public init(holders: Set<UserKey>, blocked: Bool) {
        self.holders = holders
        self.blocked = blocked
    }
}

public protocol CertificateWrites: CertificateReads {
    func insert(_ certificate: CertificateRecord) async throws
    /// Marks the certificate revoked and increments the revocation revision; false (and nothing
    /// changed) when it was no longer valid, for example superseded by a commit just before.
    func revoke(serial: String, _ revocation: CertificateRecord.Revocation) async throws -> Bool
    /// The next CRL number (RFC 5280 §5.2.3): strictly increasing across all nodes.
    func nextCRLNumber() async throws -> Int64
    /// Moves the next-notice time from `expected` to `next` only if it still is `expected`;
    /// false when another scheduler got there first (so the notice is sent exactly once).
    func advanceNotice(serial: String, from expected: Date, to next: Date?) async throws -> Bool
    /// Never again: the key of a certificate revoked for keyCompromise (kept when the certificate expires).
    func blockKey(_ keySHA256: String, serial: String, at time: Date) async throws
    /// Completes the key index for a certificate stored before it.
    func setKeyHash(_ keySHA256: String, serial: String) async throws
    /// Blocks the keys of every certificate revoked for keyCompromise that is not blocked yet.
    func blockCompromisedKeys(at time: Date) async throws
}

/// A certificate whose stored next-notice time has come.
public struct DueNotice: Sendable, Equatable {
    public let certificate: CertificateRecord
    public let due: Date
}
