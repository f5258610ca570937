import Foundation
import ShomeiDomain
import ShomeiStorage

/// A user's certificates, newest first, and the lifecycle state they give now: from one read,
/// so a decision that also acts on the certificate (renewal, re-acquisition, login) rests on the
/// same rows it was decided from.
public struct UserLifecycle: Sendable {
    public let certificates: [CertificateRecord]
    public let status: LifecycleStatus
}

/// The lifecycle read, in one place: every surface that needs a user's certificate situation
/// (login, portal sessions, renewal, re-acquisition, four-eyes re-issue) asks this, which asks the
/// domain's lifecycle function (`CertificateLifecycle`).
struct LifecycleReader: Sendable {
    let policy: LifecyclePolicy
    let clock: @Sendable () -> Date

    func lifecycle(of key: UserKey, in reader: any CertificateReads) async throws -> UserLifecycle {
        let certificates = try await reader.certificates(ofUser: key)
        return UserLifecycle(certificates: certificates, status: CertificateLifecycle.status(of: certificates, policy: policy, at: clock()))
    }

    /// Every user of the contract with its lifecycle state, from two statements however many
    /// users there are.
    func users(of contract: ContractID, in reader: any StoreReader) async throws -> [(user: User, status: LifecycleStatus)] {
        let certificates = Dictionary(grouping: try await reader.certificates(of: contract), by: \.owner)
        let now = clock()
        // Grouping keeps the statement's order: each user's certificates newest first.
        return try await reader.users(in: contract).map { user in
            (user, CertificateLifecycle.status(of: certificates[user.key] ?? [], policy: policy, at: now))
        }
    }

    func status(of key: UserKey, in reader: any CertificateReads) async throws -> LifecycleStatus {
        try await lifecycle(of: key, in: reader).status
    }
}
