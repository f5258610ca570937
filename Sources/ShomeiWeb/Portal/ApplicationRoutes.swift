import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// 各種申込サービス in the portal (seed 000): the menu of application types, 回答一覧,
/// 回答内容編集 → 回答内容確認 → 回答内容結果, 回答内容参照 with the history, and 削除. Only users
/// who may file (`FormCatalog.fileable`) reach any of it; every application loaded by id is
/// the session's contract's (`PortalQueries`), on every route and every branch.
enum ApplicationRoutes {
    static func add(to group: RouterGroup<PortalRequestContext>, portal: Portal) {
        group.get("/portal/applications") { _, context in
            let l = context.language
            guard portal.desk.forms.filesAny(context.visit.user.role) else { throw ShomeiError.applicationTypeUnavailable("") }
            return try portal.page(
                ApplicationsPage(forms: portal.desk.forms.all.map { .init(id: $0.id, title: $0.title.text(l), available: $0.available) }),
                title: Label.applicationsTitle.text(l), context)
        }
        group.get("/portal/applications/:form") { _, context in
            let form = try fileableForm(context, portal)
            let applications = try await portal.queries.applications(of: context.visit.user.key.contractID, form: form.id)
            let rows = applications.map { row($0, form: form, context, portal: portal) }
            return try portal.page(ApplicationListPage(formId: form.id, rows: rows, hasRows: !rows.isEmpty),
                                   title: "\(form.title.text(context.language)) \(Label.answerList.text(context.language))", context)
        }
        group.get("/portal/applications/:form/new") { _, context in
            try editPage(try fileableForm(context, portal), answers: [:], problems: [], application: nil, context, portal)
        }
        group.get("/portal/applications/:form/:id/edit") { _, context in
            let (form, application) = try await ownedApplication(context, portal)
            guard application.status.isEditable else { return BrowserSupport.redirect("/portal/applications/\(form.id)/\(application.id)") }
            return try editPage(form, answers: application.answers, problems: [], application: application, context, portal)
        }
        group.get("/portal/applications/:form/:id") { request, context in
            let (form, application) = try await ownedApplication(context, portal)
            return try await viewPage(form, application, context, portal, justSubmitted: request.uri.queryParameters["submitted"] != nil,
                                      justSaved: request.uri.queryParameters["saved"] != nil)
        }
        group.post("/portal/applications/:form/save") { request, context in
            let form = try fileableForm(context, portal)
            var fields = try await FormFields.read(request)
            fields["csrf"] = nil
            let intent = fields.removeValue(forKey: "intent") ?? "draft"
            let id = fields.removeValue(forKey: "applicationId")
            return try await save(intent: intent, form: form, answers: fields, id: id, context, portal)
        }
        group.post("/portal/applications/:form/:id/withdraw") { _, context in
            let (form, application) = try await ownedApplication(context, portal)
            _ = try await portal.desk.withdraw(id: application.id, by: context.visit.user)
            return BrowserSupport.redirect("/portal/applications/\(form.id)")
        }
    }

    /// 一時保存, 提出 (→ 回答内容確認), 戻る (→ 回答内容編集 with the input kept) and 確定 (→ 回答内容結果).
    private static func save(
        intent: String, form: FormDefinition, answers: [String: String], id: String?, _ context: PortalRequestContext, _ portal: Portal
    ) async throws -> Response {
        let l = context.language
        let contract = context.visit.user.key.contractID
        // Another contract's id reads as not found here too, whatever the intent.
        var current: ShomeiDomain.Application?
        if let id {
            current = try await portal.queries.application(id, of: contract, form: form.id)
            guard current != nil else { throw ShomeiError.applicationNotFound(id) }
        }
        do {
            switch intent {
            case "draft":
                let saved = try await portal.desk.saveDraft(form: form.id, answers: answers, id: id, by: context.visit.user)
                return BrowserSupport.redirect("/portal/applications/\(form.id)/\(saved.id)?saved")
            case "submit":
                try await portal.desk.check(form: form.id, answers: answers, by: context.visit.user)
                return try portal.page(
                    ApplicationConfirmPage(formId: form.id, applicationId: id, sections: ApplicationViews.readOnly(form, answers: answers, l),
                                           hidden: ApplicationViews.hidden(answers)),
                    title: Label.confirmTitle.text(l), context)
            case "confirm":
                let submitted = try await portal.desk.submit(form: form.id, answers: answers, id: id, by: context.visit.user)
                return BrowserSupport.redirect("/portal/applications/\(form.id)/\(submitted.id)?submitted")
            default:
                return try editPage(form, answers: answers, problems: [], application: current, context, portal)
            }
        } catch ShomeiError.applicationInvalid(let problems) {
            return try editPage(form, answers: answers, problems: problems, application: current, context, portal,
                                error: ShomeiError.applicationInvalid(problems).message(l), status: .badRequest)
        }
    }

    private static func editPage(
        _ form: FormDefinition, answers: [String: String], problems: [FieldProblem], application: ShomeiDomain.Application?,
        _ context: PortalRequestContext, _ portal: Portal, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let l = context.language
        return try portal.page(
            ApplicationEditPage(formId: form.id, applicationId: application?.id, bankComment: application?.bankComment,
                                sections: ApplicationViews.editable(form, answers: answers, problems: problems, l)),
            title: "\(form.title.text(l)) \(Label.editTitle.text(l))", context, error: error, status: status)
    }

    private static func viewPage(
        _ form: FormDefinition, _ application: ShomeiDomain.Application, _ context: PortalRequestContext, _ portal: Portal,
        justSubmitted: Bool, justSaved: Bool
    ) async throws -> Response {
        let l = context.language
        let visit = context.visit
        let history = try await portal.queries.history(of: application, for: visit.user.key.contractID)
        let title = justSubmitted ? Label.resultTitle : Label.viewTitle
        return try portal.page(
            ApplicationViewPage(
                formId: form.id, applicationId: application.id, memo: form.title.text(l),
                status: Message.applicationStatusLabel(application.status).text(l), bankComment: application.bankComment,
                submitted: justSubmitted && application.status.awaitsBank, saved: justSaved && application.status.isEditable,
                editable: application.status.isEditable,
                withdrawable: (try? ApplicationWorkflow.next(after: .withdraw, from: application.status)) != nil,
                sections: ApplicationViews.readOnly(form, answers: application.answers, l),
                history: ApplicationViews.history(history, customer: visit.contract.name, bank: portal.pages.bankName, l)),
            title: "\(form.title.text(l)) \(title.text(l))", context)
    }

    private static func row(
        _ application: ShomeiDomain.Application, form: FormDefinition, _ context: PortalRequestContext, portal: Portal
    ) -> ApplicationListPage.Row {
        let l = context.language
        let company = context.visit.contract.name
        return .init(
            id: application.id, formId: form.id, company: company, status: Message.applicationStatusLabel(application.status).text(l),
            updatedAt: TokyoTime.formatForCustomer(application.updatedAt, l),
            updatedCompany: application.updatedBy.side == .customer ? company : portal.pages.bankName,
            updater: application.updatedBy.name, memo: form.title.text(l), editable: application.status.isEditable)
    }

    /// The route's form, if it is offered and the user may file it.
    private static func fileableForm(_ context: PortalRequestContext, _ portal: Portal) throws -> FormDefinition {
        let id = context.parameters.get("form") ?? ""
        guard let form = portal.desk.forms.fileable(id, by: context.visit.user.role) else { throw ShomeiError.applicationTypeUnavailable(id) }
        return form
    }

    /// …and one of the session's contract's applications of that form (another contract's reads as not found).
    private static func ownedApplication(_ context: PortalRequestContext, _ portal: Portal) async throws -> (FormDefinition, ShomeiDomain.Application) {
        let form = try fileableForm(context, portal)
        let id = context.parameters.get("id") ?? ""
        guard let application = try await portal.queries.application(id, of: context.visit.user.key.contractID, form: form.id) else {
            throw ShomeiError.applicationNotFound(id)
        }
        return (form, application)
    }
}
