import NIOCore
import NIOPosix
import PostgresKit
import ShomeiDomain
import SQLiteKit

/// Telling "the database is away" from every other database error: a connection that cannot
/// be made or was lost (PostgreSQL stopped or restarting, the network gone), the pool timing out
/// waiting for one, PostgreSQL refusing because it is shutting down or starting (SQLSTATE class
/// 57) or a connection exception (class 08), SQLite busy or locked past its busy timeout. Those
/// reach every surface as `ShomeiError.serviceUnavailable` (503 with Retry-After, CLI exit 9):
/// nothing was done and the same request works once the database is back. Any other error is
/// left as it is (a 500 with a general message, and the details in the log).
enum Unavailability {
    static func translating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch where isUnavailability(error) {
            throw ShomeiError.serviceUnavailable
        }
    }

    static func isUnavailability(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed: return true
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("57") || state.hasPrefix("08")
            default: return false
            }
        case let error as SQLiteError:
            return error.reason == .busy || error.reason == .locked
        case is ConnectionPoolTimeoutError, is ChannelError, is NIOConnectionError, is IOError:
            return true
        default:
            return false
        }
    }
}
