/// Group commit for certificate issuances: the ones that arrive while a batch is being written
/// wait, and go into the next transaction together.
///
/// A durable commit costs the same for one issuance as for a hundred (one fsync on SQLite, one
/// round of WAL flush on PostgreSQL), so under load each commit carries every issuance that
/// became ready meanwhile; alone, an issuance is written at once, without waiting for company.
public actor IssuanceBatcher {
    /// What has been written so far: how well batching worked (the benchmark prints it).
    public struct Statistics: Sendable, Equatable {
        public var issuances = 0
        public var transactions = 0
    }

    private struct Waiting {
        let issuance: IssuanceWrite
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private let store: any Store
    private let batchLimit: Int
    private var waiting: [Waiting] = []
    private var writing = false
    public private(set) var statistics = Statistics()

    public init(store: any Store, batchLimit: Int = IssuanceWrite.maximumPerBatch) {
        precondition((1...IssuanceWrite.maximumPerBatch).contains(batchLimit))
        self.store = store
        self.batchLimit = batchLimit
    }

    /// Writes the issuance in the next batch; true once it is committed, false when its
    /// expectations no longer held (nothing of it was written: prepare it again).
    public func record(_ issuance: IssuanceWrite) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(issuance: issuance, continuation: continuation))
            guard !writing else { return }
            writing = true
            Task { await writeWaiting() }
        }
    }

    private func writeWaiting() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(batchLimit))
            waiting.removeFirst(batch.count)
            await write(batch)
        }
        writing = false
    }

    private func write(_ batch: [Waiting]) async {
        let issuances = batch.map(\.issuance)
        do {
            let written = try await store.write { tx in try await tx.record(issuances) }
            statistics.transactions += 1
            statistics.issuances += written.filter { $0 }.count
            for (waiting, wasWritten) in zip(batch, written) { waiting.continuation.resume(returning: wasWritten) }
        } catch where batch.count > 1 {
            // A failure one issuance causes must not fail the others: each is written alone.
            for waiting in batch { await write([waiting]) }
        } catch {
            batch[0].continuation.resume(throwing: error)
        }
    }
}
