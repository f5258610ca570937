import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: APIClientWrites, IdempotencyWrites {
    func apiClient(tokenSHA256: String) async throws -> APIClient? {
        try await database.raw("SELECT * FROM api_clients WHERE token_sha256 = \(bind: tokenSHA256)").first().map(APIClient.init(row:))
    }

    func apiClient(named name: APIClientName) async throws -> APIClient? {
        try await database.raw("SELECT * FROM api_clients WHERE name = \(bind: name.rawValue)").first().map(APIClient.init(row:))
    }

    func apiClients() async throws -> [APIClient] {
        try await database.raw("SELECT * FROM api_clients ORDER BY name").all().map(APIClient.init(row:))
    }

    func insert(_ client: APIClient) async throws {
        try await database.raw("""
            INSERT INTO api_clients (name, scopes, token_sha256, created_at)
            VALUES (\(bind: client.name.rawValue), \(bind: client.scopes.sorted().map(\.rawValue).joined(separator: " ")),
                    \(bind: client.tokenSHA256), \(bind: client.createdAt.millis))
            """).run()
    }

    func revokeAPIClient(_ name: APIClientName, at time: Date) async throws -> Bool {
        try await database.raw("""
            UPDATE api_clients SET revoked_at = \(bind: time.millis) WHERE name = \(bind: name.rawValue) AND revoked_at IS NULL
            RETURNING name
            """).first() != nil
    }

    func idempotentAnswer(client: String, key: String) async throws -> IdempotentAnswer? {
        try await database.raw("""
            SELECT request_sha256, status, body FROM api_idempotency
            WHERE client = \(bind: client) AND idempotency_key = \(bind: key)
            """).first().map { row in
            IdempotentAnswer(
                requestSHA256: try row.string("request_sha256"),
                status: try row.decode(column: "status", as: Int64?.self).map { Int($0) },
                body: try row.decode(column: "body", as: String?.self))
        }
    }

    func claimIdempotencyKey(client: String, key: String, requestSHA256: String, at time: Date) async throws -> Bool {
        try await database.raw("""
            INSERT INTO api_idempotency (client, idempotency_key, request_sha256, created_at)
            VALUES (\(bind: client), \(bind: key), \(bind: requestSHA256), \(bind: time.millis))
            ON CONFLICT (client, idempotency_key) DO NOTHING RETURNING client
            """).first() != nil
    }

    func keepIdempotentAnswer(client: String, key: String, status: Int, body: String) async throws {
        try await database.raw("""
            UPDATE api_idempotency SET status = \(bind: Int64(status)), body = \(bind: body)
            WHERE client = \(bind: client) AND idempotency_key = \(bind: key)
            """).run()
    }

    func releaseIdempotencyKey(client: String, key: String) async throws {
        try await database.raw("""
            DELETE FROM api_idempotency WHERE client = \(bind: client) AND idempotency_key = \(bind: key) AND status IS NULL
            """).run()
    }

    func purgeIdempotentAnswers(before time: Date) async throws -> Int {
        try await database.raw("DELETE FROM api_idempotency WHERE created_at < \(bind: time.millis) RETURNING client").all().count
    }
}

extension APIClient {
    init(row: any SQLRow) throws {
        let scopes = try row.string("scopes").split(separator: " ").compactMap { APIScope(rawValue: String($0)) }
        self.init(
            name: try APIClientName(try row.string("name")), scopes: Set(scopes), tokenSHA256: try row.string("token_sha256"),
            createdAt: try row.date("created_at"), revokedAt: try row.optionalDate("revoked_at"))
    }
}
