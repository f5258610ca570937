import struct Foundation.Date
import ShomeiDomain

/// The storage authority's interface: the only way any part of Shomei reads or changes state.
///
/// Changes happen inside `write`, which is one database transaction: either everything the body
/// did is committed, or (when it throws) nothing is. The SQLite and PostgreSQL implementations
/// pass the same contract test-suite.
public protocol Store: Sendable {
    func read<T: Sendable>(_ body: @Sendable (any StoreReader) async throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @Sendable (any StoreTransaction) async throws -> T) async throws -> T
    func shutdown() async throws
}

/// Queries, usable alone or inside a transaction.
public protocol StoreReader: Sendable {
    func contract(_ id: ContractID) async throws -> Contract?
    func contracts() async throws -> [Contract]
    func user(_ key: UserKey) async throws -> User?
    func users(in contract: ContractID) async throws -> [User]
    func certificate(serial: String) async throws -> CertificateRecord?
    /// All certificates, or one contract's, newest first.
    func certificates(of contract: ContractID?) async throws -> [CertificateRecord]
    /// The user's one unrevoked certificate, if any (the schema allows at most one).
    func validCertificate(of user: UserKey) async throws -> CertificateRecord?
    /// The user's newest activation code that has not been used.
    func unusedActivationCode(of user: UserKey) async throws -> ActivationCode?
    func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent]
    /// Revoked certificates that have not expired at `date`: what a CRL must list.
    func revokedCertificates(notExpiredAt date: Date) async throws -> [RevokedSerial]
    /// A counter every revocation increments, so publishers in any process can tell that the
    /// revocation set changed without reading it.
    func revocationRevision() async throws -> Int64
}

/// Changes, only available inside `Store.write`.
public protocol StoreTransaction: StoreReader {
    func insert(_ contract: Contract) async throws
    func insert(_ user: User) async throws
    /// Reads the user and keeps it locked until the transaction ends, so two concurrent
    /// issuances for one user cannot both supersede the same certificate.
    func lockUser(_ key: UserKey) async throws -> User?
    func setStatus(_ status: User.Status, of user: UserKey) async throws
    func insert(_ certificate: CertificateRecord) async throws
    /// Marks the certificate revoked and increments the revocation revision.
    func revoke(serial: String, _ revocation: CertificateRecord.Revocation) async throws
    /// The next CRL number (RFC 5280 §5.2.3): strictly increasing across all nodes.
    func nextCRLNumber() async throws -> Int64
    /// Stores a new code and voids the user's earlier unused ones: only the newest code works.
    func replaceActivationCode(with code: ActivationCode) async throws
    func recordActivationCodeFailure(id: String) async throws
    func markActivationCodeUsed(id: String, at time: Date) async throws
    /// Appends to the hash-chained audit trail; returns the entry with its place and hash.
    @discardableResult
    func appendAudit(_ entry: AuditEntry, at time: Date) async throws -> AuditEvent
}
