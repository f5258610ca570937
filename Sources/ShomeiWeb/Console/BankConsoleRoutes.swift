import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// The bank staff console under `/bank`: staff login (ID + password, lockout), the applications
/// inbox across contracts, one application with its answers and history, and 受付済 / 再提出要.
/// Its own session table and cookie: a customer session never opens the console.
enum BankConsoleRoutes {
    /// Applications per inbox page; the "older" link continues after the last one.
    static let inboxPageSize = 100

    struct LoginForm: Decodable {
        let staffId: String?
        let password: String?
    }

    struct DecisionForm: Decodable {
        let decision: String?
        let comment: String?
    }

    /// The login page and its form (guarded by the pre-login token).
    static func addLogin(to group: RouterGroup<SecureRequestContext>, console: BankConsole) {
        group.get("/bank/login") { request, context in
            let ended = request.uri.queryParameters["ended"].flatMap { SessionEnd(rawValue: String($0)) }
            return try loginPage(request, context, console, info: ended.map { ShomeiError.sessionEnded($0).message(context.language) })
        }
        group.post("/bank/login") { request, context in
            let form = try await BrowserSupport.form(request, as: LoginForm.self)
            do {
                let opened = try await console.staff.logIn(id: form.staffId ?? "", password: form.password ?? "")
                var response = BrowserSupport.redirect("/bank")
                response.setCookie(BrowserSupport.cookie(ConsoleSessionMiddleware.cookie, opened.token))
                return response
            } catch let error as ShomeiError {
                return try loginPage(request, context, console, error: error, staffID: form.staffId, status: error.httpStatus)
            }
        }
    }

    static func add(to group: RouterGroup<ConsoleRequestContext>, console: BankConsole) {
        group.post("/bank/logout") { _, context in
            try await console.staff.logOut(context.session)
            var response = BrowserSupport.redirect("/bank/login?ended=loggedOut")
            response.setCookie(BrowserSupport.cookie(ConsoleSessionMiddleware.cookie, "", maxAge: 0))
            return response
        }
        group.get("/bank") { request, context in
            try await inbox(request, context, console)
        }
        group.get("/bank/applications/:id") { _, context in
            try await applicationPage(context.parameters.get("id") ?? "", context, console)
        }
        group.post("/bank/applications/:id/decide") { request, context in
            let id = context.parameters.get("id") ?? ""
            let form = try await BrowserSupport.form(request, as: DecisionForm.self)
            do {
                _ = try await console.desk.decide(accept: form.decision == "accept", id: id, by: context.staff, comment: form.comment)
                return BrowserSupport.redirect("/bank/applications/\(id)")
            } catch let error as ShomeiError {
                return try await applicationPage(id, context, console, error: error, comment: form.comment, status: error.httpStatus)
            }
        }
    }

    private static func inbox(_ request: Request, _ context: ConsoleRequestContext, _ console: BankConsole) async throws -> Response {
        let l = context.language
        let query = request.uri.queryParameters
        let status = query["status"].flatMap { ApplicationStatus(rawValue: String($0)) }
        let filter = ApplicationFilter(
            status: status, form: query["form"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
            from: query["from"].flatMap { CivilDate(iso: String($0)) }, through: query["through"].flatMap { CivilDate(iso: String($0)) },
            after: query["after"].flatMap { ApplicationCursor(String($0)) })
        let listings = try await console.queries.inbox(filter, limit: inboxPageSize)
        let forms = [SelectOption(value: "", label: Label.allStatuses.text(l), selected: filter.form == nil)]
            + console.desk.forms.all.filter(\.available).map { SelectOption(value: $0.id, label: $0.title.text(l), selected: $0.id == filter.form) }
        let statuses = [SelectOption(value: "", label: Label.allStatuses.text(l), selected: status == nil)]
            + ApplicationStatus.allCases.filter { $0 != .draft }.map {
                SelectOption(value: $0.rawValue, label: Message.applicationStatusLabel($0).text(l), selected: $0 == status)
            }
        let rows = listings.map { listing in
            let application = listing.application
            return BankInboxPage.Row(
                id: application.id, contract: "\(application.contractID) \(listing.contractName)",
                memo: console.desk.forms.definition(application.formID)?.title.text(l) ?? application.formID,
                status: Message.applicationStatusLabel(application.status).text(l),
                updatedAt: TokyoTime.formatForCustomer(application.updatedAt, l), updater: application.updatedBy.name)
        }
        return try console.page(
            BankInboxPage(
                rows: rows, hasRows: !rows.isEmpty, statuses: statuses, forms: forms, from: filter.from?.description ?? "",
                through: filter.through?.description ?? "",
                older: olderLink(request, after: listings.count == inboxPageSize ? listings.last?.application : nil)),
            title: Label.inboxTitle, context)
    }

    private static func applicationPage(
        _ id: String, _ context: ConsoleRequestContext, _ console: BankConsole, error: ShomeiError? = nil, comment: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = context.language
        guard let file = try await console.queries.application(id), let form = console.desk.forms.definition(file.application.formID) else {
            throw ShomeiError.applicationNotFound(id)
        }
        let application = file.application
        let targets = application.targets.map(\.description).joined(separator: ", ")
        return try console.page(
            BankApplicationPage(
                applicationId: application.id, contract: "\(application.contractID) \(file.contractName)", memo: form.title.text(l),
                status: Message.applicationStatusLabel(application.status).text(l), bankComment: application.bankComment,
                targets: targets.isEmpty ? nil : targets,
                effectiveAt: application.effectiveAt.map { TokyoTime.formatForCustomer($0, l) },
                decidable: application.status.awaitsBank && context.staff.role.decidesApplications, comment: comment ?? "",
                sections: ApplicationViews.readOnly(form, answers: application.answers, l),
                history: ApplicationViews.history(file.history, customer: file.contractName, bank: console.pages.bankName, l)),
            title: "\(form.title.text(l)) \(Label.viewTitle.text(l))", context, error: error, status: status)
    }

    private static func loginPage(
        _ request: Request, _ context: SecureRequestContext, _ console: BankConsole, info: String? = nil, error: ShomeiError? = nil,
        staffID: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let token = BrowserSupport.preLoginToken(request)
        let l = context.language
        let frame = Frame(title: Label.consoleTitle.text(l), csrf: token.token, error: error?.message(l), info: info)
        return BrowserSupport.withPreLoginCookie(
            try console.pages.response(BankLoginPage(staffId: staffID ?? ""), frame: frame, language: l, status: status), token)
    }

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
