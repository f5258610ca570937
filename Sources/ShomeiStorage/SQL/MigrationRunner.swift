import Foundation
import SQLKit

/// Applies the `Migrations` a database has not seen yet, each step in its own transaction.
struct MigrationRunner {
    let database: any SQLDatabase
    let flavor: SQLFlavor

    func run() async throws {
        try await locked {
            try await database.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
        }
        for migration in Migrations.all {
            try await locked {
                guard try await !isApplied(migration.version) else { return }
                for statement in migration.statements(flavor) {
                    try await database.raw("\(unsafeRaw: statement)").run()
                }
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                try await database.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: Int64(migration.version)), \(bind: now))"
                ).run()
            }
        }
    }

    /// One step in its own transaction, under the schema's migration lock.
    private func locked(_ step: () async throws -> Void) async throws {
        try await SQLStore.transaction(on: database, begin: flavor.beginTransaction) {
            if let lock = flavor.lockSchema() { try await database.raw(lock).run() }
            try await step()
        }
    }

    private func isApplied(_ version: Int) async throws -> Bool {
        try await database.raw("SELECT version FROM schema_migrations WHERE version = \(bind: Int64(version))")
            .first() != nil
    }
}
