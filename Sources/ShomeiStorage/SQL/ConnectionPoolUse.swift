import CoreMetrics

/// How busy one pool of database connections is, for `/metrics`: connections handed out now,
/// callers waiting for one, and the pool's size. On SQLite the single writing connection's
/// waiters are the write queue (every transaction, every issuance batch); a queue that grows
/// while reads stay idle is the writer being the limit.
struct ConnectionPoolUse: Sendable {
    /// Each metric's help line, by name (`SQLStore.metricsHelp`).
    static let help = [
        "shomei_database_connections_in_use": "Database connections handed out now, by pool.",
        "shomei_database_connection_waiters": "Callers waiting for a database connection now, by pool.",
        "shomei_database_connections_max": "Size of the database connection pool.",
    ]

    private let inUse: Meter
    private let waiting: Meter

    /// `pool` names it in the labels (`write`, `read`, `read-write`); `factory` is where the
    /// counts go (swift-metrics' no-op handler when the store was opened without one).
    init(pool: String, size: Int, factory: any MetricsFactory) {
        let dimensions = [("pool", pool)]
        inUse = Meter(label: "shomei_database_connections_in_use", dimensions: dimensions, factory: factory)
        waiting = Meter(label: "shomei_database_connection_waiters", dimensions: dimensions, factory: factory)
        Gauge(label: "shomei_database_connections_max", dimensions: dimensions, factory: factory).record(size)
    }

    /// Runs `body` with a connection from `request`, counted as waited for, then as in use.
    func using<Connection, T>(
        _ request: () async throws -> Connection, _ body: (Connection) async throws -> T
    ) async throws -> T {
        waiting.increment()
        let connection: Connection
        do {
            connection = try await request()
            waiting.decrement()
        } catch {
            waiting.decrement()
            throw error
        }
        inUse.increment()
        defer { inUse.decrement() }
        return try await body(connection)
    }
}
