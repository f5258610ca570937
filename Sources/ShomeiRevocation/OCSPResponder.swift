import Foundation
import ShomeiDomain
import ShomeiPKI
import ShomeiStorage
import Synchronization
import X509

/// Answers OCSP requests for the issuing CA (RFC 6960, RFC 5019 profile).
///
/// Nonce-less single-certificate requests (what browsers and RFC 5019 clients send) are answered
/// from a cache of signed responses, keyed by the request's exact bytes so a hit needs no parsing.
/// The cache belongs to a generation: when a revocation commits in this process
/// (`revocationCommitted`, called by the RA through `RevocationObserver`) or in another (`refresh`, polled), or the signer rotates, the
/// generation moves and every cached answer — here and in any front cache that checks
/// `isCurrent` — is dropped before the next request is served, so a revoked certificate never
/// reads "good" from a cache after the change is seen.
public final class OCSPResponder: RevocationObserver {
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

    private struct State {
        var signer: OCSPSigner
        var revision: Int64
        /// Request DER → reusable answer, for nonce-less single-certificate requests.
        var cache: [[UInt8]: OCSPAnswer] = [:]
    }

    private let records: RevocationRecords
    private let issuer: Certificate
    private let issuerKey: CAPrivateKey
    private let hashes: OCSPIssuerHashes
    private let policy: Policy
    private let clock: @Sendable () -> Date
    private let state: Mutex<State>
    /// Moves (inside the state lock) whenever cached answers stop being valid; read without the
    /// lock by `isCurrent`, on every request a front cache answers.
    private let generation = Atomic<UInt64>(0)

    /// At most this many cached answers; beyond it the cache starts over (bounded memory).
    static let cacheLimit = 200_000

    public init(
        records: RevocationRecords, issuer: Certificate, issuerKey: CAPrivateKey, policy: Policy = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.records = records
        self.issuer = issuer
        self.issuerKey = issuerKey
        self.hashes = try OCSPIssuerHashes(issuer: issuer)
        self.policy = policy
        self.clock = clock
        let signer = try OCSPSigner.issue(
            by: issuer, issuerKey: issuerKey, now: clock(), lifetime: TimeInterval(policy.signerLifetimeHours) * 3600)
        let revision = try await records.revision()
        state = Mutex(State(signer: signer, revision: revision))
    }

    public var signerCertificate: Certificate { state.withLock { $0.signer.certificate } }

    /// DER request in, DER response out; every failure is an OCSP error response, never a throw.
    public func respond(to requestDER: [UInt8]) async -> [UInt8] {
        await answer(to: requestDER).der
    }

    /// The response with how long it may be given again to exactly the same request bytes.
    public func answer(to requestDER: [UInt8]) async -> OCSPAnswer {
        if var hit = cachedAnswer(to: requestDER) {
            hit.source = .responderCache
            return hit
        }
        let request: OCSPRequest
        do {
            request = try OCSPRequest(derEncoded: requestDER)
        } catch {
            return OCSPAnswer(error: OCSPResponse.status(for: error))
        }
        guard request.certIDs.allSatisfy(hashes.matches) else { return OCSPAnswer(error: .unauthorized) }
        let now = clock()
        do {
            // Taken before the store is read: a revocation committed meanwhile moves it, and the
            // answer is then stale before anyone can reuse it.
            let generation = self.generation.load(ordering: .acquiring)
            let (der, status) = try await signedAnswer(request, at: now)
            guard request.nonce == nil && request.certIDs.count == 1 else { return OCSPAnswer(der: der, status: status) }
            let answer = OCSPAnswer(
                der: der, status: status,
                reusable: .init(until: now.addingTimeInterval(TimeInterval(policy.responseValidityMinutes) * 30), generation: generation))
            remember(answer, for: requestDER)
            return answer
        } catch {
            return OCSPAnswer(error: .internalError)
        }
    }

    /// Whether a reusable answer may still be given: same generation, before its refresh time.
    /// Lock-free, so an HTTP front cache can call it on every hit.
    public func isCurrent(_ answer: OCSPAnswer) -> Bool {
        guard let reusable = answer.reusable else { return false }
        return reusable.generation == generation.load(ordering: .acquiring) && clock() < reusable.until
    }

    private func cachedAnswer(to requestDER: [UInt8]) -> OCSPAnswer? {
        guard let hit = state.withLock({ $0.cache[requestDER] }), isCurrent(hit) else { return nil }
        return hit
    }

    /// A revocation committed in this process: cached answers end before the caller reports it.
    /// If the revision cannot be read, they end anyway (and the poll adopts the revision later).
    public func revocationCommitted() async {
        guard let revision = try? await records.revision() else {
            state.withLock { Self.invalidate(&$0, generation) }
            return
        }
        adopt(revision: revision)
    }

    /// Polled: notices revocations by other processes and rotates the signer when due.
    public func refresh() async throws {
        adopt(revision: try await records.revision())
        let now = clock()
        guard state.withLock({ $0.signer.needsRotation(at: now) }) else { return }
        let signer = try OCSPSigner.issue(
            by: issuer, issuerKey: issuerKey, now: now, lifetime: TimeInterval(policy.signerLifetimeHours) * 3600)
        state.withLock {
            $0.signer = signer
            Self.invalidate(&$0, generation)
        }
    }

    private func adopt(revision: Int64) {
        state.withLock { state in
            guard revision != state.revision else { return }
            state.revision = revision
            Self.invalidate(&state, generation)
        }
    }

    private static func invalidate(_ state: inout State, _ generation: borrowing Atomic<UInt64>) {
        state.cache.removeAll()
        generation.add(1, ordering: .releasing)
    }

    private func remember(_ answer: OCSPAnswer, for requestDER: [UInt8]) {
        state.withLock { state in
            if state.cache.count >= Self.cacheLimit { state.cache.removeAll() }
            state.cache[requestDER] = answer
        }
    }

    /// The signed response, and what it says (`OCSPAnswer.Status.of`).
    private func signedAnswer(_ request: OCSPRequest, at now: Date) async throws -> ([UInt8], OCSPAnswer.Status) {
        let records = try await self.records.certificates(serials: request.certIDs.map { $0.serial.hexEncoded })
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
        let der = try OCSPResponse.successful(singles, signer: signer, producedAt: thisUpdate, nonce: request.nonce)
        return (der, .of(singles.map(\.status)))
    }
}

/// A DER OCSP response, what it says, and whether it may be given again to the same request.
public struct OCSPAnswer: Sendable {
    struct Reuse: Sendable {
        /// Re-signed at half the response validity, so relying parties get fresh thisUpdates.
        let until: Date
        let generation: UInt64
    }

    /// What an answer says, for `/metrics`: the certificate's status, or the error status sent
    /// instead of one. A request about several certificates reads as the worst of them
    /// (revoked, then unknown, then good).
    public enum Status: String, Sendable, CaseIterable {
        case good, revoked, unknown, malformedRequest, unauthorized, internalError, tryLater

        static func of(_ statuses: [OCSPResponse.CertStatus]) -> Status {
            if statuses.contains(where: { if case .revoked = $0 { true } else { false } }) { return .revoked }
            return statuses.contains(.unknown) ? .unknown : .good
        }

        init(_ error: OCSPResponse.Status) {
            self = switch error {
            case .malformedRequest: .malformedRequest
            case .unauthorized: .unauthorized
            case .tryLater: .tryLater
            case .successful, .internalError: .internalError
            }
        }
    }

    /// Where an answer came from: signed for this request, or kept from an identical earlier
    /// one (the responder's cache, or the HTTP listener's in front of it).
    public enum Source: String, Sendable, CaseIterable {
        case signed, responderCache = "responder", frontCache = "front"
    }

    public let der: [UInt8]
    public let status: Status
    public internal(set) var source = Source.signed
    /// nil: answer once (a nonce, several certificates, or an error status).
    let reusable: Reuse?

    init(der: [UInt8], status: Status, reusable: Reuse? = nil) {
        self.der = der
        self.status = status
        self.reusable = reusable
    }

    init(error: OCSPResponse.Status) {
        self.init(der: OCSPResponse.error(error), status: Status(error))
    }
}
