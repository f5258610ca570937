import Foundation
import Hummingbird
import ShomeiDomain
import ShomeiRA

/// Direct actions under four-eyes control in the console: an operator requests an immediate
/// revocation or a re-issue, a different approver approves (and it happens) or rejects.
enum BankActionRoutes {
    struct ActionForm: Decodable {
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

    static func add(to group: RouterGroup<ConsoleRequestContext>, console: BankConsole) {
        group.get("/bank/actions") { _, context in
            try await actionsPage(context, console)
        }
        group.post("/bank/actions") { request, context in
            let form = try await BrowserSupport.form(request, as: ActionForm.self)
            do {
                _ = try await console.fourEyes.request(try form.directAction, reason: form.reason ?? "", by: context.staff)
                return BrowserSupport.redirect("/bank/actions")
            } catch let error as ShomeiError {
                return try await actionsPage(context, console, error: error, status: error.httpStatus)
            }
        }
        group.post("/bank/actions/:id/reject") { _, context in
            do {
                _ = try await console.fourEyes.reject(id: context.parameters.get("id") ?? "", by: context.staff)
                return BrowserSupport.redirect("/bank/actions")
            } catch let error as ShomeiError {
                return try await actionsPage(context, console, error: error, status: error.httpStatus)
            }
        }
        group.post("/bank/actions/:id/approve") { _, context in
            do {
                let approved = try await console.fourEyes.approve(id: context.parameters.get("id") ?? "", by: context.staff)
                guard let code = approved.activationCode else { return try await actionsPage(context, console) }
                return try await console.activationLetter(code, context)
            } catch let error as ShomeiError {
                return try await actionsPage(context, console, error: error, status: error.httpStatus)
            }
        }
    }

    private static func actionsPage(
        _ context: ConsoleRequestContext, _ console: BankConsole, error: ShomeiError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let l = context.language
        let pending = try await console.queries.pendingDirectActions(limit: 100).map { action in
            BankActionsPage.Pending(
                id: action.id, kind: describe(action.kind, l), reason: action.reason, requestedBy: action.requestedBy,
                requestedAt: TokyoTime.formatForCustomer(action.requestedAt, l), canDecide: action.decisionRefusal(by: context.staff) == nil)
        }
        return try console.page(
            BankActionsPage(
                pending: pending, hasPending: !pending.isEmpty, canRequest: context.staff.role.decidesApplications,
                reasons: RevocationReason.allCases.filter(\.isOffered).map { SelectOption(value: $0.rfcName, label: Message.revocationReasonLabel($0).text(l)) }),
            title: Label.actionsTitle, context, error: error, status: status)
    }

    private static func describe(_ kind: DirectAction.Kind, _ l: Language) -> String {
        switch kind {
        case .revokeNow(let serial, let reason):
            "\(Label.actionRevoke.text(l)) \(serial.uppercased())（\(Message.revocationReasonLabel(reason).text(l))）"
        case .reissue(let user): "\(Label.actionReissue.text(l)) \(user)"
        }
    }
}
