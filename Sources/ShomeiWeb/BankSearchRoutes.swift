import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The console's read-only views: certificate search (with CSV export), one certificate's full
/// history, and the audit log. Every role may read them, auditors included.
enum BankSearchRoutes {
    static func add(to router: Router<SecureRequestContext>, console: BankConsole) {
        router.get("/bank/search") { request, context in
            try await BankConsoleRoutes.withStaff(request, context, console) { session, staff in
                let l = context.language
                let query = Query(request)
                let found = try await results(query, console)
                let rows = found.map { row($0.0, name: $0.1, l) }
                return BankConsoleRoutes.page("bank-search", title: BankConsoleRoutes.label("searchTitle", l), session, staff, l, [
                    "query": query.values, "rows": rows, "hasRows": !rows.isEmpty, "csvQuery": request.uri.query ?? "",
                    "statuses": [["value": "", "label": BankConsoleRoutes.label("allStatuses", l), "selected": query.search.status == nil]]
                        + [CertificateRecord.Status.valid, .revoked].map {
                            ["value": $0.rawValue, "label": Message.certificateStatusLabel($0).text(l), "selected": $0 == query.search.status]
                        },
                    "error": query.problem?.message(l) as Any,
                ], console)
            }
        }
        router.get("/bank/search.csv") { request, context in
            try await BankConsoleRoutes.withStaff(request, context, console) { _, _ in
                let l = context.language
                let found = try await results(Query(request), console)
                let table = ScreenText.table(l)
                let header = ["serial", "contractId", "userId", "userName", "notBefore", "notAfter", "status", "medium"].map { table[$0] ?? $0 }
                let rows = found.map { record, name in
                    [record.serial.uppercased(), record.owner.contractID.rawValue, record.owner.userID.rawValue, name,
                     TokyoTime.formatForCustomer(record.notBefore, l), TokyoTime.formatForCustomer(record.notAfter, l),
                     Message.certificateStatusLabel(record.status).text(l), Message.mediumLabel(record.medium).text(l)]
                }
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"shomei-certificates.csv\""],
                    body: .init(byteBuffer: ByteBuffer(string: CSV.document(header: header, rows: rows))))
            }
        }
        router.get("/bank/certificates/:serial") { request, context in
            try await BankConsoleRoutes.withStaff(request, context, console) { session, staff in
                let l = context.language
                let serial = (try? SerialText.normalize(context.parameters.get("serial") ?? "")) ?? ""
                let (record, events) = try await console.desk.registration.store.read { reader in
                    (try await reader.certificate(serial: serial),
                     try await reader.auditEvents(action: nil, target: "certificate:\(serial)", before: nil, limit: 200))
                }
                return BankConsoleRoutes.page("bank-certificate", title: BankConsoleRoutes.label("certificateHistory", l), session, staff, l, [
                    "record": record.map { PortalRoutes.describe($0, state: $0.revocation == nil ? .valid : .revoked, l) } as Any,
                    "events": events.map { event($0, l) },
                    "error": record == nil ? ShomeiError.certificateNotFound(serial).message(l) : nil as String? as Any,
                ], console, status: record == nil ? .notFound : .ok)
            }
        }
        router.get("/bank/audit") { request, context in
            try await BankConsoleRoutes.withStaff(request, context, console) { session, staff in
                let l = context.language
                let action = request.uri.queryParameters["action"].flatMap { AuditEvent.Action(rawValue: String($0)) }
                let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
                let events = try await console.desk.registration.store.read {
                    try await $0.auditEvents(action: action, target: nil, before: before, limit: 100)
                }
                let older = events.count == 100 ? events.last.map { "before=\($0.sequence)" + (action.map { "&action=\($0.rawValue)" } ?? "") } : nil
                return BankConsoleRoutes.page("bank-audit", title: BankConsoleRoutes.label("auditTitle", l), session, staff, l, [
                    "events": events.map { event($0, l) }, "older": older as Any,
                    "actions": [["value": "", "label": BankConsoleRoutes.label("allStatuses", l), "selected": action == nil]]
                        + AuditEvent.Action.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": $0 == action] },
                ], console)
            }
        }
    }

    /// The search form's fields, parsed; a field that does not parse is reported, not guessed.
    struct Query {
        var search = CertificateSearch()
        var values: [String: String] = [:]
        var problem: ShomeiError?

        init(_ request: Request) {
            for name in ["name", "contract", "user", "serial", "status", "expiring"] {
                values[name] = request.uri.queryParameters[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            }
            do {
                if let value = values["name"], !value.isEmpty { search.name = value.precomposedStringWithCanonicalMapping }
                if let value = values["contract"], !value.isEmpty { search.contract = try ContractID(value) }
                if let value = values["user"], !value.isEmpty { search.user = try UserID(value) }
                if let value = values["serial"], !value.isEmpty { search.serial = try SerialText.normalize(value) }
                search.status = values["status"].flatMap(CertificateRecord.Status.init(rawValue:))
                if let value = values["expiring"], !value.isEmpty {
                    guard let days = Int(value), (0...3650).contains(days) else { throw ShomeiError.invalidDate(value) }
                    search.expiringWithinDays = days
                }
            } catch let error as ShomeiError {
                problem = error
            } catch {
                problem = .invalidDate("")
            }
        }
    }

    /// Matching certificates with their holders' names (nothing when the query did not parse).
    private static func results(_ query: Query, _ console: BankConsole) async throws -> [(CertificateRecord, String)] {
        guard query.problem == nil else { return [] }
        return try await console.desk.registration.store.read { reader in
            try await reader.searchCertificates(query.search, at: Date(), limit: 1000).asyncMapAll { record in
                (record, try await reader.user(record.owner)?.name ?? "")
            }
        }
    }

    private static func row(_ record: CertificateRecord, name: String, _ l: Language) -> [String: Any] {
        [
            "serial": record.serial.uppercased(), "contract": record.owner.contractID.rawValue, "user": record.owner.userID.rawValue,
            "name": name, "notAfter": TokyoTime.formatForCustomer(record.notAfter, l),
            "status": Message.certificateStatusLabel(record.status).text(l), "medium": Message.mediumLabel(record.medium).text(l),
        ]
    }

    private static func event(_ event: AuditEvent, _ l: Language) -> [String: Any] {
        [
            "sequence": event.sequence, "time": TokyoTime.formatForCustomer(event.time, l), "actor": event.actor,
            "action": event.action.rawValue, "target": event.target,
            "details": event.details.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
        ]
    }
}
