import CoreMetrics
import Foundation
import Logging
import NIOPosix
import PostgresKit
import SQLiteKit
import ShomeiDomain
import SQLKit

public enum StorageError: Error, Equatable {
    case invalidSchemaName(String)
}

/// The one `Store` implementation, on sql-kit; `SQLFlavor` covers what the dialects disagree on.
public struct SQLStore: Store {
    let flavor: SQLFlavor
    private let connector: any DatabaseConnector
    /// Where `read` runs: SQLite's reading connections, or the same pool as writes (PostgreSQL).
    private let readConnector: any DatabaseConnector

    init(flavor: SQLFlavor, connector: any DatabaseConnector, readConnector: (any DatabaseConnector)? = nil) {
        self.flavor = flavor
        self.connector = connector
        self.readConnector = readConnector ?? connector
    }

    /// The help lines of the metrics the store makes (`ConnectionPoolUse`), by name.
    public static var metricsHelp: [String: String] { ConnectionPoolUse.help }

    /// Opens (creating if needed) a SQLite database file and brings its schema up to date.
    ///
    /// One connection writes: SQLite has one writer anyway, and a single connection makes
    /// `BEGIN IMMEDIATE` transactions queue in the pool instead of failing with SQLITE_BUSY.
    /// `readers` more connections (read-only) serve `read`, which WAL lets run beside a write,
    /// so the reads issuances are decided from do not queue behind the batches being written.
    ///
    /// `metrics` receives how busy the pools are (`ConnectionPoolUse`); nowhere by default.
    public static func sqlite(
        path: String, readers: Int = 4, logger: Logger = Logger(label: "shomei.store"),
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) async throws -> SQLStore {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        func pool(readOnly: Bool, size: Int) -> PooledConnector<SQLiteTunedSource> {
            PooledConnector(
                pool: EventLoopGroupConnectionPool(
                    source: SQLiteTunedSource(path: path, readOnly: readOnly), maxConnectionsPerEventLoop: size,
                    requestTimeout: .seconds(30), pruneInterval: nil, logger: logger, on: eventLoop),
                use: ConnectionPoolUse(pool: readOnly ? "read" : "write", size: size, factory: metrics)
            ) { $0.sql() }
        }
        let writer = SQLStore(flavor: .sqlite, connector: pool(readOnly: false, size: 1))
        do {
            try await writer.migrated()
        } catch let error as SQLiteError {
            // A path that is no database file (a folder, another kind of file, no permission):
            // the installation's configuration, said with the file's name, not the driver's words alone.
            switch error.reason {
            case .cantOpen, .notADatabase, .permission, .readOnly, .cantOpenDirectory, .cantOpenInvalidPath:
                throw ShomeiError.invalidConfiguration("\(path) cannot be opened as the SQLite store (\(error.message))")
            default:
                throw error
            }
        }
        return SQLStore(flavor: .sqlite, connector: writer.connector, readConnector: pool(readOnly: true, size: readers))
    }

    /// Connects to PostgreSQL (`postgres://user:pass@host:port/db?sslmode=disable|require`).
    ///
    /// With `schema`, Shomei's tables live in that schema (created if missing), so one database
    /// can hold several installations (and the tests can run side by side). A statement the
    /// server leaves unanswered for 60 s closes its connection (`OpenPostgresConnection`).
    public static func postgres(
        url: String, schema: String? = nil, maxConnections: Int = 4, logger: Logger = Logger(label: "shomei.store"),
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) async throws -> SQLStore {
        let store = try connected(
            url: url, schema: schema, maxConnections: maxConnections, statementLimit: .seconds(60), logger: logger, metrics: metrics)
        if let schema {
            try await store.connector.withDatabase { database in
                try await transaction(on: database, begin: SQLFlavor.postgres.beginTransaction) {
                    if let lock = SQLFlavor.postgres.lockSchema(named: schema) { try await database.raw(lock).run() }
                    try await database.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                }
            }
        }
        return try await store.migrated()
    }

    /// A pool of connections to PostgreSQL, the schema neither created nor migrated.
    static func connected(
        url: String, schema: String?, maxConnections: Int, statementLimit: TimeAmount, logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) throws -> SQLStore {
        var configuration = try SQLPostgresConfiguration(url: url)
        if let schema {
            guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                throw StorageError.invalidSchemaName(schema)
            }
            configuration.searchPath = [schema]
        }
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: maxConnections, requestTimeout: .seconds(30),
            pruneInterval: .seconds(60), logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        let use = ConnectionPoolUse(pool: "read-write", size: maxConnections, factory: metrics)
        return SQLStore(flavor: .postgres, connector: PooledConnector(pool: pool, use: use) {
            OpenPostgresConnection(connection: $0, statementLimit: statementLimit).sql()
        })
    }

    /// One snapshot (`SQLFlavor.beginSnapshot`): a decision taken from several queries of one
    /// read never mixes the states before and after a commit that landed between them.
    public func read<T: Sendable>(_ body: @Sendable (any StoreReader) async throws -> T) async throws -> T {
        let flavor = flavor
        return try await Unavailability.translating {
            try await readConnector.withDatabase { database in
                try await Self.transaction(on: database, begin: flavor.beginSnapshot) {
                    try await body(SQLSession(database: database, flavor: flavor))
                }
            }
        }
    }

    /// A database that is away is `serviceUnavailable` (`Unavailability`), whatever step failed.
    public func write<T: Sendable>(_ body: @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        let flavor = flavor
        return try await Unavailability.translating {
            try await connector.withDatabase { database in
                try await Self.transaction(on: database, begin: flavor.beginTransaction) {
                    try await body(SQLSession(database: database, flavor: flavor))
                }
            }
        }
    }

    public func shutdown() async throws {
        if readConnector !== connector { try await readConnector.shutdown() }
        try await connector.shutdown()
    }

    static func transaction<T>(
        on database: any SQLDatabase, begin: String, _ body: () async throws -> T
    ) async throws -> T {
        try await database.raw("\(unsafeRaw: begin)").run()
        do {
            let result = try await body()
            try await database.raw("COMMIT").run()
            return result
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }

    @discardableResult
    private func migrated() async throws -> SQLStore {
        let flavor = flavor
        try await connector.withDatabase { database in
            try await MigrationRunner(database: database, flavor: flavor).run()
        }
        return self
    }
}
