import struct Foundation.Date
import ShomeiDomain

/// What the CRL and OCSP publishers may see of the store, and nothing more: the revocation
/// revision, certificates by serial, the revoked list, and the next CRL number.
public struct RevocationRecords: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// The counter every revocation increments (`CertificateReads.revocationRevision`).
    public func revision() async throws -> Int64 {
        try await store.read { try await $0.revocationRevision() }
    }

    /// The stored certificates among these serials, by serial.
    public func certificates(serials: [String]) async throws -> [String: CertificateRecord] {
        let records = try await store.read { try await $0.certificates(serials: serials) }
        return Dictionary(records.map { ($0.serial, $0) }) { first, _ in first }
    }

    /// The revision and the revoked, unexpired certificates, from one read: a CRL states both.
    public func revoked(notExpiredAt date: Date) async throws -> (revision: Int64, revoked: [RevokedSerial]) {
        try await store.read { reader in
            (try await reader.revocationRevision(), try await reader.revokedCertificates(notExpiredAt: date))
        }
    }

    /// The next CRL number, strictly increasing across nodes.
    public func nextCRLNumber() async throws -> Int64 {
        try await store.write { try await $0.nextCRLNumber() }
    }
}
