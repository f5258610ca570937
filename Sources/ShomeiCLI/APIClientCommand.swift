import ArgumentParser
import Foundation
import ShomeiDomain

/// The bank's own systems that call the JSON API (`/api/v1`, docs/API.md).
struct APIClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-client", abstract: "API clients of the bank's JSON API: add, list, revoke.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an API client and print its bearer token once.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Name, shown as the actor of its changes: 1–64 ASCII letters, digits, '.', '_', '-'.") var name: String
        @Option(help: "Comma-separated scopes: \(APIScope.allCases.map(\.rawValue).joined(separator: ", ")).") var scope: String

        func run() async throws {
            let name = try APIClientName(name)
            let scopes = try APIScope.parse(scope)
            let (client, token) = try await options.withInstallation { installation in
                try await installation.apiClients.add(name: name, scopes: scopes, actor: options.auditActor)
            }
            let scopeList = client.scopes.sorted().map(\.rawValue).joined(separator: " ")
            try Output(json: options.json).emit(["name": client.name.rawValue, "scopes": scopeList, "token": token]) {
                "API client \(client.name) added (\(scopeList)); its token, shown this once:\n\(token)"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the API clients (never their tokens).")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let clients = try await options.withInstallation { try await $0.apiClients.clients() }
            let rows = clients.map { client in
                ["name": client.name.rawValue, "scopes": client.scopes.sorted().map(\.rawValue).joined(separator: " "),
                 "createdAt": ISO8601DateFormatter().string(from: client.createdAt),
                 "revokedAt": client.revokedAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""]
            }
            try Output(json: options.json).emit(rows) {
                rows.map { "\($0["name"]!)\t\($0["scopes"]!)\t\($0["revokedAt"]!.isEmpty ? "active" : "revoked \($0["revokedAt"]!)")" }
                    .joined(separator: "\n")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API client: its token is refused from now on.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Name of the client.") var name: String

        func run() async throws {
            let name = try APIClientName(name)
            try await options.withInstallation { try await $0.apiClients.revoke(name, actor: options.auditActor) }
            try Output(json: options.json).emit(["revoked": name.rawValue]) { "API client \(name) revoked" }
        }
    }
}
