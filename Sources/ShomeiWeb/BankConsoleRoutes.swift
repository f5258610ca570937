import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The bank staff console under `/bank`: staff login (ID + password, lockout), the applications
/// inbox across contracts, one application with its answers and history, and 受付済 / 再提出要.
/// Its own session table and cookie: a customer session never opens the console.
public struct BankConsole: Sendable {
    public let staff: StaffAuthority
    public let desk: ApplicationDesk
    public let fourEyes: FourEyesDesk
    public let pages: PageRenderer

    public init(staff: StaffAuthority, desk: ApplicationDesk, fourEyes: FourEyesDesk, pages: PageRenderer) {
        self.staff = staff
        self.fourEyes = fourEyes
        self.desk = desk
        self.pages = pages
    }
}

enum BankConsoleRoutes {
    /// Applications per inbox page; the "older" link continues after the last one.
    static let inboxPageSize = 100

    static let sessionCookie = "__Host-shomei-staff"

    struct LoginForm: Decodable {
        let csrf: String?
        let staffId: String?
        let password: String?
    }

    struct DecisionForm: Decodable {
        let csrf: String?
        let decision: String?
        let comment: String?
    }

    static func add(to router: Router<SecureRequestContext>, console: BankConsole) {
        addDirectActions(to: router, console: console)
        BankSearchRoutes.add(to: router, console: console)
        router.get("/bank/login") { request, context in
            let ended = request.uri.queryParameters["ended"].flatMap { SessionEnd(rawValue: String($0)) }
            return loginPage(request, context, console, info: ended.map { ShomeiError.sessionEnded($0).message(context.language) })
        }
        router.post("/bank/login") { request, context in
            let form = try await BrowserSupport.form(request, as: LoginForm.self)
            let token = BrowserSupport.preLoginToken(request)
            guard !token.isNew, BrowserSupport.csrfMatches(form.csrf, expected: token.token) else {
                return loginPage(request, context, console, error: .csrfTokenInvalid, status: .forbidden)
            }
            do {
                let opened = try await console.staff.logIn(id: form.staffId ?? "", password: form.password ?? "")
                var response = BrowserSupport.redirect("/bank")
                response.setCookie(BrowserSupport.cookie(sessionCookie, opened.token))
                return response
            } catch let error as ShomeiError {
                return loginPage(request, context, console, error: error, staffID: form.staffId, status: .unauthorized)
            }
        }
        router.post("/bank/logout") { request, context in
            try await withStaff(request, context, console) { session, _ in
                let form = try await BrowserSupport.form(request, as: DecisionForm.self)
                guard BrowserSupport.csrfMatches(form.csrf, expected: session.csrfToken) else { return BrowserSupport.redirect("/bank") }
                try await console.staff.logOut(session)
                var response = BrowserSupport.redirect("/bank/login?ended=loggedOut")
                response.setCookie(BrowserSupport.cookie(sessionCookie, "", maxAge: 0))
                return response
            }
        }
        router.get("/bank") { request, context in
            try await withStaff(request, context, console) { session, staff in
                let l = context.language
                let query = request.uri.queryParameters
                let status = query["status"].flatMap { ApplicationStatus(rawValue: String($0)) }
                let filter = ApplicationFilter(
                    status: status, form: query["form"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                    from: query["from"].flatMap { CivilDate(iso: String($0)) }, through: query["through"].flatMap { CivilDate(iso: String($0)) },
                    after: query["after"].flatMap { ApplicationCursor(String($0)) })
                let applications = try await console.desk.registration.store.read { reader in
                    try await reader.applications(matching: filter, limit: inboxPageSize).asyncMapAll {
                        ($0, try await reader.contract($0.contractID)?.name ?? "\($0.contractID)")
                    }
                }
                let forms: [[String: Any]] = [["value": "", "label": label("allStatuses", l), "selected": filter.form == nil]]
                    + ApplicationForms.all.filter(\.available).map { ["value": $0.id, "label": $0.title.text(l), "selected": $0.id == filter.form] }
                let statuses: [[String: Any]] = [["value": "", "label": label("allStatuses", l), "selected": status == nil]]
                    + ApplicationStatus.allCases.filter { $0 != .draft }.map {
                        ["value": $0.rawValue, "label": Message.applicationStatusLabel($0).text(l), "selected": $0 == status]
                    }
                let rows = applications.map { application, contract in [
                    "id": application.id, "contract": "\(application.contractID) \(contract)",
                    "memo": ApplicationForms.definition(application.formID)?.title.text(l) ?? application.formID,
                    "status": Message.applicationStatusLabel(application.status).text(l),
                    "updatedAt": TokyoTime.formatForCustomer(application.updatedAt, l), "updater": application.updatedBy.name,
                ] }
                return page("bank-inbox", title: label("inboxTitle", l), session, staff, l,
                            ["rows": rows, "hasRows": !rows.isEmpty, "statuses": statuses, "forms": forms,
                             "from": filter.from?.description ?? "", "through": filter.through?.description ?? "",
                             "older": olderLink(request, after: applications.count == inboxPageSize ? applications.last?.0 : nil) as Any],
                            console)
            }
        }
        router.get("/bank/applications/:id") { request, context in
            try await withStaff(request, context, console) { session, staff in
                try await applicationPage(context.parameters.get("id") ?? "", session, staff, context.language, console)
            }
        }
        router.post("/bank/applications/:id/decide") { request, context in
            try await withStaff(request, context, console) { session, staff in
                let id = context.parameters.get("id") ?? ""
                let form = try await BrowserSupport.form(request, as: DecisionForm.self)
                let l = context.language
                guard BrowserSupport.csrfMatches(form.csrf, expected: session.csrfToken) else {
                    return try await applicationPage(id, session, staff, l, console, error: .csrfTokenInvalid, status: .forbidden)
                }
                do {
                    _ = try await console.desk.decide(accept: form.decision == "accept", id: id, by: staff, comment: form.comment)
                    return BrowserSupport.redirect("/bank/applications/\(id)")
                } catch let error as ShomeiError {
                    return try await applicationPage(id, session, staff, l, console, error: error, comment: form.comment,
                                                     status: ESTRoutes.status(for: error))
                }
            }
        }
    }

    // MARK: Direct actions (four-eyes)

    struct ActionForm: Decodable {
        let csrf: String?
        let kind: String?
        let serial: String?
        let revocationReason: String?
        let contractId: String?
        let userId: String?
        let reason: String?

        var directAction: DirectAction.Kind {
            get throws {
                if kind == "reissue" {
                    return .reissue(user: UserKey(contractID: try ContractID(contractId ?? ""), userID: try UserID(userId ?? "")))
                }
                let reason = RevocationReason.allCases.first { $0.rfcName == revocationReason } ?? .unspecified
                return .revokeNow(serial: try SerialText.normalize(serial ?? ""), reason: reason)
            }
        }
    }

    static func addDirectActions(to router: Router<SecureRequestContext>, console: BankConsole) {
        router.get("/bank/actions") { request, context in
            try await withStaff(request, context, console) { session, staff in
                try await actionsPage(session, staff, context.language, console)
            }
        }
        router.post("/bank/actions") { request, context in
            try await withStaff(request, context, console) { session, staff in
                let form = try await BrowserSupport.form(request, as: ActionForm.self)
                guard BrowserSupport.csrfMatches(form.csrf, expected: session.csrfToken) else {
                    return try await actionsPage(session, staff, context.language, console, error: .csrfTokenInvalid, status: .forbidden)
                }
                do {
                    _ = try await console.fourEyes.request(try form.directAction, reason: form.reason ?? "", by: staff)
                    return BrowserSupport.redirect("/bank/actions")
                } catch let error as ShomeiError {
                    return try await actionsPage(session, staff, context.language, console, error: error, status: ESTRoutes.status(for: error))
                }
            }
        }
        for decision in ["approve", "reject"] {
            router.post("/bank/actions/:id/\(decision)") { request, context in
                try await withStaff(request, context, console) { session, staff in
                    let form = try await BrowserSupport.form(request, as: ActionForm.self)
                    let id = context.parameters.get("id") ?? ""
                    guard BrowserSupport.csrfMatches(form.csrf, expected: session.csrfToken) else {
                        return try await actionsPage(session, staff, context.language, console, error: .csrfTokenInvalid, status: .forbidden)
                    }
                    do {
                        if decision == "reject" {
                            _ = try await console.fourEyes.reject(id: id, by: staff)
                            return BrowserSupport.redirect("/bank/actions")
                        }
                        let approved = try await console.fourEyes.approve(id: id, by: staff)
                        return try await actionsPage(session, staff, context.language, console, activationCode: approved.activationCode)
                    } catch let error as ShomeiError {
                        return try await actionsPage(session, staff, context.language, console, error: error, status: ESTRoutes.status(for: error))
                    }
                }
            }
        }
    }

    private static func actionsPage(
        _ session: StaffSession, _ staff: Staff, _ l: Language, _ console: BankConsole, error: ShomeiError? = nil,
        activationCode: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let pending = try await console.desk.registration.store.read { try await $0.directActions(status: .pending, limit: 100) }
        let rows = pending.map { action -> [String: Any] in
            [
                "id": action.id, "kind": describe(action.kind, l), "reason": action.reason, "requestedBy": action.requestedBy,
                "requestedAt": TokyoTime.formatForCustomer(action.requestedAt, l), "canDecide": action.decisionRefusal(by: staff) == nil,
            ]
        }
        return page("bank-actions", title: label("actionsTitle", l), session, staff, l, [
            "pending": rows, "hasPending": !rows.isEmpty, "canRequest": staff.role.decidesApplications,
            "reasons": RevocationReason.allCases.filter(\.isOffered).map { ["value": $0.rfcName, "label": Message.revocationReasonLabel($0).text(l)] },
            "activationCode": activationCode as Any, "error": error?.message(l) as Any,
        ], console, status: status)
    }

    private static func describe(_ kind: DirectAction.Kind, _ l: Language) -> String {
        switch kind {
        case .revokeNow(let serial, let reason):
            "\(label("actionRevoke", l)) \(serial.uppercased())（\(Message.revocationReasonLabel(reason).text(l))）"
        case .reissue(let user): "\(label("actionReissue", l)) \(user)"
        }
    }

    private static func applicationPage(
        _ id: String, _ session: StaffSession, _ staff: Staff, _ l: Language, _ console: BankConsole,
        error: ShomeiError? = nil, comment: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let found = try await console.desk.registration.store.read { reader -> (ShomeiDomain.Application, String, [ApplicationHistoryEntry])? in
            guard let application = try await reader.application(id: id), application.status != .draft else { return nil }
            return (application, try await reader.contract(application.contractID)?.name ?? "", try await reader.applicationHistory(id: id))
        }
        guard let (application, contract, history) = found, let form = ApplicationForms.definition(application.formID) else {
            return page("bank-inbox", title: label("inboxTitle", l), session, staff, l,
                        ["error": ShomeiError.applicationNotFound(id).message(l)], console, status: .notFound)
        }
        return page("bank-application", title: "\(form.title.text(l)) \(label("viewTitle", l))", session, staff, l, [
            "applicationId": application.id, "contract": "\(application.contractID) \(contract)", "memo": form.title.text(l),
            "status": Message.applicationStatusLabel(application.status).text(l), "bankComment": application.bankComment as Any,
            "targets": application.targets.map(\.description).joined(separator: ", "),
            "revocationDue": application.revocationDueAt.map { TokyoTime.formatForCustomer($0, l) } as Any,
            "decidable": application.status.awaitsBank && staff.role.decidesApplications, "comment": comment ?? "",
            "sections": ApplicationViews.readOnly(form, answers: application.answers, l),
            "history": ApplicationViews.history(history, customer: contract, bank: console.pages.bankName, l),
            "error": error?.message(l) as Any,
        ], console, status: status)
    }

    static func withStaff(
        _ request: Request, _ context: SecureRequestContext, _ console: BankConsole, _ body: (StaffSession, Staff) async throws -> Response
    ) async throws -> Response {
        guard let token = request.cookies[sessionCookie]?.value else { return BrowserSupport.redirect("/bank/login") }
        switch try await console.staff.resume(token: token) {
        case .success(let (session, staff)): return try await body(session, staff)
        case .failure(.sessionEnded(let end)): return BrowserSupport.redirect("/bank/login?ended=\(end.rawValue)")
        case .failure: return BrowserSupport.redirect("/bank/login")
        }
    }

    private static func loginPage(
        _ request: Request, _ context: SecureRequestContext, _ console: BankConsole, info: String? = nil, error: ShomeiError? = nil,
        staffID: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let token = BrowserSupport.preLoginToken(request)
        let l = context.language
        let response = console.pages.response("bank-login", title: label("consoleTitle", l), language: l, values: [
            "csrf": token.token, "staffId": staffID ?? "", "info": info as Any, "error": error?.message(l) as Any,
        ], status: status)
        return BrowserSupport.withPreLoginCookie(response, token)
    }

    static func page(
        _ name: String, title: String, _ session: StaffSession, _ staff: Staff, _ l: Language, _ values: [String: Any],
        _ console: BankConsole, status: HTTPResponse.Status = .ok
    ) -> Response {
        let frame: [String: Any] = ["staff": ["name": staff.name, "role": staff.role.rawValue], "csrf": session.csrfToken]
        return console.pages.response(name, title: title, language: l, values: frame.merging(values) { $1 }, status: status)
    }

    static func label(_ key: String, _ l: Language) -> String { ScreenText.table(l)[key] ?? key }

    /// The inbox's next page: the same filter, after `last`; nil when this page was the last.
    static func olderLink(_ request: Request, after last: ShomeiDomain.Application?) -> String? {
        guard let last else { return nil }
        var components = URLComponents()
        components.queryItems = ["status", "form", "from", "through"].compactMap { name in
            request.uri.queryParameters[Substring(name)].map { URLQueryItem(name: name, value: String($0)) }
        } + [URLQueryItem(name: "after", value: ApplicationCursor(after: last).description)]
        return components.percentEncodedQuery
    }
}

extension Array {
    func asyncMapAll<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
