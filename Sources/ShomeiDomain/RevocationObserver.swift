/// Told when a revocation has committed in this process, before the call that made it returns:
/// the OCSP responder ends its cached answers then, so a revoked certificate never reads "good"
/// from this node after the revocation is reported done. Other processes' revocations are
/// noticed by polling the store's revocation revision.
public protocol RevocationObserver: Sendable {
    func revocationCommitted() async
}
