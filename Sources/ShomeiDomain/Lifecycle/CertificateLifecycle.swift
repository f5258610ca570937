import struct Foundation.Date

/// Where a user stands with their certificate at one moment, and what they may do about it.
public struct LifecycleStatus: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Never had a certificate: first issuance (電子証明書発行) with an activation code.
        case noCertificate
        case valid
        /// From `renewalWindowDays` before expiry until expiry: 更新 is offered.
        case renewalWindow
        /// Expired, but self re-acquisition (電子証明書取得) with ID and password still works.
        case expiredReacquirable
        /// Expired beyond the grace period: the bank must re-issue (new activation code).
        case reissueRequired
        /// Revoked and not replaced: the bank must re-issue.
        case revoked
    }

    public enum Action: String, Sendable, Codable, CaseIterable {
        case firstIssuance
        case renewNow
        case renewLater
        case reacquire
        case bankReissue
    }

    public let state: State
    /// The certificate the state is about: the valid one, else the newest.
    public let certificate: CertificateRecord?
    public let actions: [Action]
    /// When renewal opens (start of the window) for the current certificate.
    public let renewalOpensAt: Date?
    /// The last moment self re-acquisition is allowed for the current certificate.
    public let reacquirableUntil: Date?

    /// Login with the certificate is possible only while it is valid (window included).
    public var admitsLogin: Bool { state == .valid || state == .renewalWindow }
}

/// The one place the lifecycle's date rules live. Login, portal, EST and console ask it; none of
/// them compares dates on its own.
///
/// Boundaries: RFC 5280 makes `notAfter` inclusive, so a certificate is valid through that second
/// and expired after it. The window opens exactly `renewalWindowDays × 24 h` before `notAfter`;
/// re-acquisition is allowed through exactly `reacquisitionGraceDays × 24 h` after it.
public enum CertificateLifecycle {
    public static func status(
        of certificates: [CertificateRecord], policy: LifecyclePolicy, at now: Date
    ) -> LifecycleStatus {
        guard let current = current(of: certificates) else {
            return LifecycleStatus(state: .noCertificate, certificate: nil, actions: [.firstIssuance],
                                   renewalOpensAt: nil, reacquirableUntil: nil)
        }
        let opens = current.notAfter.addingTimeInterval(-policy.renewalWindow)
        let until = current.notAfter.addingTimeInterval(policy.reacquisitionGrace)
        let (state, actions) = stateAndActions(current, opens: opens, until: until, now: now)
        return LifecycleStatus(state: state, certificate: current, actions: actions,
                               renewalOpensAt: opens, reacquirableUntil: until)
    }

    /// The user's unrevoked certificate (at most one exists), else the newest one.
    static func current(of certificates: [CertificateRecord]) -> CertificateRecord? {
        certificates.first { $0.revocation == nil }
            ?? certificates.max { ($0.issuedAt, $0.serial) < ($1.issuedAt, $1.serial) }
    }

    private static func stateAndActions(
        _ certificate: CertificateRecord, opens: Date, until: Date, now: Date
    ) -> (LifecycleStatus.State, [LifecycleStatus.Action]) {
        if certificate.revocation != nil { return (.revoked, [.bankReissue]) }
        if now < opens { return (.valid, []) }
        if now <= certificate.notAfter { return (.renewalWindow, [.renewNow, .renewLater]) }
        if now <= until { return (.expiredReacquirable, [.reacquire]) }
        return (.reissueRequired, [.bankReissue])
    }
}
