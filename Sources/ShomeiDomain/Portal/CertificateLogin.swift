import struct Foundation.Date

/// Why a presented client certificate does not admit its holder to the portal.
public enum CertificateRefusal: Sendable, Equatable {
    /// Not a certificate in our store (the TLS layer already checked it chains to our CA).
    case unknown
    /// An older certificate of a user who now holds a newer, valid one.
    case superseded
    /// The user's certificate situation, as the lifecycle function sees it (expired, past the
    /// grace period, revoked); `reacquirableUntil` says until when 電子証明書取得 works.
    case lifecycle(LifecycleStatus.State, reacquirableUntil: Date?)
}

/// The certificate half of 電子証明書方式 login (SPEC §4): is the presented certificate the
/// user's current one, and may it log in now? The password is checked only after this says yes.
public enum CertificateLogin {
    /// `record` is the stored certificate with the presented serial (nil when there is none);
    /// `status` is its owner's lifecycle status now.
    public static func refusal(
        presenting serial: String, record: CertificateRecord?, status: LifecycleStatus
    ) -> CertificateRefusal? {
        guard record != nil else { return .unknown }
        let isCurrent = status.certificate?.serial == serial
        switch (isCurrent, status.admitsLogin) {
        case (true, true): return nil
        case (false, true): return .superseded
        default: return .lifecycle(status.state, reacquirableUntil: status.reacquirableUntil)
        }
    }
}
