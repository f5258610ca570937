import SQLKit

/// The few places SQLite and PostgreSQL need different SQL; everything else is one code path.
public enum SQLFlavor: Sendable {
    case sqlite
    case postgres

    var blobType: String { self == .sqlite ? "BLOB" : "BYTEA" }

    /// SQLite takes the write lock at BEGIN, so a transaction never fails half-way on a lock.
    var beginTransaction: String { self == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN" }

    /// A read's transaction: every query in it sees the database as of its first one. SQLite's
    /// deferred BEGIN holds one WAL snapshot from the first SELECT; PostgreSQL's default (READ
    /// COMMITTED) would take a new snapshot per statement, REPEATABLE READ keeps one, and a
    /// read-only transaction at that level never fails to serialise.
    var beginSnapshot: String { self == .sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" }

    /// Row lock for read-then-write; SQLite's BEGIN IMMEDIATE already serialises writers.
    var forUpdate: String { self == .sqlite ? "" : " FOR UPDATE" }

    /// The current time as BIGINT milliseconds, inside SQL (for migrations).
    var nowMillis: String {
        self == .sqlite ? "CAST(strftime('%s', 'now') AS INTEGER) * 1000" : "CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)"
    }

    /// Claims rows other nodes are not already working on (PostgreSQL); SQLite has one writer.
    var forUpdateSkipLocked: String { self == .sqlite ? "" : " FOR UPDATE SKIP LOCKED" }

    /// Appends to the audit chain must be serial (each needs the previous hash).
    var lockAuditChain: String? {
        self == .sqlite ? nil : "LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE"
    }

    /// Byte-order comparison of text, so a prefix is a range whatever the database's locale
    /// (SQLite compares bytes already).
    var byteOrder: String { self == .sqlite ? "" : " COLLATE \"C\"" }

    /// Two nodes starting at once must not both create or migrate one schema (PostgreSQL's
    /// `IF NOT EXISTS` fails, not waits, when another transaction is creating the same object).
    /// The lock is the schema's own, so installations in other schemas of the cluster (the
    /// tests make one per store) do not queue behind each other. Without `schema`, the
    /// connection's current one; '' when none exists, so the lock is still taken (a NULL key
    /// would take none) and the CREATE that follows fails aloud.
    func lockSchema(named schema: String? = nil) -> SQLQueryString? {
        guard self == .postgres else { return nil }
        let name: SQLQueryString = schema.map { "\(bind: $0)" } ?? "coalesce(current_schema(), '')"
        return "SELECT pg_advisory_xact_lock(7330431, hashtext(\(name)))"
    }
}
