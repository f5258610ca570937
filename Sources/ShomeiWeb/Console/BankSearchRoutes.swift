import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The console's read-only views: certificate search (with CSV export), one certificate's full
/// history, and the audit log. Every role may read them, auditors included.
enum BankSearchRoutes {
    static let auditPageSize = 100

    static func add(to group: RouterGroup<ConsoleRequestContext>, console: BankConsole) {
        group.get("/bank/search") { request, context in
            let l = context.language
            let query = Query(request)
            let rows = try await results(query, console).map { row($0, l) }
            let statuses = [SelectOption(value: "", label: Label.allStatuses.text(l), selected: query.search.status == nil)]
                + [CertificateRecord.Status.valid, .revoked].map {
                    SelectOption(value: $0.rawValue, label: Message.certificateStatusLabel($0).text(l), selected: $0 == query.search.status)
                }
            return try console.page(
                BankSearchPage(query: query.typed, rows: rows, hasRows: !rows.isEmpty, csvQuery: request.uri.query ?? "", statuses: statuses),
                title: Label.searchTitle, context, error: query.problem)
        }
        group.get("/bank/search.csv") { request, context in
            let l = context.language
            let header = [Label.serial, Label.contractId, Label.userId, Label.userName, Label.notBefore, Label.notAfter, Label.status, Label.medium]
            let rows = try await results(Query(request), console).map { listing in
                let record = listing.record
                return [record.serial.uppercased(), record.owner.contractID.rawValue, record.owner.userID.rawValue, listing.holderName,
                        TokyoTime.formatForCustomer(record.notBefore, l), TokyoTime.formatForCustomer(record.notAfter, l),
                        Message.certificateStatusLabel(record.status).text(l), Message.mediumLabel(record.medium).text(l)]
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"shomei-certificates.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: CSV.document(header: header.map { $0.text(l) }, rows: rows))))
        }
        group.get("/bank/certificates/:serial") { _, context in
            let l = context.language
            let serial = (try? SerialText.normalize(context.parameters.get("serial") ?? "")) ?? ""
            let (record, events) = try await console.queries.certificateHistory(serial: serial, limit: 200)
            return try console.page(
                BankCertificatePage(record: record.map { CertificateFacts($0, state: $0.revocation == nil ? .valid : .revoked, l) },
                                    events: events.map { AuditRow($0, l) }),
                title: Label.certificateHistory, context, error: record == nil ? .certificateNotFound(serial) : nil,
                status: record == nil ? .notFound : .ok)
        }
        group.get("/bank/audit") { request, context in
            let l = context.language
            let action = request.uri.queryParameters["action"].flatMap { AuditEvent.Action(rawValue: String($0)) }
            let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
            let events = try await console.queries.auditLog(action: action, before: before, limit: auditPageSize)
            let older = events.count == auditPageSize
                ? events.last.map { "before=\($0.sequence)" + (action.map { "&action=\($0.rawValue)" } ?? "") } : nil
            let actions = [SelectOption(value: "", label: Label.allStatuses.text(l), selected: action == nil)]
                + AuditEvent.Action.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == action) }
            return try console.page(BankAuditPage(events: events.map { AuditRow($0, l) }, older: older, actions: actions),
                                    title: Label.auditTitle, context)
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

        /// The fields as typed, for the form.
        var typed: BankSearchPage.Query {
            .init(name: values["name"] ?? "", contract: values["contract"] ?? "", user: values["user"] ?? "",
                  serial: values["serial"] ?? "", status: values["status"] ?? "", expiring: values["expiring"] ?? "")
        }
    }

    /// Matching certificates with their holders' names (nothing when the query did not parse).
    private static func results(_ query: Query, _ console: BankConsole) async throws -> [CertificateListing] {
        guard query.problem == nil else { return [] }
        return try await console.queries.searchCertificates(query.search, limit: 1000)
    }

    private static func row(_ listing: CertificateListing, _ l: Language) -> BankSearchPage.Row {
        let record = listing.record
        return .init(
            serial: record.serial.uppercased(), contract: record.owner.contractID.rawValue, user: record.owner.userID.rawValue,
            name: listing.holderName, notAfter: TokyoTime.formatForCustomer(record.notAfter, l),
            status: Message.certificateStatusLabel(record.status).text(l), medium: Message.mediumLabel(record.medium).text(l))
    }
}
