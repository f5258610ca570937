import struct Foundation.Date

/// A bank staff account of the console (`/bank`), created by the CLI at first.
public struct Staff: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Handles applications and requests direct actions.
        case `operator`
        /// Approves an operator's direct action (four-eyes); may also handle applications.
        case approver
        /// Reads everything, changes nothing.
        case auditor
        /// Manages staff accounts; may do everything an approver does.
        case administrator

        /// 受付済 / 再提出要 on customers' applications.
        public var decidesApplications: Bool { self != .auditor }
    }

    public enum Status: String, Sendable, Codable {
        case active
        /// Too many wrong passwords; an administrator unlocks it.
        case locked
    }

    /// The login name: 1–32 ASCII letters, digits, `.`, `_`, `-`.
    public let id: String
    public let name: String
    public let role: Role
    public let passwordHash: String
    public var status: Status
    public let createdAt: Date

    public init(id: String, name: String, role: Role, passwordHash: String, status: Status = .active, createdAt: Date) throws(ShomeiError) {
        guard Self.isValidID(id) else { throw .invalidStaffID(id) }
        guard DisplayName.isValid(name) else { throw .invalidName(name) }
        self.id = id
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.status = status
        self.createdAt = createdAt
    }

    public static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count) && id.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// How the staff member appears in application histories and the audit trail.
    public var actor: ApplicationActor { ApplicationActor(side: .bank, id: id, name: name) }
}

/// A console session: like a customer's (`PortalSession`) but for a staff account, in its own
/// table and cookie, so the two can never be mistaken for each other.
public struct StaffSession: StoredSession {
    /// Hex SHA-256 of the cookie token.
    public let id: String
    public let staffID: String
    public let csrfToken: String
    public let createdAt: Date
    public var lastSeenAt: Date

    public init(id: String, staffID: String, csrfToken: String, createdAt: Date, lastSeenAt: Date) {
        self.id = id
        self.staffID = staffID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}
