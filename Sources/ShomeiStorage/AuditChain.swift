import Crypto
import Foundation
import ShomeiDomain

/// The hash chain over audit entries (SPEC §8: tamper-evident audit log).
///
/// Each entry's hash is SHA-256 over its own fields and the previous entry's hash, so changing,
/// removing or reordering any stored entry makes `verify` report the first broken place.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    static func link(_ entry: AuditEntry, time: Date, sequence: Int64, previousHash: String) throws -> AuditEvent {
        let millis = Date(millis: time.millis)
        return AuditEvent(
            sequence: sequence, actor: entry.actor, action: entry.action, target: entry.target, time: millis,
            details: entry.details, previousHash: previousHash,
            hash: try hash(sequence: sequence, actor: entry.actor, action: entry.action, target: entry.target,
                           time: millis, details: entry.details, previousHash: previousHash))
    }

    /// Where the chain breaks, if it does.
    public enum Verdict: Sendable, Equatable {
        case intact(entries: Int)
        case broken(atSequence: Int64)
    }

    /// Re-computes every hash from the first entry on.
    public static func verify(_ store: any Store, batchSize: Int = 1000) async throws -> Verdict {
        var previous = (sequence: Int64(0), hash: genesisHash)
        var count = 0
        while true {
            let after = previous.sequence
            let batch = try await store.read { try await $0.auditEvents(after: after, limit: batchSize) }
            guard !batch.isEmpty else { return .intact(entries: count) }
            for event in batch {
                let expected = try hash(
                    sequence: event.sequence, actor: event.actor, action: event.action, target: event.target,
                    time: event.time, details: event.details, previousHash: previous.hash)
                guard event.sequence == previous.sequence + 1, event.previousHash == previous.hash,
                    event.hash == expected
                else { return .broken(atSequence: event.sequence) }
                previous = (event.sequence, event.hash)
                count += 1
            }
        }
    }

    static func canonicalDetails(_ details: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }

    private static func hash(
        sequence: Int64, actor: String, action: AuditEvent.Action, target: String, time: Date,
        details: [String: String], previousHash: String
    ) throws -> String {
        let fields = [
            String(sequence), actor, action.rawValue, target, String(time.millis),
            try canonicalDetails(details), previousHash,
        ]
        // Length-prefixing each field keeps "a|bc" and "ab|c" apart.
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "\n")
        return SHA256.hash(data: Array(canonical.utf8)).hexEncoded
    }
}
