import ShomeiDomain
import SQLKit

/// One connection's view of the store: the queries of every aggregate and, inside a
/// transaction, their changes. Each aggregate's statements live in their own file
/// (`SQLSession+Users.swift`, `+Certificates`, …), along the seams of `StoreTransaction`.
struct SQLSession: Sendable {
    let database: any SQLDatabase
    let flavor: SQLFlavor
}

extension SQLQueryString {
    /// A stored enum value as a SQL string literal. Used only where a partial index's `WHERE`
    /// names the value (`status = 'valid'`): the planner uses such an index only when the query
    /// states the same literal, which a bound parameter is not. Everywhere else values are bound.
    mutating func appendInterpolation<Value: RawRepresentable<String>>(literal value: Value) {
        appendInterpolation(literal: value.rawValue)
    }
}

// MARK: Pieces of statements every aggregate uses

extension SQLSession {
    /// `((contract_id = ? AND user_id = ?) OR …)`: rows of any of these users. Both databases
    /// look each term up in the (contract_id, user_id) index; SQLite scans the whole table for
    /// the row-value form `(contract_id, user_id) IN (VALUES …)`.
    static func anyOf(_ keys: [UserKey]) -> SQLQueryString {
        let terms: [SQLQueryString] = keys.map { "(\(isUser($0)))" }
        return "(\(terms.joined(separator: " OR ")))"
    }

    /// `CASE column WHEN ? THEN ? … END`: a different value for each row of one UPDATE.
    static func cases(_ column: String, _ pairs: [(String, Int64)]) -> SQLQueryString {
        let arms: [SQLQueryString] = pairs.map { "WHEN \(bind: $0.0) THEN \(bind: $0.1)" }
        return "CASE \(ident: column) \(arms.joined(separator: " ")) END"
    }
}
