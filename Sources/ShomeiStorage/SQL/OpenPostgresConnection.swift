import Logging
import NIOCore
import PostgresKit

/// A PostgreSQL connection that hands a statement to its channel only while the channel is open,
/// and fails it at once otherwise.
///
/// PostgresNIO 1.33.2 writes every query to its channel with `write(_:promise: nil)`
/// (`PostgresConnection.queryStream`). Once the server has closed the connection and NIO has
/// taken the channel's handlers down, that write fails into nothing and the query's promise is
/// never completed: the caller waits forever (the fix, vapor/postgres-nio#487, was reverted in
/// #501; #497, which redoes it, is open). It happened when
/// PostgreSQL stopped in the middle of a transaction: the next statement or the ROLLBACK after the
/// lost one never returned, the outbox job hung, and `shomei serve` could no longer shut down.
///
/// While a channel is active its Postgres handler is in the pipeline, and that handler fails
/// whatever it is given after a close. So the check and the write are made together on the
/// connection's event loop, where nothing can close the channel between them; a closed connection
/// fails the statement with `ChannelError.ioOnClosedChannel`, which `Unavailability` reports as the
/// database being away. Every statement sql-kit runs comes through `withConnection` or `send`;
/// PostgresKit's `withSession` and prepared queries hand out the bare connection and are not
/// used.
///
/// A server that goes silent without closing (a network partition, a frozen host) would hold a
/// statement until TCP gives up, a quarter of an hour on Linux: a statement unanswered after
/// `statementLimit` closes its connection, which fails it the same way. Shomei's statements are
/// short (the longest, a CRL of a million entries, reads in seconds; long reads are paged).
struct OpenPostgresConnection: PostgresDatabase {
    let connection: PostgresConnection
    let statementLimit: TimeAmount

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }

    func send(_ request: any PostgresRequest, logger: Logger) -> EventLoopFuture<Void> {
        whileOpen { connection.send(request, logger: logger) }
    }

    func withConnection<T>(_ closure: @escaping (PostgresConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        whileOpen { closure(connection) }
    }

    private func whileOpen<T>(_ body: @escaping () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let promise = eventLoop.makePromise(of: T.self)
        let statement = OnTheLoop(body: body)
        let (connection, limit) = (connection, statementLimit)
        eventLoop.execute {
            guard !connection.isClosed else { return promise.fail(ChannelError.ioOnClosedChannel) }
            let deadline = connection.eventLoop.scheduleTask(in: limit) { connection.close() as EventLoopFuture<Void> }
            // PostgresNIO makes every statement's future on the channel's loop, this one.
            statement.body().assumeIsolated().whenComplete { result in
                deadline.cancel()
                promise.assumeIsolated().completeWith(result)
            }
        }
        return promise.futureResult
    }
}

/// PostgresKit's statement closure, carried to the connection's event loop and run there once.
/// `@unchecked Sendable`: PostgresNIO's `PostgresDatabase` predates Sendable closures, and the
/// closure (a `connection.query` call) is only ever run on that loop, never concurrently.
private struct OnTheLoop<T>: @unchecked Sendable {
    let body: () -> EventLoopFuture<T>
}
