@preconcurrency import AsyncKit
import Logging
import NIOCore
import SQLKit
import Synchronization

/// Hands out one database session (one connection) at a time to a body.
protocol DatabaseConnector: AnyObject, Sendable {
    func withDatabase<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func shutdown() async throws
}

/// A connector over an AsyncKit pool, for both drivers.
///
/// `@unchecked Sendable`: AsyncKit's `EventLoopGroupConnectionPool` guards its state with a lock
/// and hops to each connection's event loop, but predates Sendable annotations.
final class PooledConnector<Source: ConnectionPoolSource>: DatabaseConnector, @unchecked Sendable
where Source.Connection: Sendable {
    private let pool: EventLoopGroupConnectionPool<Source>
    private let database: @Sendable (Source.Connection) -> any SQLDatabase
    private let use: ConnectionPoolUse
    private let shutDown = Mutex(false)

    init(
        pool: EventLoopGroupConnectionPool<Source>, use: ConnectionPoolUse,
        database: @escaping @Sendable (Source.Connection) -> any SQLDatabase
    ) {
        self.pool = pool
        self.use = use
        self.database = database
    }

    func withDatabase<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await use.using({ try await pool.requestConnection().get() }) { connection in
            defer { pool.releaseConnection(connection) }
            return try await body(database(connection))
        }
    }

    func shutdown() async throws {
        shutDown.withLock { $0 = true }
        try await pool.shutdownAsync()
    }

    /// AsyncKit traps when a pool is released without a shutdown; a store dropped on an error
    /// path is closed here instead, without blocking whatever thread releases it.
    deinit {
        if !shutDown.withLock({ $0 }) { pool.shutdownGracefully { _ in } }
    }
}
