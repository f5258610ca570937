import AsyncKit
import Logging
import NIOCore
import NIOPosix
import SQLiteKit

/// Opens SQLite connections with the settings Shomei relies on.
///
/// WAL lets readers work while a write commits; `synchronous = FULL` makes every commit durable
/// (fsync) before it returns, so an issued certificate is never lost to a power cut;
/// foreign keys are off by default in SQLite and must be switched on per connection.
struct SQLiteTunedSource: ConnectionPoolSource {
    let path: String

    static let pragmas = [
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 5000",
    ]

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: eventLoop)
            .flatMap { connection in
                Self.pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                    previous.flatMap { connection.query(pragma).map { _ in } }
                }.map { connection }
            }
    }
}
