import Foundation
import ShomeiDomain

/// Turns form definitions, answers and problems into what the application pages show.
/// Generic over definitions: no field of 05 is named here.
enum ApplicationViews {
    /// The 回答内容編集 form: each field with its current value and its problem, if any.
    static func editable(_ form: FormDefinition, answers: [String: String], problems: [FieldProblem], _ l: Language) -> [EditableSection] {
        form.sections.map { section in
            EditableSection(
                title: section.title.text(l), note: section.note?.text(l),
                fields: section.fields.map { field in editableField(field, answers, problems, l) })
        }
    }

    private static func editableField(_ field: FormDefinition.Field, _ answers: [String: String], _ problems: [FieldProblem], _ l: Language) -> EditableField {
        let value = answers[field.id] ?? ""
        var view = EditableField(
            id: field.id, label: field.label.text(l), help: field.help?.text(l),
            problem: problems.first { $0.fieldID == field.id && $0.row == nil }.map { Message.fieldProblem($0.kind).text(l) })
        switch field.kind {
        case .confirmation(let attachment):
            view.isConfirmation = true
            view.checked = value == "yes"
            view.attachment = attachment
        case .fullWidthText(let maximum), .freeText(let maximum):
            view.isText = true
            view.value = value
            view.maxLength = maximum
            if case .freeText = field.kind { view.multiline = true }
        case .phoneNumber:
            // No maxlength: a number typed with hyphens must arrive whole, to get the message about them.
            view.isText = true
            view.value = value
            view.maxLength = 32
            view.numeric = true
        case .choice(let options, _, _):
            view.isChoice = true
            view.options = options.map { .init(fieldId: field.id, value: $0.value, label: $0.label.text(l), checked: $0.value == value) }
        case .userRows(_, let maximum):
            view.isRows = true
            view.rows = (1...maximum).map { row in
                let role = answers["\(field.id).\(row).role"] ?? ""
                return .init(
                    fieldId: field.id, number: row, label: field.label.text(l), name: answers["\(field.id).\(row).name"] ?? "",
                    roles: Role.allCases.map { .init(fieldId: field.id, value: $0.rawValue, label: Message.roleLabel($0).text(l), checked: $0.rawValue == role) },
                    problem: problems.first { $0.fieldID == field.id && $0.row == row }.map { Message.fieldProblem($0.kind).text(l) })
            }
        }
        return view
    }

    /// The answers read-only (回答内容確認 / 参照): each field's value as lines of text.
    static func readOnly(_ form: FormDefinition, answers: [String: String], _ l: Language) -> [AnswerSection] {
        form.sections.map { section in
            AnswerSection(
                title: section.title.text(l),
                fields: section.fields.map { field in .init(label: field.label.text(l), lines: lines(field, of: form, answers, l)) })
        }
    }

    private static func lines(_ field: FormDefinition.Field, of form: FormDefinition, _ answers: [String: String], _ l: Language) -> [String] {
        let value = answers[field.id] ?? ""
        switch field.kind {
        case .confirmation:
            return value == "yes" ? [Label.confirmed.text(l)] : []
        case .choice(let options, _, _):
            return options.filter { $0.value == value }.map { $0.label.text(l) }
        case .userRows:
            return form.userRows(field.id, in: answers).map { "\($0.name)（\(Message.roleLabel($0.role).text(l))）" }
        case .fullWidthText, .freeText, .phoneNumber:
            return value.isEmpty ? [] : [value]
        }
    }

    /// 履歴: every status change with the company (the customer's or the bank's), who, and the comment.
    static func history(_ entries: [ApplicationHistoryEntry], customer: String, bank: String, _ l: Language) -> [HistoryRow] {
        entries.map { entry in
            HistoryRow(
                time: TokyoTime.formatForCustomer(entry.time, l), company: entry.actor.side == .customer ? customer : bank,
                user: entry.actor.name, before: entry.before.map { Message.applicationStatusLabel($0).text(l) } ?? "",
                after: Message.applicationStatusLabel(entry.after).text(l), comment: entry.comment ?? "")
        }
    }

    /// The answers as hidden inputs, so 確定 and 戻る send exactly what was confirmed.
    static func hidden(_ answers: [String: String]) -> [ApplicationConfirmPage.Hidden] {
        answers.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) }
    }
}
