import struct Foundation.Date
import ShomeiDomain

/// Server-side sessions: customers' portal sessions and staff's console sessions, each in its
/// own table and cookie so one can never be taken for the other.
public protocol SessionReads: Sendable {
    /// The portal session with this id (the hash of the browser's token), if stored.
    func portalSession(id: String) async throws -> PortalSession?
    func staffSession(id: String) async throws -> StaffSession?
}

public protocol SessionWrites: SessionReads {
    func insert(_ session: PortalSession) async throws
    func insert(_ session: StaffSession) async throws
    /// Records activity on a portal session.
    func touchPortalSession(id: String, at time: Date) async throws
    func touchStaffSession(id: String, at time: Date) async throws
    /// 後で更新する: the renewal choice is not offered again in this session.
    func postponeRenewal(inPortalSession id: String) async throws
    func deletePortalSession(id: String) async throws
    func deleteStaffSession(id: String) async throws
    /// Deletes sessions of both kinds idle since before `idleBefore` or opened before
    /// `createdBefore`; returns how many.
    func deleteSessions(idleBefore: Date, createdBefore: Date) async throws -> Int
}
