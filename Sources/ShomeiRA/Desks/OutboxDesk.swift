import Foundation
import ShomeiDomain
import ShomeiStorage

/// The operator's one change to the outbox: queue failed or waiting mail for sending now.
public struct OutboxDesk: Sendable {
    let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// Queues one message (by id) or all of them (nil); returns how many. Audited.
    public func requeue(id: String?, actor: String) async throws -> Int {
        let now = clock()
        return try await store.write { tx in
            let count = try await tx.requeueOutbox(id: id, at: now)
            guard count > 0 || id == nil else { throw ShomeiError.outboxMessageNotFound(id ?? "") }
            try await tx.appendAudit(
                AuditEntry(actor: actor, action: .outboxRetried, target: "outbox:\(id ?? "*")", details: ["count": "\(count)"]), at: now)
            return count
        }
    }
}
