import ShomeiDomain

/// The storage authority (Boulder's SA): the only way any part of Shomei reads or changes state.
///
/// The interface is cut along the aggregates it stores, one pair of protocols each (a reader
/// half, usable alone or inside a transaction, and a transaction half): contracts and users,
/// certificates and revocation, activation codes, sessions, applications, staff and four-eyes,
/// the outbox, the audit trail, tries at unknown names, and the bank API's clients and kept answers; issuance writes across them
/// (`IssuanceWrites`). A consumer
/// names the halves it needs; `write` hands out one transaction that conforms to all of them,
/// so a change that touches several aggregates still commits once, or (when the body throws)
/// not at all. `read` is one snapshot: all its queries see the same committed state. The
/// SQLite and PostgreSQL implementations pass the same contract test-suite.
public protocol Store: Sendable {
    func read<T: Sendable>(_ body: @Sendable (any StoreReader) async throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @Sendable (any StoreTransaction) async throws -> T) async throws -> T
    func shutdown() async throws
}

/// Every aggregate's queries.
public typealias StoreReader = UserReads & CertificateReads & ActivationCodeReads & SessionReads & ApplicationReads
    & StaffReads & OutboxReads & AuditReads & UnknownTryReads & ConfirmationPasswordReads & APIClientReads & IdempotencyReads

/// Every aggregate's changes, inside one database transaction (`Store.write`).
public typealias StoreTransaction = StoreReader & UserWrites & CertificateWrites & ActivationCodeWrites & SessionWrites
    & ApplicationWrites & StaffWrites & OutboxWrites & AuditWrites & IssuanceWrites & UnknownTryWrites
    & ConfirmationPasswordWrites & APIClientWrites & IdempotencyWrites
