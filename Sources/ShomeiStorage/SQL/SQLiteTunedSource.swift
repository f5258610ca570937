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
///
/// A reading connection is `query_only`: a write sent to it by mistake fails instead of
/// bypassing the one writer.
struct SQLiteTunedSource: ConnectionPoolSource {
    let path: String
    var readOnly = false

    static let pragmas = [
        "PRAGMA busy_timeout = 5000",  // first: switching to WAL can meet a busy database
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
    ]

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        let pragmas = readOnly ? Self.pragmas + ["PRAGMA query_only = ON"] : Self.pragmas
        return SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: eventLoop)
            .flatMap { connection in
                pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                    previous.flatMap { connection.query(pragma).map { _ in } }
                }.map { connection }
            }
    }
}
