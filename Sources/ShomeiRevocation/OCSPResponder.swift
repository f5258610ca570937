import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import Synchronization
import X509

/// Answers OCSP requests for the issuing CA (RFC 6960, RFC 5019 profile).
///
/// Nonce-less single-certificate requests (what browsers and RFC 5019 clients send) are answered
/// from a cache of signed responses. The cache is keyed by the revocation revision: when a
/// revocation commits in this process (`revocationCommitted`) or in another (`refresh`, polled),
/// every cached answer is dropped before the next request is served, so a revoked certificate
/// never reads "good" from the cache after the change is seen.
public final class OCSPResponder: Sendable {
    public struct Policy: Sendable, Codable, Equatable {
        /// thisUpdate → nextUpdate of each answer; cached answers are re-signed at half of it.
        public var responseValidityMinutes: Int
        /// Lifetime of the delegated signing certificate; rotated at half of it.
        public var signerLifetimeHours: Int

        public init(responseValidityMinutes: Int = 60, signerLifetimeHours: Int = 48) {
            self.responseValidityMinutes = responseValidityMinutes
            self.signerLifetimeHours = signerLifetimeHours
        }
    }

    private struct Cached {
        let der: [UInt8]
        let refreshAt: Date
    }

    private struct State {
        var signer: OCSPSigner
        var revision: Int64
        var cache: [[UInt8]: Cached] = [:]
    }

    private let store: any Store
    private let issuer: Certificate
    private let issuerKey: CAPrivateKey
    private let hashes: OCSPIssuerHashes
    private let policy: Policy
    private let clock: @Sendable () -> Date
    private let state: Mutex<State>

    /// At most this many cached answers; beyond it the cache starts over (bounded memory).
    static let cacheLimit = 200_000

    public init(
        store: any Store, issuer: Certificate, issuerKey: CAPrivateKey, policy: Policy = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.store = store
        self.issuer = issuer
        self.issuerKey = issuerKey
        self.hashes = try OCSPIssuerHashes(issuer: issuer)
        self.policy = policy
        self.clock = clock
        let signer = try OCSPSigner.issue(
            by: issuer, issuerKey: issuerKey, now: clock(), lifetime: TimeInterval(policy.signerLifetimeHours) * 3600)
        let revision = try await store.read { try await $0.revocationRevision() }
        state = Mutex(State(signer: signer, revision: revision))
    }

    public var signerCertificate: Certificate { state.withLock { $0.signer.certificate } }

    /// DER request in, DER response out; every failure is an OCSP error response, never a throw.
    public func respond(to requestDER: [UInt8]) async -> [UInt8] {
        let request: OCSPRequest
        do {
            request = try OCSPRequest(derEncoded: requestDER)
        } catch {
            return OCSPResponse.error(for: error)
        }
        guard request.certIDs.allSatisfy(hashes.matches) else { return OCSPResponse.error(.unauthorized) }
        let now = clock()
        let cacheable = request.nonce == nil && request.certIDs.count == 1
        if cacheable, let hit = cachedAnswer(for: request.certIDs[0], at: now) { return hit }
        do {
            let revision = state.withLock { $0.revision }
            let der = try await answer(request, at: now)
            if cacheable { remember(der, for: request.certIDs[0], revision: revision, at: now) }
            return der
        } catch {
            return OCSPResponse.error(.internalError)
        }
    }

    /// Call after a revocation commits in this process, before reporting success.
    public func revocationCommitted() async throws {
        let revision = try await store.read { try await $0.revocationRevision() }
        adopt(revision: revision)
    }

    /// Polled: notices revocations by other processes and rotates the signer when due.
    public func refresh() async throws {
        let revision = try await store.read { try await $0.revocationRevision() }
        adopt(revision: revision)
        let now = clock()
        guard state.withLock({ $0.signer.needsRotation(at: now) }) else { return }
        let signer = try OCSPSigner.issue(
            by: issuer, issuerKey: issuerKey, now: now, lifetime: TimeInterval(policy.signerLifetimeHours) * 3600)
        state.withLock {
            $0.signer = signer
            $0.cache.removeAll()
        }
    }

    private func adopt(revision: Int64) {
        state.withLock { state in
            guard revision != state.revision else { return }
            state.revision = revision
            state.cache.removeAll()
        }
    }

    private func cachedAnswer(for certID: OCSPCertID, at now: Date) -> [UInt8]? {
        state.withLock { state in
            guard let entry = state.cache[certID.der], now < entry.refreshAt else { return nil }
            return entry.der
        }
    }

    private func remember(_ der: [UInt8], for certID: OCSPCertID, revision: Int64, at now: Date) {
        let refreshAt = now.addingTimeInterval(TimeInterval(policy.responseValidityMinutes) * 30)
        state.withLock { state in
            // An answer computed before a revision change must not outlive it.
            guard state.revision == revision else { return }
            if state.cache.count >= Self.cacheLimit { state.cache.removeAll() }
            state.cache[certID.der] = Cached(der: der, refreshAt: refreshAt)
        }
    }

    private func answer(_ request: OCSPRequest, at now: Date) async throws -> [UInt8] {
        let serials = request.certIDs.map { $0.serial.hexEncoded }
        let records = try await store.read { reader in
            var records: [String: CertificateRecord] = [:]
            for serial in serials { records[serial] = try await reader.certificate(serial: serial) }
            return records
        }
        let thisUpdate = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let nextUpdate = thisUpdate.addingTimeInterval(TimeInterval(policy.responseValidityMinutes) * 60)
        let singles = request.certIDs.map { certID in
            let status: OCSPResponse.CertStatus = switch records[certID.serial.hexEncoded] {
            case .none: .unknown
            case .some(let record): record.revocation.map { .revoked($0) } ?? .good
            }
            return OCSPResponse.Single(certID: certID, status: status, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
        }
        let signer = state.withLock { $0.signer }
        return try OCSPResponse.successful(singles, signer: signer, producedAt: thisUpdate, nonce: request.nonce)
    }
}
