import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// 各種申込サービス in the portal (seed 000): the menu of application types, 回答一覧,
/// 回答内容編集 → 回答内容確認 → 回答内容結果, 回答内容参照 with the history, and 削除.
enum ApplicationRoutes {
    static func add(to router: Router<SecureRequestContext>, portal: Portal) {
        router.get("/portal/applications") { request, context in
            try await portal.withVisit(request, context) { visit in
                let l = context.language
                return portal.page("applications", title: PortalRoutes.label("applicationsTitle", context), visit, l, [
                    "forms": ApplicationForms.all.map { ["id": $0.id, "title": $0.title.text(l), "available": $0.available] },
                ])
            }
        }
        router.get("/portal/applications/:form") { request, context in
            try await withForm(request, context, portal) { visit, form in
                let applications = try await portal.registration.store.read {
                    try await $0.applications(of: visit.user.key.contractID, form: form.id)
                }.filter { $0.status != .withdrawn }
                let rows = applications.map { row($0, form: form, visit: visit, portal: portal, context.language) }
                return portal.page("application-list", title: "\(form.title.text(context.language)) \(PortalRoutes.label("answerList", context))",
                                   visit, context.language, ["formId": form.id, "rows": rows, "hasRows": !rows.isEmpty])
            }
        }
        router.get("/portal/applications/:form/new") { request, context in
            try await withForm(request, context, portal) { visit, form in
                editPage(form, answers: [:], problems: [], application: nil, visit, context, portal)
            }
        }
        router.get("/portal/applications/:form/:id/edit") { request, context in
            try await withApplication(request, context, portal) { visit, form, application in
                guard application.status.isEditable else { return BrowserSupport.redirect("/portal/applications/\(form.id)/\(application.id)") }
                return editPage(form, answers: application.answers, problems: [], application: application, visit, context, portal)
            }
        }
        router.get("/portal/applications/:form/:id") { request, context in
            try await withApplication(request, context, portal) { visit, form, application in
                try await viewPage(form, application, visit, context, portal, justSubmitted: request.uri.queryParameters["submitted"] != nil,
                                   justSaved: request.uri.queryParameters["saved"] != nil)
            }
        }
        router.post("/portal/applications/:form/save") { request, context in
            try await withForm(request, context, portal) { visit, form in
                var fields = try await FormFields.read(request)
                if let refusal = try await portal.checkCSRF(fields.removeValue(forKey: "csrf"), visit, path: request.uri.path) {
                    return portal.menu(visit, context.language, refusal: refusal)
                }
                let intent = fields.removeValue(forKey: "intent") ?? "draft"
                let id = fields.removeValue(forKey: "applicationId")
                return try await save(intent: intent, form: form, answers: fields, id: id, visit, context, portal)
            }
        }
        router.post("/portal/applications/:form/:id/withdraw") { request, context in
            try await withApplication(request, context, portal) { visit, form, application in
                let fields = try await FormFields.read(request)
                if let refusal = try await portal.checkCSRF(fields["csrf"], visit, path: request.uri.path) {
                    return portal.menu(visit, context.language, refusal: refusal)
                }
                _ = try await portal.desk.withdraw(id: application.id, by: visit.user)
                return BrowserSupport.redirect("/portal/applications/\(form.id)")
            }
        }
    }

    /// 一時保存, 提出 (→ 回答内容確認), 戻る (→ 回答内容編集 with the input kept) and 確定 (→ 回答内容結果).
    private static func save(
        intent: String, form: FormDefinition, answers: [String: String], id: String?, _ visit: PortalVisit,
        _ context: SecureRequestContext, _ portal: Portal
    ) async throws -> Response {
        let l = context.language
        var current: ShomeiDomain.Application?
        if let id { current = try await portal.registration.store.read { try await $0.application(id: id) } }
        do {
            switch intent {
            case "draft":
                let saved = try await portal.desk.saveDraft(form: form.id, answers: answers, id: id, by: visit.user)
                return BrowserSupport.redirect("/portal/applications/\(form.id)/\(saved.id)?saved")
            case "submit":
                try await portal.desk.check(form: form.id, answers: answers, by: visit.user)
                return portal.page("application-confirm", title: PortalRoutes.label("confirmTitle", context), visit, l, [
                    "formId": form.id, "applicationId": id as Any, "sections": ApplicationViews.readOnly(form, answers: answers, l),
                    "hidden": ApplicationViews.hidden(answers),
                ])
            case "confirm":
                let submitted = try await portal.desk.submit(form: form.id, answers: answers, id: id, by: visit.user)
                return BrowserSupport.redirect("/portal/applications/\(form.id)/\(submitted.id)?submitted")
            default:
                return editPage(form, answers: answers, problems: [], application: current, visit, context, portal)
            }
        } catch ShomeiError.applicationInvalid(let problems) {
            return editPage(form, answers: answers, problems: problems, application: current, visit, context, portal,
                            error: ShomeiError.applicationInvalid(problems).message(l), status: .badRequest)
        } catch let error as ShomeiError {
            // Not found, not editable any more (the bank decided meanwhile), not allowed: say so.
            return portal.menu(visit, l, refusal: error)
        }
    }

    private static func editPage(
        _ form: FormDefinition, answers: [String: String], problems: [FieldProblem], application: ShomeiDomain.Application?, _ visit: PortalVisit,
        _ context: SecureRequestContext, _ portal: Portal, error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let l = context.language
        return portal.page("application-edit", title: "\(form.title.text(l)) \(PortalRoutes.label("editTitle", context))", visit, l, [
            "formId": form.id, "applicationId": application?.id as Any, "bankComment": application?.bankComment as Any,
            "sections": ApplicationViews.editable(form, answers: answers, problems: problems, l), "error": error as Any,
        ], status: status)
    }

    private static func viewPage(
        _ form: FormDefinition, _ application: ShomeiDomain.Application, _ visit: PortalVisit, _ context: SecureRequestContext, _ portal: Portal,
        justSubmitted: Bool, justSaved: Bool
    ) async throws -> Response {
        let l = context.language
        let history = try await portal.registration.store.read { try await $0.applicationHistory(id: application.id) }
        let title = justSubmitted ? "resultTitle" : "viewTitle"
        return portal.page("application-view", title: "\(form.title.text(l)) \(PortalRoutes.label(title, context))", visit, l, [
            "formId": form.id, "applicationId": application.id, "memo": form.title.text(l),
            "status": Message.applicationStatusLabel(application.status).text(l), "bankComment": application.bankComment as Any,
            "submitted": justSubmitted && application.status.awaitsBank,
            "saved": justSaved && application.status.isEditable,
            "editable": application.status.isEditable,
            "withdrawable": (try? ApplicationWorkflow.next(after: .withdraw, from: application.status)) != nil,
            "sections": ApplicationViews.readOnly(form, answers: application.answers, l),
            "history": ApplicationViews.history(history, customer: visit.contract.name, bank: portal.pages.bankName, l),
        ])
    }

    private static func row(_ application: ShomeiDomain.Application, form: FormDefinition, visit: PortalVisit, portal: Portal, _ l: Language) -> [String: Any] {
        [
            "id": application.id, "formId": form.id, "company": visit.contract.name,
            "status": Message.applicationStatusLabel(application.status).text(l),
            "updatedAt": TokyoTime.formatForCustomer(application.updatedAt, l),
            "updatedCompany": company(application.updatedBy, visit, portal), "updater": application.updatedBy.name,
            "memo": form.title.text(l), "editable": application.status.isEditable,
        ]
    }

    /// 最終更新企業: the customer's company name, or the bank's.
    private static func company(_ actor: ApplicationActor, _ visit: PortalVisit, _ portal: Portal) -> String {
        actor.side == .customer ? visit.contract.name : portal.pages.bankName
    }

    /// A logged-in user allowed to file applications, and an offered form.
    private static func withForm(
        _ request: Request, _ context: SecureRequestContext, _ portal: Portal, _ body: (PortalVisit, FormDefinition) async throws -> Response
    ) async throws -> Response {
        try await portal.withVisit(request, context) { visit in
            guard let id = context.parameters.get("form"), let form = ApplicationForms.definition(id), form.available,
                  form.fileableBy.contains(visit.user.role)
            else {
                return portal.menu(visit, context.language, refusal: .applicationTypeUnavailable(context.parameters.get("form") ?? ""))
            }
            return try await body(visit, form)
        }
    }

    /// …and one of the contract's applications of that form (another contract's reads as not found).
    private static func withApplication(
        _ request: Request, _ context: SecureRequestContext, _ portal: Portal,
        _ body: (PortalVisit, FormDefinition, ShomeiDomain.Application) async throws -> Response
    ) async throws -> Response {
        try await withForm(request, context, portal) { visit, form in
            let id = context.parameters.get("id") ?? ""
            guard let application = try await portal.registration.store.read({ try await $0.application(id: id) }),
                  application.contractID == visit.user.key.contractID, application.formID == form.id
            else {
                return portal.menu(visit, context.language, refusal: .applicationNotFound(id))
            }
            return try await body(visit, form, application)
        }
    }
}

/// An HTML form's fields as `name → value` (application/x-www-form-urlencoded), size-limited.
enum FormFields {
    static func read(_ request: Request) async throws -> [String: String] {
        let body = String(buffer: try await request.body.collect(upTo: BrowserSupport.maximumFormSize))
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first.map(decode), !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
