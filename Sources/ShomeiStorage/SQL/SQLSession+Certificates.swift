import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: CertificateWrites {
    func certificate(serial: String) async throws -> CertificateRecord? {
        try await database.raw("SELECT * FROM certificates WHERE serial = \(bind: serial)").first()
            .map(CertificateRecord.init(row:))
    }

    func certificates(serials: [String]) async throws -> [CertificateRecord] {
        guard !serials.isEmpty else { return [] }
        return try await database.raw("SELECT * FROM certificates WHERE serial IN (\(binds: serials))").all()
            .map(CertificateRecord.init(row:))
    }

    func keyFingerprints(serials: [String]) async throws -> [String: String] {
        guard !serials.isEmpty else { return [:] }
        let rows = try await database.raw("""
            SELECT serial, key_sha256 FROM certificates WHERE serial IN (\(binds: serials)) AND key_sha256 IS NOT NULL
            """).all()
        return try rows.reduce(into: [:]) { keys, row in keys[try row.string("serial")] = try row.string("key_sha256") }
    }

    func certificates(of contract: ContractID?) async throws -> [CertificateRecord] {
        try await database.raw("""
            SELECT * FROM certificates WHERE (\(bind: contract?.rawValue) IS NULL OR contract_id = \(bind: contract?.rawValue))
            ORDER BY issued_at DESC, serial
            """).all().map(CertificateRecord.init(row:))
    }

    func certificates(ofUser key: UserKey) async throws -> [CertificateRecord] {
        try await database.raw("""
            SELECT * FROM certificates WHERE \(Self.isUser(key)) ORDER BY issued_at DESC, serial
            """).all().map(CertificateRecord.init(row:))
    }

    func validCertificate(of user: UserKey) async throws -> CertificateRecord? {
        try await database.raw("""
            SELECT * FROM certificates WHERE \(Self.isUser(user)) AND status = \(literal: CertificateRecord.Status.valid)
            """).first().map(CertificateRecord.init(row:))
    }

    func searchCertificates(_ search: CertificateSearch, at now: Date, limit: Int) async throws -> [CertificateListing] {
        let window = search.expiryWindow(at: now)
        let pattern = search.name.map(Self.containsPattern)
        return try await database.raw("""
            SELECT c.*, u.name AS holder_name FROM certificates c
            JOIN users u ON u.contract_id = c.contract_id AND u.user_id = c.user_id
            JOIN contracts k ON k.id = c.contract_id
            WHERE (\(bind: search.contract?.rawValue) IS NULL OR c.contract_id = \(bind: search.contract?.rawValue))
            AND (\(bind: search.user?.rawValue) IS NULL OR c.user_id = \(bind: search.user?.rawValue))
            AND (\(bind: search.serial) IS NULL OR c.serial = \(bind: search.serial))
            AND (\(bind: search.status?.rawValue) IS NULL OR c.status = \(bind: search.status?.rawValue))
            AND (\(bind: window?.lowerBound.millis) IS NULL OR (c.not_after >= \(bind: window?.lowerBound.millis)
                 AND c.not_after <= \(bind: window?.upperBound.millis)))
            AND (\(bind: pattern) IS NULL OR LOWER(u.name) LIKE \(bind: pattern) ESCAPE '\\'
                 OR LOWER(k.name) LIKE \(bind: pattern) ESCAPE '\\')
            ORDER BY c.issued_at DESC, c.serial LIMIT \(bind: Int64(limit))
            """).all().map { row in
                CertificateListing(record: try CertificateRecord(row: row), holderName: try row.string("holder_name"))
            }
    }

    /// One statement (every issuance decides on it, and each statement is a hop to the driver's
    /// threads): a row per holder, and one without a holder when the key is blocked.
    func keyUse(_ keySHA256: String) async throws -> KeyUse {
        let rows = try await database.raw("""
            SELECT DISTINCT contract_id, user_id FROM certificates WHERE key_sha256 = \(bind: keySHA256)
            UNION ALL SELECT NULL, NULL FROM blocked_keys WHERE key_sha256 = \(bind: keySHA256)
            """).all()
        let holders = try rows.filter { try $0.decodeNil(column: "contract_id") == false }.map { try $0.userKey() }
        return KeyUse(holders: Set(holders), blocked: holders.count < rows.count)
    }

    func certificatesWithoutKeyHash(limit: Int) async throws -> [CertificateRecord] {
        try await database.raw("SELECT * FROM certificates WHERE key_sha256 IS NULL ORDER BY issued_at LIMIT \(bind: Int64(limit))")
            .all().map(CertificateRecord.init(row:))
    }

    func blockKey(_ keySHA256: String, serial: String, at time: Date) async throws {
        try await database.raw("""
            INSERT INTO blocked_keys (key_sha256, serial, blocked_at) VALUES (\(bind: keySHA256), \(bind: serial), \(bind: time.millis))
            ON CONFLICT (key_sha256) DO NOTHING
            """).run()
    }

    func setKeyHash(_ keySHA256: String, serial: String) async throws {
        try await database.raw("UPDATE certificates SET key_sha256 = \(bind: keySHA256) WHERE serial = \(bind: serial)").run()
    }

    func blockCompromisedKeys(at time: Date) async throws {
        try await database.raw("""
            INSERT INTO blocked_keys (key_sha256, serial, blocked_at)
            SELECT key_sha256, MIN(serial), \(bind: time.millis) FROM certificates
            WHERE revocation_reason = \(bind: Int64(RevocationReason.keyCompromise.rawValue)) AND key_sha256 IS NOT NULL
            GROUP BY key_sha256
            ON CONFLICT (key_sha256) DO NOTHING
            """).run()
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

    func insert(_ certificate: CertificateRecord) async throws {
        try await insert([(certificate, nil)])
    }

    func revoke(serial: String, _ revocation: CertificateRecord.Revocation) async throws -> Bool {
        try await revoke([(serial, revocation)]) == 1
    }

    func revokedCertificates(notExpiredAt date: Date) async throws -> [RevokedSerial] {
        try await database.raw("""
            SELECT serial, revoked_at, revocation_reason FROM certificates
            WHERE status = \(literal: CertificateRecord.Status.revoked) AND not_after > \(bind: date.millis)
            ORDER BY revoked_at, serial
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

    func dueNotices(at now: Date, limit: Int) async throws -> [DueNotice] {
        try await database.raw("""
            SELECT * FROM certificates WHERE status = \(literal: CertificateRecord.Status.valid)
            AND next_notice_at <= \(bind: now.millis) ORDER BY next_notice_at LIMIT \(bind: Int64(limit))
            """).all().map { row in
                DueNotice(certificate: try CertificateRecord(row: row), due: try row.date("next_notice_at"))
            }
    }

    func advanceNotice(serial: String, from expected: Date, to next: Date?) async throws -> Bool {
        try await database.raw("""
            UPDATE certificates SET next_notice_at = \(bind: next?.millis)
            WHERE serial = \(bind: serial) AND status = \(literal: CertificateRecord.Status.valid)
            AND next_notice_at = \(bind: expected.millis) RETURNING serial
            """).first() != nil
    }

    // MARK: Multi-row changes (the single-row methods and `record` call these)

    /// Revokes the ones still valid; returns how many that was.
    @discardableResult
    func revoke(_ revocations: [(serial: String, revocation: CertificateRecord.Revocation)]) async throws -> Int {
        guard !revocations.isEmpty else { return 0 }
        let revoked = try await database.raw("""
            UPDATE certificates SET status = \(bind: CertificateRecord.Status.revoked.rawValue),
                   revoked_at = \(Self.cases("serial", revocations.map { ($0.serial, $0.revocation.time.millis) })),
                   revocation_reason = \(Self.cases("serial", revocations.map { ($0.serial, Int64($0.revocation.reason.rawValue)) }))
            WHERE status = \(bind: CertificateRecord.Status.valid.rawValue) AND serial IN (\(binds: revocations.map(\.serial)))
            RETURNING serial
            """).all().count
        try await database.raw("UPDATE revocation_state SET revision = revision + 1 WHERE id = 1").run()
        return revoked
    }

    func insert(_ certificates: [(record: CertificateRecord, firstNoticeAt: Date?)]) async throws {
        guard !certificates.isEmpty else { return }
        let rows: [SQLQueryString] = certificates.map { certificate, noticeAt in
            """
            (\(bind: certificate.serial), \(bind: certificate.owner.contractID.rawValue), \(bind: certificate.owner.userID.rawValue),
             \(bind: Data(certificate.der)), \(bind: certificate.fingerprint), \(bind: certificate.keySHA256), \(bind: certificate.subject),
             \(bind: certificate.notBefore.millis), \(bind: certificate.notAfter.millis), \(bind: certificate.medium.rawValue),
             \(bind: certificate.issuedAt.millis), \(bind: certificate.status.rawValue), \(bind: certificate.revocation?.time.millis),
             \(bind: certificate.revocation.map { Int64($0.reason.rawValue) }), \(bind: noticeAt?.millis))
            """
        }
        try await database.raw("""
            INSERT INTO certificates (serial, contract_id, user_id, der, fingerprint, key_sha256, subject, not_before, not_after,
                                      medium, issued_at, status, revoked_at, revocation_reason, next_notice_at)
            VALUES \(rows.joined(separator: ", "))
            """).run()
    }
}
