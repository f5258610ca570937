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

    func status(of key: UserKey, in reader: any CertificateReads) async throws -> LifecycleStatus {
        try await lifecycle(of: key, in: reader).status
    }
}
