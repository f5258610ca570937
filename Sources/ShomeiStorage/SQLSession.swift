import Foundation
import ShomeiDomain
import SQLKit

/// One connection's view of the store: the queries of `StoreReader` and, inside a transaction,
/// the changes of `StoreTransaction`.
struct SQLSession: StoreTransaction {
    let database: any SQLDatabase
    let flavor: SQLFlavor

    // MARK: Contracts

    func contract(_ id: ContractID) async throws -> Contract? {
        try await database.raw("SELECT * FROM contracts WHERE id = \(bind: id.rawValue)").first()
            .map(Contract.init(row:))
    }

    func contracts() async throws -> [Contract] {
        try await database.raw("SELECT * FROM contracts ORDER BY id").all().map(Contract.init(row:))
    }

    func insert(_ contract: Contract) async throws {
        try await database.raw("""
            INSERT INTO contracts (id, name, created_at, login_method)
            VALUES (\(bind: contract.id.rawValue), \(bind: contract.name), \(bind: contract.createdAt.millis),
                    \(bind: contract.loginMethod.rawValue))
            """).run()
    }

    // MARK: Users

    func user(_ key: UserKey) async throws -> User? {
        try await selectUser(key, suffix: "")
    }

    func lockUser(_ key: UserKey) async throws -> User? {
        try await selectUser(key, suffix: flavor.forUpdate)
    }

    private func selectUser(_ key: UserKey, suffix: String) async throws -> User? {
        try await database.raw("""
            SELECT * FROM users WHERE contract_id = \(bind: key.contractID.rawValue)
            AND user_id = \(bind: key.userID.rawValue)\(unsafeRaw: suffix)
            """).first().map(User.init(row:))
    }

    func users(in contract: ContractID) async throws -> [User] {
        try await database.raw("SELECT * FROM users WHERE contract_id = \(bind: contract.rawValue) ORDER BY user_id")
            .all().map(User.init(row:))
    }

    func activeMasters(of contract: ContractID) async throws -> [User] {
        try await database.raw("""
            SELECT * FROM users WHERE contract_id = \(bind: contract.rawValue) AND role = 'master' AND status = 'active'
            ORDER BY user_id
            """).all().map(User.init(row:))
    }

    func insert(_ user: User) async throws {
        try await database.raw("""
            INSERT INTO users (contract_id, user_id, name, role, email, password_hash, status, created_at, language)
            VALUES (\(bind: user.key.contractID.rawValue), \(bind: user.key.userID.rawValue), \(bind: user.name),
                    \(bind: user.role.rawValue), \(bind: user.email.rawValue), \(bind: user.passwordHash),
                    \(bind: user.status.rawValue), \(bind: user.createdAt.millis), \(bind: user.language.rawValue))
            """).run()
    }

    func setStatus(_ status: User.Status, of user: UserKey) async throws {
        try await database.raw("""
            UPDATE users SET status = \(bind: status.rawValue)
            WHERE contract_id = \(bind: user.contractID.rawValue) AND user_id = \(bind: user.userID.rawValue)
            """).run()
    }

    func recordPasswordFailure(of user: UserKey) async throws -> Int {
        let row = try await database.raw("""
            UPDATE users SET failed_password_attempts = failed_password_attempts + 1
            WHERE contract_id = \(bind: user.contractID.rawValue) AND user_id = \(bind: user.userID.rawValue)
            RETURNING failed_password_attempts
            """).first()
        return Int(try row?.decode(column: "failed_password_attempts", as: Int64.self) ?? 0)
    }

    func resetPasswordFailures(of user: UserKey) async throws {
        try await database.raw("""
            UPDATE users SET failed_password_attempts = 0
            WHERE contract_id = \(bind: user.contractID.rawValue) AND user_id = \(bind: user.userID.rawValue)
            """).run()
    }

    // MARK: Portal sessions

    func portalSession(id: String) async throws -> PortalSession? {
        try await database.raw("SELECT * FROM portal_sessions WHERE id = \(bind: id)").first().map(PortalSession.init(row:))
    }

    func insert(_ session: PortalSession) async throws {
        try await database.raw("""
            INSERT INTO portal_sessions
                (id, contract_id, user_id, certificate_serial, csrf_token, created_at, last_seen_at, renewal_postponed)
            VALUES (\(bind: session.id), \(bind: session.user.contractID.rawValue), \(bind: session.user.userID.rawValue),
                    \(bind: session.certificateSerial), \(bind: session.csrfToken), \(bind: session.createdAt.millis),
                    \(bind: session.lastSeenAt.millis), \(bind: Int64(session.renewalPostponed ? 1 : 0)))
            """).run()
    }

    func update(_ session: PortalSession) async throws {
        try await database.raw("""
            UPDATE portal_sessions SET last_seen_at = \(bind: session.lastSeenAt.millis),
                renewal_postponed = \(bind: Int64(session.renewalPostponed ? 1 : 0))
            WHERE id = \(bind: session.id)
            """).run()
    }

    func deleteSession(id: String) async throws {
        try await database.raw("DELETE FROM portal_sessions WHERE id = \(bind: id)").run()
    }

    func deleteSessions(idleBefore: Date, createdBefore: Date) async throws -> Int {
        try await database.raw("""
            DELETE FROM portal_sessions
            WHERE last_seen_at < \(bind: idleBefore.millis) OR created_at < \(bind: createdBefore.millis)
            RETURNING id
            """).all().count
    }

    // MARK: Staff

    func staff(id: String) async throws -> Staff? {
        try await database.raw("SELECT * FROM staff WHERE id = \(bind: id)").first().map(Staff.init(row:))
    }

    func insert(_ staff: Staff) async throws {
        try await database.raw("""
            INSERT INTO staff (id, name, role, password_hash, status, created_at)
            VALUES (\(bind: staff.id), \(bind: staff.name), \(bind: staff.role.rawValue), \(bind: staff.passwordHash),
                    \(bind: staff.status.rawValue), \(bind: staff.createdAt.millis))
            """).run()
    }

    func setStatus(_ status: Staff.Status, ofStaff id: String) async throws {
        try await database.raw("UPDATE staff SET status = \(bind: status.rawValue) WHERE id = \(bind: id)").run()
    }

    func recordStaffPasswordFailure(id: String) async throws -> Int {
        let row = try await database.raw("""
            UPDATE staff SET failed_password_attempts = failed_password_attempts + 1 WHERE id = \(bind: id)
            RETURNING failed_password_attempts
            """).first()
        return Int(try row?.decode(column: "failed_password_attempts", as: Int64.self) ?? 0)
    }

    func resetStaffPasswordFailures(id: String) async throws {
        try await database.raw("UPDATE staff SET failed_password_attempts = 0 WHERE id = \(bind: id)").run()
    }

    func staffSession(id: String) async throws -> StaffSession? {
        try await database.raw("SELECT * FROM staff_sessions WHERE id = \(bind: id)").first().map(StaffSession.init(row:))
    }

    func insert(_ session: StaffSession) async throws {
        try await database.raw("""
            INSERT INTO staff_sessions (id, staff_id, csrf_token, created_at, last_seen_at)
            VALUES (\(bind: session.id), \(bind: session.staffID), \(bind: session.csrfToken), \(bind: session.createdAt.millis),
                    \(bind: session.lastSeenAt.millis))
            """).run()
    }

    func touchStaffSession(id: String, at time: Date) async throws {
        try await database.raw("UPDATE staff_sessions SET last_seen_at = \(bind: time.millis) WHERE id = \(bind: id)").run()
    }

    func deleteStaffSession(id: String) async throws {
        try await database.raw("DELETE FROM staff_sessions WHERE id = \(bind: id)").run()
    }

    // MARK: Direct actions

    func directActions(status: DirectAction.Status?, limit: Int) async throws -> [DirectAction] {
        try await database.raw("""
            SELECT * FROM direct_actions WHERE (\(bind: status?.rawValue) IS NULL OR status = \(bind: status?.rawValue))
            ORDER BY requested_at DESC, id LIMIT \(bind: limit)
            """).all().map(DirectAction.init(row:))
    }

    func insert(_ action: DirectAction) async throws {
        try await database.raw("""
            INSERT INTO direct_actions (id, kind, reason, requested_by, requested_at, status)
            VALUES (\(bind: action.id), \(bind: try JSONText.encode(action.kind)), \(bind: action.reason), \(bind: action.requestedBy),
                    \(bind: action.requestedAt.millis), \(bind: action.status.rawValue))
            """).run()
    }

    func lockDirectAction(id: String) async throws -> DirectAction? {
        try await database.raw("SELECT * FROM direct_actions WHERE id = \(bind: id)\(unsafeRaw: flavor.forUpdate)").first()
            .map(DirectAction.init(row:))
    }

    func update(_ action: DirectAction) async throws {
        try await database.raw("""
            UPDATE direct_actions SET status = \(bind: action.status.rawValue), decided_by = \(bind: action.decidedBy),
                decided_at = \(bind: action.decidedAt?.millis)
            WHERE id = \(bind: action.id)
            """).run()
    }

    // MARK: Applications

    func application(id: String) async throws -> Application? {
        try await database.raw("SELECT * FROM applications WHERE id = \(bind: id)").first().map(Application.init(row:))
    }

    func lockApplication(id: String) async throws -> Application? {
        try await database.raw("SELECT * FROM applications WHERE id = \(bind: id)\(unsafeRaw: flavor.forUpdate)").first()
            .map(Application.init(row:))
    }

    func applications(of contract: ContractID, form: String?) async throws -> [Application] {
        try await database.raw("""
            SELECT * FROM applications WHERE contract_id = \(bind: contract.rawValue)
            AND (\(bind: form) IS NULL OR form_id = \(bind: form)) ORDER BY updated_at DESC, id
            """).all().map(Application.init(row:))
    }

    func applications(matching filter: ApplicationFilter, limit: Int) async throws -> [Application] {
        let status = filter.status?.rawValue, from = filter.updatedFrom?.millis, before = filter.updatedBefore?.millis
        let afterMillis = filter.after?.updatedAtMillis
        return try await database.raw("""
            SELECT * FROM applications WHERE (\(bind: status) IS NULL OR status = \(bind: status))
            AND (\(bind: filter.form) IS NULL OR form_id = \(bind: filter.form))
            AND (\(bind: from) IS NULL OR updated_at >= \(bind: from))
            AND (\(bind: before) IS NULL OR updated_at < \(bind: before))
            AND (\(bind: filter.includeDrafts) OR status <> 'draft')
            AND (\(bind: afterMillis) IS NULL OR updated_at < \(bind: afterMillis)
                 OR (updated_at = \(bind: afterMillis) AND id > \(bind: filter.after?.id)))
            ORDER BY updated_at DESC, id LIMIT \(bind: limit)
            """).all().map(Application.init(row:))
    }

    func applicationHistory(id: String) async throws -> [ApplicationHistoryEntry] {
        try await database.raw("""
            SELECT * FROM application_history WHERE application_id = \(bind: id) ORDER BY position
            """).all().map(ApplicationHistoryEntry.init(row:))
    }

    func dueRevocationApplications(at now: Date, limit: Int) async throws -> [Application] {
        try await database.raw("""
            SELECT * FROM applications WHERE revocation_due_at <= \(bind: now.millis) AND revocations_done_at IS NULL
            ORDER BY revocation_due_at LIMIT \(bind: limit)
            """).all().map(Application.init(row:))
    }

    func insert(_ application: Application) async throws {
        try await database.raw("""
            INSERT INTO applications (id, form_id, contract_id, status, answers, targets, created_at, updated_at,
                updated_by_side, updated_by_id, updated_by_name, bank_comment, revocation_due_at, revocations_done_at)
            VALUES (\(bind: application.id), \(bind: application.formID), \(bind: application.contractID.rawValue),
                \(bind: application.status.rawValue), \(bind: try JSONText.encode(application.answers)),
                \(bind: try JSONText.encode(application.targets.map(\.description))), \(bind: application.createdAt.millis),
                \(bind: application.updatedAt.millis), \(bind: application.updatedBy.side.rawValue), \(bind: application.updatedBy.id),
                \(bind: application.updatedBy.name), \(bind: application.bankComment), \(bind: application.revocationDueAt?.millis),
                \(bind: application.revocationsDoneAt?.millis))
            """).run()
    }

    func update(_ application: Application) async throws {
        try await database.raw("""
            UPDATE applications SET status = \(bind: application.status.rawValue), answers = \(bind: try JSONText.encode(application.answers)),
                targets = \(bind: try JSONText.encode(application.targets.map(\.description))), updated_at = \(bind: application.updatedAt.millis),
                updated_by_side = \(bind: application.updatedBy.side.rawValue), updated_by_id = \(bind: application.updatedBy.id),
                updated_by_name = \(bind: application.updatedBy.name), bank_comment = \(bind: application.bankComment),
                revocation_due_at = \(bind: application.revocationDueAt?.millis)
            WHERE id = \(bind: application.id)
            """).run()
    }

    func append(_ entry: ApplicationHistoryEntry) async throws {
        try await database.raw("""
            INSERT INTO application_history
                (application_id, position, time, actor_side, actor_id, actor_name, status_before, status_after, comment)
            SELECT \(bind: entry.applicationID), COALESCE(MAX(position), 0) + 1, \(bind: entry.time.millis), \(bind: entry.actor.side.rawValue),
                \(bind: entry.actor.id), \(bind: entry.actor.name), \(bind: entry.before?.rawValue), \(bind: entry.after.rawValue),
                \(bind: entry.comment)
            FROM application_history WHERE application_id = \(bind: entry.applicationID)
            """).run()
    }

    func markRevocationsDone(applicationID: String, at time: Date) async throws -> Bool {
        try await database.raw("""
            UPDATE applications SET revocations_done_at = \(bind: time.millis)
            WHERE id = \(bind: applicationID) AND revocations_done_at IS NULL RETURNING id
            """).first() != nil
    }

    // MARK: Certificates

    func certificate(serial: String) async throws -> CertificateRecord? {
        try await database.raw("SELECT * FROM certificates WHERE serial = \(bind: serial)").first()
            .map(CertificateRecord.init(row:))
    }

    func certificates(of contract: ContractID?) async throws -> [CertificateRecord] {
        let rows = if let contract {
            try await database.raw("""
                SELECT * FROM certificates WHERE contract_id = \(bind: contract.rawValue)
                ORDER BY issued_at DESC, serial
                """).all()
        } else {
            try await database.raw("SELECT * FROM certificates ORDER BY issued_at DESC, serial").all()
        }
        return try rows.map(CertificateRecord.init(row:))
    }

    func searchCertificates(_ search: CertificateSearch, at now: Date, limit: Int) async throws -> [CertificateRecord] {
        let window = search.expiryWindow(at: now)
        let pattern = search.name.map(Self.containsPattern)
        return try await database.raw("""
            SELECT * FROM certificates
            WHERE (\(bind: search.contract?.rawValue) IS NULL OR contract_id = \(bind: search.contract?.rawValue))
            AND (\(bind: search.user?.rawValue) IS NULL OR user_id = \(bind: search.user?.rawValue))
            AND (\(bind: search.serial) IS NULL OR serial = \(bind: search.serial))
            AND (\(bind: search.status?.rawValue) IS NULL OR status = \(bind: search.status?.rawValue))
            AND (\(bind: window?.lowerBound.millis) IS NULL OR (not_after >= \(bind: window?.lowerBound.millis)
                 AND not_after <= \(bind: window?.upperBound.millis)))
            AND (\(bind: pattern) IS NULL OR EXISTS (
                 SELECT 1 FROM users u JOIN contracts c ON c.id = u.contract_id
                 WHERE u.contract_id = certificates.contract_id AND u.user_id = certificates.user_id
                 AND (LOWER(u.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(c.name) LIKE \(bind: pattern) ESCAPE '\\')))
            ORDER BY issued_at DESC, serial LIMIT \(bind: Int64(limit))
            """).all().map(CertificateRecord.init(row:))
    }

    /// `LIKE` pattern for "contains `text`": the user's `%`, `_` and `\` match only themselves.
    static func containsPattern(_ text: String) -> String {
        var escaped = ""
        for character in text.lowercased() {
            if "%_\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    func certificates(ofUser key: UserKey) async throws -> [CertificateRecord] {
        try await database.raw("""
            SELECT * FROM certificates WHERE contract_id = \(bind: key.contractID.rawValue)
            AND user_id = \(bind: key.userID.rawValue) ORDER BY issued_at DESC, serial
            """).all().map(CertificateRecord.init(row:))
    }

    func validCertificate(of user: UserKey) async throws -> CertificateRecord? {
        try await database.raw("""
            SELECT * FROM certificates WHERE contract_id = \(bind: user.contractID.rawValue)
            AND user_id = \(bind: user.userID.rawValue) AND status = 'valid'
            """).first().map(CertificateRecord.init(row:))
    }

    func insert(_ certificate: CertificateRecord) async throws {
        try await insert([(certificate, nil)])
    }

    func revoke(serial: String, _ revocation: CertificateRecord.Revocation) async throws -> Bool {
        try await revoke([(serial, revocation)]) == 1
    }

    func revokedCertificates(notExpiredAt date: Date) async throws -> [RevokedSerial] {
        try await database.raw("""
            SELECT serial, revoked_at, revocation_reason FROM certificates
            WHERE status = 'revoked' AND not_after > \(bind: date.millis) ORDER BY revoked_at, serial
            """).all().map(RevokedSerial.init(row:))
    }

    func revocationRevision() async throws -> Int64 {
        try await database.raw("SELECT revision FROM revocation_state WHERE id = 1").first()?
            .decode(column: "revision", as: Int64.self) ?? 0
    }

    func nextCRLNumber() async throws -> Int64 {
        try await database.raw("UPDATE revocation_state SET crl_number = crl_number + 1 WHERE id = 1").run()
        return try await database.raw("SELECT crl_number FROM revocation_state WHERE id = 1").first()?
            .decode(column: "crl_number", as: Int64.self) ?? 1
    }

    // MARK: Lifecycle notices

    func dueNotices(at now: Date, limit: Int) async throws -> [DueNotice] {
        try await database.raw("""
            SELECT * FROM certificates WHERE status = 'valid' AND next_notice_at <= \(bind: now.millis)
            ORDER BY next_notice_at LIMIT \(bind: Int64(limit))
            """).all().map { row in
                DueNotice(certificate: try CertificateRecord(row: row), due: try row.date("next_notice_at"))
            }
    }

    func advanceNotice(serial: String, from expected: Date, to next: Date?) async throws -> Bool {
        try await database.raw("""
            UPDATE certificates SET next_notice_at = \(bind: next?.millis)
            WHERE serial = \(bind: serial) AND status = 'valid' AND next_notice_at = \(bind: expected.millis)
            RETURNING serial
            """).first() != nil
    }

    // MARK: Outbox

    func enqueue(_ message: OutboxMessage) async throws -> Bool {
        try await enqueue([message]) == 1
    }

    func outboxMessages(status: OutboxMessage.Status?, limit: Int) async throws -> [OutboxMessage] {
        let rows = if let status {
            try await database.raw("""
                SELECT * FROM outbox WHERE status = \(bind: status.rawValue)
                ORDER BY created_at DESC, id LIMIT \(bind: Int64(limit))
                """).all()
        } else {
            try await database.raw("SELECT * FROM outbox ORDER BY created_at DESC, id LIMIT \(bind: Int64(limit))").all()
        }
        return try rows.map(OutboxMessage.init(row:))
    }

    func claimOutbox(dueAt now: Date, leaseUntil: Date, limit: Int, token: String) async throws -> [OutboxMessage] {
        let candidates = try await database.raw("""
            SELECT id, next_attempt_at FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: now.millis)
            ORDER BY next_attempt_at LIMIT \(bind: Int64(limit))\(unsafeRaw: flavor.forUpdateSkipLocked)
            """).all()
        var claimed: [OutboxMessage] = []
        for candidate in candidates {
            let row = try await database.raw("""
                UPDATE outbox SET next_attempt_at = \(bind: leaseUntil.millis), attempts = attempts + 1,
                       claim_token = \(bind: token)
                WHERE id = \(bind: try candidate.string("id")) AND status = 'pending'
                AND next_attempt_at = \(bind: try candidate.decode(column: "next_attempt_at", as: Int64.self))
                RETURNING *
                """).first()
            if let row { claimed.append(try OutboxMessage(row: row)) }
        }
        return claimed
    }

    func renewOutboxClaim(id: String, token: String, until: Date) async throws -> Bool {
        try await database.raw("""
            UPDATE outbox SET next_attempt_at = \(bind: until.millis)
            WHERE id = \(bind: id) AND claim_token = \(bind: token) AND status = 'pending' RETURNING id
            """).first() != nil
    }

    func markOutboxSent(id: String, token: String, at time: Date) async throws {
        try await database.raw("""
            UPDATE outbox SET status = 'sent', sent_at = \(bind: time.millis), last_error = NULL, claim_token = NULL
            WHERE id = \(bind: id) AND claim_token = \(bind: token) AND status = 'pending'
            """).run()
    }

    func markOutboxFailed(id: String, token: String, error: String, retryAt: Date?) async throws {
        let status: OutboxMessage.Status = retryAt == nil ? .failed : .pending
        try await database.raw("""
            UPDATE outbox SET status = \(bind: status.rawValue), last_error = \(bind: error), claim_token = NULL,
                   next_attempt_at = COALESCE(\(bind: retryAt?.millis), next_attempt_at)
            WHERE id = \(bind: id) AND claim_token = \(bind: token) AND status = 'pending'
            """).run()
    }

    func requeueOutbox(id: String?, at now: Date) async throws -> Int {
        let unheld = "(status = 'failed' OR (status = 'pending' AND claim_token IS NULL))"
        let rows = if let id {
            try await database.raw("""
                UPDATE outbox SET status = 'pending', next_attempt_at = \(bind: now.millis)
                WHERE id = \(bind: id) AND \(unsafeRaw: unheld) RETURNING id
                """).all()
        } else {
            try await database.raw("""
                UPDATE outbox SET status = 'pending', next_attempt_at = \(bind: now.millis)
                WHERE \(unsafeRaw: unheld) RETURNING id
                """).all()
        }
        return rows.count
    }

    // MARK: Activation codes

    func unusedActivationCode(of user: UserKey) async throws -> ActivationCode? {
        try await database.raw("""
            SELECT * FROM activation_codes WHERE contract_id = \(bind: user.contractID.rawValue)
            AND user_id = \(bind: user.userID.rawValue) AND used_at IS NULL
            ORDER BY issued_at DESC LIMIT 1\(unsafeRaw: flavor.forUpdate)
            """).first().map(ActivationCode.init(row:))
    }

    func replaceActivationCode(with code: ActivationCode) async throws {
        try await database.raw("""
            DELETE FROM activation_codes WHERE contract_id = \(bind: code.owner.contractID.rawValue)
            AND user_id = \(bind: code.owner.userID.rawValue) AND used_at IS NULL
            """).run()
        try await database.raw("""
            INSERT INTO activation_codes (id, contract_id, user_id, code_hash, issued_at, expires_at,
                                          failed_attempts, used_at)
            VALUES (\(bind: code.id), \(bind: code.owner.contractID.rawValue), \(bind: code.owner.userID.rawValue),
                    \(bind: code.codeHash), \(bind: code.issuedAt.millis),
                    \(bind: code.expiresAt.millis), \(bind: Int64(code.failedAttempts)), \(bind: code.usedAt?.millis))
            """).run()
    }

    func recordActivationCodeFailure(id: String) async throws {
        try await database.raw("UPDATE activation_codes SET failed_attempts = failed_attempts + 1 WHERE id = \(bind: id)")
            .run()
    }

    // MARK: Audit

    func auditEvents(after sequence: Int64, limit: Int) async throws -> [AuditEvent] {
        try await database.raw("""
            SELECT * FROM audit_events WHERE sequence > \(bind: sequence) ORDER BY sequence LIMIT \(bind: Int64(limit))
            """).all().map(AuditEvent.init(row:))
    }

    func auditEvents(action: AuditEvent.Action?, target: String?, before sequence: Int64?, limit: Int) async throws -> [AuditEvent] {
        try await database.raw("""
            SELECT * FROM audit_events
            WHERE (\(bind: action?.rawValue) IS NULL OR action = \(bind: action?.rawValue))
            AND (\(bind: target) IS NULL OR target = \(bind: target))
            AND (\(bind: sequence) IS NULL OR sequence < \(bind: sequence))
            ORDER BY sequence DESC LIMIT \(bind: Int64(limit))
            """).all().map(AuditEvent.init(row:))
    }

    func appendAudit(_ entry: AuditEntry, at time: Date) async throws -> AuditEvent {
        try await appendAudit([(entry, time)])[0]
    }
}
