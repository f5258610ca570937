import Foundation
import ShomeiDomain
import ShomeiStorage

/// Requests refused before they did anything — a forged or missing CSRF token — recorded the same
/// way on every surface (portal, console, the forms before login).
public struct RefusedRequests: Sendable {
    let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// `actor`: `user:<contract>/<user>`, `staff:<id>`, or `anonymous` before login.
    public func record(_ refusal: ShomeiError, actor: String, path: String) async throws {
        let now = clock()
        _ = try await store.write { tx in
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .requestRefused, target: "request:\(path)", details: ["reason": "\(refusal)"]), at: now)
        }
    }
}
