import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import Synchronization
import X509

/// Keeps the issuing CA's current CRL as signed bytes, so a request never triggers signing.
///
/// A new CRL is made when the revocation set changes (any process's revocation bumps the store's
/// revision; `run` polls it every few seconds and `publish` can be called at once after an
/// in-process revocation) and when the refresh interval has passed.
public final class CRLPublisher: Sendable {
    /// CRL lifetimes, from the data folder's configuration.
    public struct Policy: Sendable, Codable, Equatable {
        /// thisUpdate → nextUpdate.
        public var validityHours: Int
        /// A fresh CRL at least this often, even without revocations.
        public var refreshMinutes: Int

        public init(validityHours: Int = 24, refreshMinutes: Int = 60) {
            self.validityHours = validityHours
            self.refreshMinutes = refreshMinutes
        }
    }

    /// One signed CRL and what the HTTP layer needs to describe it.
    public struct Published: Sendable {
        public let der: [UInt8]
        public let number: Int64
        public let thisUpdate: Date
        public let nextUpdate: Date
        public let revision: Int64
        public let entries: Int
    }

    private let records: RevocationRecords
    private let issuer: Certificate
    private let key: CAPrivateKey
    private let policy: Policy
    private let clock: @Sendable () -> Date
    private let latest = Mutex<Published?>(nil)

    public init(
        records: RevocationRecords, issuer: Certificate, key: CAPrivateKey, policy: Policy,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.records = records
        self.issuer = issuer
        self.key = key
        self.policy = policy
        self.clock = clock
    }

    public var current: Published? { latest.withLock { $0 } }

    /// Reads the revocations, takes the next CRL number and signs a new CRL.
    @discardableResult
    public func publish() async throws -> Published {
        let now = clock()
        let (revision, revoked) = try await records.revoked(notExpiredAt: now)
        let number = try await records.nextCRLNumber()
        let thisUpdate = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let nextUpdate = thisUpdate.addingTimeInterval(TimeInterval(policy.validityHours) * 3600)
        let der = try CertificateRevocationList.build(
            issuer: issuer, key: key,
            entries: revoked.map { .init(serial: Self.bytes(hex: $0.serial), revocationDate: $0.revocation.time, reason: $0.revocation.reason) },
            number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
        let published = Published(
            der: der, number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, revision: revision,
            entries: revoked.count)
        latest.withLock { current in
            if current.map({ $0.number < number }) ?? true { current = published }
        }
        return published
    }

    /// Publishes when the revocation set changed or the refresh interval passed.
    public func refreshIfNeeded() async throws {
        let revision = try await records.revision()
        guard let current else {
            try await publish()
            return
        }
        let age = clock().timeIntervalSince(current.thisUpdate)
        if revision != current.revision || age >= TimeInterval(policy.refreshMinutes) * 60 {
            try await publish()
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
