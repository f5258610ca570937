import Foundation
import ShomeiDomain
import SQLKit

extension SQLSession: ApplicationWrites {
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

    func applications(matching filter: ApplicationFilter, limit: Int) async throws -> [ApplicationListing] {
        let status = filter.status?.rawValue, from = filter.updatedFrom?.millis, before = filter.updatedBefore?.millis
        let afterMillis = filter.after?.updatedAtMillis
        return try await database.raw("""
            SELECT a.*, c.name AS contract_name FROM applications a JOIN contracts c ON c.id = a.contract_id
            WHERE (\(bind: status) IS NULL OR a.status = \(bind: status))
            AND (\(bind: filter.form) IS NULL OR a.form_id = \(bind: filter.form))
            AND (\(bind: from) IS NULL OR a.updated_at >= \(bind: from))
            AND (\(bind: before) IS NULL OR a.updated_at < \(bind: before))
            AND (\(bind: filter.includeDrafts) OR a.status <> \(bind: ApplicationStatus.draft.rawValue))
            AND (\(bind: afterMillis) IS NULL OR a.updated_at < \(bind: afterMillis)
                 OR (a.updated_at = \(bind: afterMillis) AND a.id > \(bind: filter.after?.id)))
            ORDER BY a.updated_at DESC, a.id LIMIT \(bind: limit)
            """).all().map { row in
                ApplicationListing(application: try Application(row: row), contractName: try row.string("contract_name"))
            }
    }

    func applicationHistory(id: String) async throws -> [ApplicationHistoryEntry] {
        try await database.raw("""
            SELECT * FROM application_history WHERE application_id = \(bind: id) ORDER BY position
            """).all().map(ApplicationHistoryEntry.init(row:))
    }

    func dueApplications(at now: Date, limit: Int) async throws -> [Application] {
        try await database.raw("""
            SELECT * FROM applications WHERE effective_at <= \(bind: now.millis) AND carried_out_at IS NULL
            ORDER BY effective_at, id LIMIT \(bind: limit)
            """).all().map(Application.init(row:))
    }

    func insert(_ application: Application) async throws {
        try await database.raw("""
            INSERT INTO applications (id, form_id, contract_id, status, answers, targets, created_at, updated_at,
                updated_by_side, updated_by_id, updated_by_name, bank_comment, effect, effective_at, carried_out_at)
            VALUES (\(bind: application.id), \(bind: application.formID), \(bind: application.contractID.rawValue),
                \(bind: application.status.rawValue), \(bind: try JSONText.encode(application.answers)),
                \(bind: try JSONText.encode(application.targets.map(\.description))), \(bind: application.createdAt.millis),
                \(bind: application.updatedAt.millis), \(bind: application.updatedBy.side.rawValue), \(bind: application.updatedBy.id),
                \(bind: application.updatedBy.name), \(bind: application.bankComment), \(bind: application.effect?.rawValue),
                \(bind: application.effectiveAt?.millis),
                \(bind: application.carriedOutAt?.millis))
            """).run()
    }

    func update(_ application: Application) async throws {
        try await database.raw("""
            UPDATE applications SET status = \(bind: application.status.rawValue), answers = \(bind: try JSONText.encode(application.answers)),
                targets = \(bind: try JSONText.encode(application.targets.map(\.description))), updated_at = \(bind: application.updatedAt.millis),
                updated_by_side = \(bind: application.updatedBy.side.rawValue), updated_by_id = \(bind: application.updatedBy.id),
                updated_by_name = \(bind: application.updatedBy.name), bank_comment = \(bind: application.bankComment),
                effect = \(bind: application.effect?.rawValue), effective_at = \(bind: application.effectiveAt?.millis)
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

    func markCarriedOut(applicationID: String, at time: Date) async throws -> Bool {
        try await database.raw("""
            UPDATE applications SET carried_out_at = \(bind: time.millis)
            WHERE id = \(bind: applicationID) AND carried_out_at IS NULL RETURNING id
            """).first() != nil
    }
}
