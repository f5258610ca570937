import Foundation
import ShomeiDomain
import SQLKit

/// Writing prepared issuances in bulk: a batch costs the same dozen statements whether it holds
/// one issuance or a hundred, which is what lets one SQLite writer keep up with parallel signing.
extension SQLSession: IssuanceWrites {
    func record(_ issuances: [IssuanceWrite]) async throws -> [Bool] {
        precondition(issuances.count <= IssuanceWrite.maximumPerBatch, "split the batch")
        guard !issuances.isEmpty else { return [] }
        let owners = Array(Set(issuances.map(\.owner)))
        let active = try await lockActiveUsers(owners)
        let unrevoked = try await unrevokedSerials(of: owners)
        let taken = try await storedFingerprints(among: issuances.map(\.certificate.serial))
        let unusedCodes = try await lockUnusedActivationCodes(among: issuances.compactMap(\.spentActivationCode))
        let usedKeys = try await storedOrBlockedKeys(among: issuances.compactMap(\.certificate.keySHA256))
        var claimed = Set<UserKey>(), claimedKeys = Set<String>()
        let applies = issuances.map { write in
            active.contains(write.owner) && unrevoked[write.owner] == write.superseded?.serial
                && taken[write.certificate.serial] == nil
                && (write.spentActivationCode.map(unusedCodes.contains) ?? true)
                && (write.certificate.keySHA256.map { !usedKeys.contains($0) && claimedKeys.insert($0).inserted } ?? true)
                && claimed.insert(write.owner).inserted
        }
        // Written by an earlier call whose commit succeeded but whose answer was lost: done, not
        // stale (which would make the RA issue a second certificate).
        let outcomes = zip(issuances, applies).map { write, applies in
            applies || taken[write.certificate.serial] == write.certificate.fingerprint
        }
        let applied = zip(issuances, applies).filter(\.1).map(\.0)
        guard !applied.isEmpty else { return outcomes }
        try await revoke(applied.compactMap { write in
            write.superseded.flatMap { old in old.revocation.map { (old.serial, $0) } }
        })
        try await insert(applied.map { ($0.certificate, $0.firstNoticeAt) })
        try await markActivationCodesUsed(applied.compactMap { write in write.spentActivationCode.map { ($0, write.time) } })
        try await enqueue(applied.flatMap(\.messages))
        try await appendAudit(applied.flatMap { write in write.audit.map { ($0, write.time) } })
        return outcomes
    }

    // MARK: Expectations, read under lock (on PostgreSQL a row a concurrent transaction changes
    // is waited for and read again, so a certificate revoked meanwhile is not superseded too)

    /// Locks in key order, which every batch shares, so two nodes' batches cannot deadlock.
    private func lockActiveUsers(_ keys: [UserKey]) async throws -> Set<UserKey> {
        let rows = try await database.raw("""
            SELECT contract_id, user_id, status FROM users WHERE \(Self.anyOf(keys))
            ORDER BY contract_id, user_id\(unsafeRaw: flavor.forUpdate)
            """).all()
        return Set(try rows.filter { try $0.string("status") == User.Status.active.rawValue }.map { try $0.userKey() })
    }

    private func unrevokedSerials(of keys: [UserKey]) async throws -> [UserKey: String] {
        let rows = try await database.raw("""
            SELECT serial, contract_id, user_id FROM certificates
            WHERE status = \(literal: CertificateRecord.Status.valid) AND \(Self.anyOf(keys))\(unsafeRaw: flavor.forUpdate)
            """).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.userKey(), try $0.string("serial")) })
    }

    /// The fingerprints of the certificates already stored under these serials.
    private func storedFingerprints(among serials: [String]) async throws -> [String: String] {
        let rows = try await database.raw("SELECT serial, fingerprint FROM certificates WHERE serial IN (\(binds: serials))").all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("serial"), try $0.string("fingerprint")) })
    }

    /// The keys among these that a stored certificate already has, or that are blocked: the key
    /// policy's answer, decided from a read, re-checked here (a key is certified once, ever).
    private func storedOrBlockedKeys(among keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let rows = try await database.raw("""
            SELECT key_sha256 FROM certificates WHERE key_sha256 IN (\(binds: keys))
            UNION SELECT key_sha256 FROM blocked_keys WHERE key_sha256 IN (\(binds: keys))
            """).all()
        return Set(try rows.map { try $0.string("key_sha256") })
    }

    private func lockUnusedActivationCodes(among ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.raw("""
            SELECT id FROM activation_codes WHERE used_at IS NULL AND id IN (\(binds: ids))\(unsafeRaw: flavor.forUpdate)
            """).all()
        return Set(try rows.map { try $0.string("id") })
    }
}
