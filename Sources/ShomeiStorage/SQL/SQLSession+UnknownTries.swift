import Crypto
import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: UnknownTryWrites {
    func unknownTries(name: String) async throws -> Int {
        let row = try await database.raw("SELECT tries FROM unknown_tries WHERE name_hash = \(bind: Self.nameHash(name))").first()
        return Int(try row?.decode(column: "tries", as: Int64.self) ?? 0)
    }

    func takeUnknownTry(name: String, at time: Date) async throws -> Int {
        let row = try await database.raw("""
            INSERT INTO unknown_tries (name_hash, tries, last_try_at) VALUES (\(bind: Self.nameHash(name)), 1, \(bind: time.millis))
            ON CONFLICT (name_hash) DO UPDATE SET tries = unknown_tries.tries + 1, last_try_at = excluded.last_try_at
            RETURNING tries
            """).first()
        return Int(try row?.decode(column: "tries", as: Int64.self) ?? 1)
    }

    func purgeUnknownTries(before time: Date) async throws -> Int {
        try await database.raw("DELETE FROM unknown_tries WHERE last_try_at < \(bind: time.millis) RETURNING name_hash").all().count
    }

    /// The names themselves are not kept: only what a guess would have to match.
    private static func nameHash(_ name: String) -> String {
        SHA256.hash(data: Data(name.utf8)).hexEncoded
    }
}
