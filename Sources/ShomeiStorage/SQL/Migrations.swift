/// The schema, as numbered steps. A step is never edited once released; changes are new steps.
struct Migration: Sendable {
    let version: Int
    let statements: @Sendable (SQLFlavor) -> [String]
}

enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, statements: initialSchema),
        Migration(version: 2, statements: { _ in revocationPublishing }),
        Migration(version: 3, statements: lifecycleNotices),
        Migration(version: 4, statements: { _ in ["ALTER TABLE users ADD COLUMN failed_password_attempts BIGINT NOT NULL DEFAULT 0"] }),
        Migration(version: 5, statements: { _ in portal }),
        Migration(version: 6, statements: { _ in applications }),
        Migration(version: 7, statements: { _ in console }),
        Migration(version: 8, statements: { _ in directActions }),
        // Every issuance and revocation reads the contract's active masters (who are copied on
        // its mail), in user order; without this index SQLite walks every user of the contract
        // in primary-key order to avoid a sort (0.57 ms for 2,000 users, 17 µs with it).
        Migration(version: 9, statements: { _ in ["CREATE INDEX users_by_role ON users (contract_id, role, status, user_id)"] }),
        // Tries at names without an account, counted like real ones (no account enumeration).
        Migration(version: 10, statements: { _ in unknownTries }),
        // The key policy: every certificate's key, indexed, and the keys that may never return.
        Migration(version: 11, statements: { _ in keyPolicy }),
        // Masters' and administrators' 確認用パスワード, with their own count and lock.
        Migration(version: 12, statements: { _ in confirmationPasswords }),
        // The bank's API clients (token hashes) and the answers kept for Idempotency-Key.
        Migration(version: 13, statements: { _ in bankAPI }),
        // 管理 actions: a password someone else set must be changed, the last login shown;
        // 重要なお知らせ read by target.
        Migration(version: 14, statements: customerAdministration),
        // An accepted application takes effect on a business day whatever it does (05 revokes,
        // 03 changes the login method): the columns say so.
        Migration(version: 15, statements: { _ in applicationEffects }),
        // What an accepted application does is fixed at 受付済, not looked up in the form files
        // when it is carried out.
        Migration(version: 16, statements: { _ in acceptedEffects }),
    ]

    /// Applications accepted before this step have an effect exactly when `effective_at` is set,
    /// and only 05's effect resolves targets (at least one row), so the stored targets say
    /// which of the two effects it was.
    static let acceptedEffects = [
        "ALTER TABLE applications ADD COLUMN effect TEXT",
        """
        UPDATE applications SET effect = CASE WHEN targets = '[]' THEN 'changeLoginMethod' ELSE 'revokeCertificates' END
        WHERE effective_at IS NOT NULL
        """,
    ]

    static let applicationEffects = [
        "DROP INDEX applications_revocation_due",
        "ALTER TABLE applications RENAME COLUMN revocation_due_at TO effective_at",
        "ALTER TABLE applications RENAME COLUMN revocations_done_at TO carried_out_at",
        "CREATE INDEX applications_effective ON applications (effective_at) WHERE carried_out_at IS NULL",
    ]

    static func customerAdministration(_ flavor: SQLFlavor) -> [String] { [
        "ALTER TABLE users ADD COLUMN password_change_required BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE users ADD COLUMN last_login_at BIGINT",
        "CREATE INDEX audit_events_by_target ON audit_events (target\(flavor.byteOrder), sequence)",
    ] }

    static let bankAPI = [
        // JSON of `AdministrationSwitches`; NULL: the installation's policy.
        "ALTER TABLE contracts ADD COLUMN administration TEXT",
        """
        CREATE TABLE api_clients (
            name TEXT PRIMARY KEY,
            scopes TEXT NOT NULL,
            token_sha256 TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT)
        """,
        """
        CREATE TABLE api_idempotency (
            client TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            request_sha256 TEXT NOT NULL,
            status BIGINT,
            body TEXT,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (client, idempotency_key))
        """,
        "CREATE INDEX api_idempotency_by_time ON api_idempotency (created_at)",
    ]

    static let confirmationPasswords = [
        """
        CREATE TABLE confirmation_passwords (
            contract_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            failed_attempts BIGINT NOT NULL DEFAULT 0,
            locked_at BIGINT,
            set_at BIGINT NOT NULL,
            PRIMARY KEY (contract_id, user_id),
            FOREIGN KEY (contract_id, user_id) REFERENCES users (contract_id, user_id))
        """,
    ]

    /// `key_sha256` of rows stored before this step is filled in by
    /// `RegistrationAuthority.completeKeyIndex` (it needs the certificate parsed), which then
    /// blocks the keys of certificates already revoked for keyCompromise.
    static let keyPolicy = [
        "ALTER TABLE certificates ADD COLUMN key_sha256 TEXT",
        "CREATE INDEX certificates_by_key ON certificates (key_sha256)",
        """
        CREATE TABLE blocked_keys (
            key_sha256 TEXT PRIMARY KEY,
            serial TEXT NOT NULL,
            blocked_at BIGINT NOT NULL)
        """,
    ]

    static let unknownTries = [
        "CREATE TABLE unknown_tries (name_hash TEXT PRIMARY KEY, tries BIGINT NOT NULL, last_try_at BIGINT NOT NULL)",
        "CREATE INDEX unknown_tries_by_time ON unknown_tries (last_try_at)",
    ]

    /// Four-eyes direct actions; the kind is JSON text.
    static let directActions = [
        """
        CREATE TABLE direct_actions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            requested_by TEXT NOT NULL REFERENCES staff(id),
            requested_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            decided_by TEXT,
            decided_at BIGINT)
        """,
        "CREATE INDEX direct_actions_by_status ON direct_actions (status, requested_at)",
    ]

    /// Bank staff accounts and their console sessions (a table apart from customers' sessions).
    static let console = [
        """
        CREATE TABLE staff (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            failed_password_attempts BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE staff_sessions (
            id TEXT PRIMARY KEY,
            staff_id TEXT NOT NULL REFERENCES staff(id),
            csrf_token TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL)
        """,
    ]

    /// Applications (各種申込) and their history; answers and resolved targets are JSON text.
    static let applications = [
        """
        CREATE TABLE applications (
            id TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            contract_id TEXT NOT NULL REFERENCES contracts(id),
            status TEXT NOT NULL,
            answers TEXT NOT NULL,
            targets TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by_side TEXT NOT NULL,
            updated_by_id TEXT NOT NULL,
            updated_by_name TEXT NOT NULL,
            bank_comment TEXT,
            revocation_due_at BIGINT,
            revocations_done_at BIGINT)
        """,
        "CREATE INDEX applications_by_contract ON applications (contract_id, form_id, updated_at)",
        "CREATE INDEX applications_by_status ON applications (status, updated_at)",
        "CREATE INDEX applications_revocation_due ON applications (revocation_due_at) WHERE revocations_done_at IS NULL",
        """
        CREATE TABLE application_history (
            application_id TEXT NOT NULL REFERENCES applications(id),
            position BIGINT NOT NULL,
            time BIGINT NOT NULL,
            actor_side TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            status_before TEXT,
            status_after TEXT NOT NULL,
            comment TEXT,
            PRIMARY KEY (application_id, position))
        """,
    ]

    /// Contracts choose their login method; portal sessions live in the database so several
    /// nodes share them. Existing contracts keep certificate login, the product's default.
    static let portal = [
        "ALTER TABLE contracts ADD COLUMN login_method TEXT NOT NULL DEFAULT 'certificate'",
        """
        CREATE TABLE portal_sessions (
            id TEXT PRIMARY KEY,
            contract_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            certificate_serial TEXT,
            csrf_token TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL,
            renewal_postponed BIGINT NOT NULL DEFAULT 0,
            FOREIGN KEY (contract_id, user_id) REFERENCES users (contract_id, user_id))
        """,
        "CREATE INDEX portal_sessions_by_user ON portal_sessions (contract_id, user_id)",
        "CREATE INDEX portal_sessions_by_last_seen ON portal_sessions (last_seen_at)",
    ]

    static func initialSchema(_ flavor: SQLFlavor) -> [String] {
        [
            """
            CREATE TABLE contracts (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE users (
                contract_id TEXT NOT NULL REFERENCES contracts(id),
                user_id TEXT NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                email TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (contract_id, user_id))
            """,
            """
            CREATE TABLE certificates (
                serial TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                der \(flavor.blobType) NOT NULL,
                fingerprint TEXT NOT NULL UNIQUE,
                subject TEXT NOT NULL,
                not_before BIGINT NOT NULL,
                not_after BIGINT NOT NULL,
                medium TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                revoked_at BIGINT,
                revocation_reason BIGINT,
                FOREIGN KEY (contract_id, user_id) REFERENCES users(contract_id, user_id))
            """,
            // SPEC §2: one valid certificate per user, enforced by the database itself.
            "CREATE UNIQUE INDEX certificates_one_valid_per_user ON certificates (contract_id, user_id) WHERE status = 'valid'",
            "CREATE INDEX certificates_by_contract ON certificates (contract_id, issued_at)",
            "CREATE INDEX certificates_by_expiry ON certificates (not_after) WHERE status = 'valid'",
            """
            CREATE TABLE activation_codes (
                id TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                failed_attempts BIGINT NOT NULL,
                used_at BIGINT,
                FOREIGN KEY (contract_id, user_id) REFERENCES users(contract_id, user_id))
            """,
            "CREATE INDEX activation_codes_by_user ON activation_codes (contract_id, user_id, issued_at)",
            """
            CREATE TABLE audit_events (
                sequence BIGINT PRIMARY KEY,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                time BIGINT NOT NULL,
                details TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL)
            """,
        ] + appendOnlyAudit(flavor)
    }

    /// One row: the revocation revision (bumped by every revocation) and the last CRL number.
    static let revocationPublishing = [
        """
        CREATE TABLE revocation_state (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            revision BIGINT NOT NULL,
            crl_number BIGINT NOT NULL)
        """,
        "INSERT INTO revocation_state (id, revision, crl_number) VALUES (1, 0, 0)",
        "CREATE INDEX certificates_revoked_by_expiry ON certificates (not_after) WHERE status = 'revoked'",
    ]

    /// User language for notices; each certificate's next notice due time; the mail outbox.
    ///
    /// Unexpired certificates issued before this step get their first notice at 30 days before
    /// expiry (the default window), since the policy of the day is not known to a migration;
    /// long-expired ones get none, so an upgrade does not mail every old user at once.
    static func lifecycleNotices(_ flavor: SQLFlavor) -> [String] { [
        "ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'ja'",
        "ALTER TABLE certificates ADD COLUMN next_notice_at BIGINT",
        "UPDATE certificates SET next_notice_at = not_after - 2592000000 WHERE status = 'valid' AND not_after > \(flavor.nowMillis)",
        "CREATE INDEX certificates_notice_due ON certificates (next_notice_at) WHERE status = 'valid'",
        "CREATE INDEX certificates_by_user ON certificates (contract_id, user_id, issued_at)",
        """
        CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            dedupe_key TEXT NOT NULL UNIQUE,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            attempts BIGINT NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            last_error TEXT,
            sent_at BIGINT,
            claim_token TEXT)
        """,
        "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'",
        "CREATE INDEX outbox_by_created ON outbox (created_at)",
    ] }

    /// The audit table refuses UPDATE and DELETE at the database level, not just in Swift.
    static func appendOnlyAudit(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            ["UPDATE", "DELETE"].map { verb in
                """
                CREATE TRIGGER audit_events_no_\(verb.lowercased()) BEFORE \(verb) ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
                """
            }
        case .postgres:
            [
                """
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """,
            ]
        }
    }
}
