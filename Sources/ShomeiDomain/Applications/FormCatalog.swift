import Foundation

/// The application types an installation offers (各種申込サービス's menu), each checked once when
/// the server starts, so a bank's own form with a mistake is refused there with the file and the
/// field named, never half-rendered to a customer. Who may file what is decided here too.
public struct FormCatalog: Sendable, Equatable {
    /// Menu order: by ID.
    public let all: [FormDefinition]

    /// Fields the application routes use for themselves; a form may not name a field so.
    static let reservedFieldIDs: Set<String> = ["csrf", "intent", "applicationId"]

    /// Checks every definition and that no ID is used twice. `source` names where each came from
    /// (a file), for the message.
    public init(_ definitions: [(source: String, form: FormDefinition)]) throws(ShomeiError) {
        var seen: [String: String] = [:]
        for (source, form) in definitions {
            if let earlier = seen[form.id] {
                throw .invalidConfiguration("\(source): form \(form.id) is also defined in \(earlier)")
            }
            seen[form.id] = source
            if let problem = Self.problem(in: form) { throw .invalidConfiguration("\(source): form \(form.id): \(problem)") }
        }
        all = definitions.map(\.form).sorted { $0.id < $1.id }
    }

    /// Reads one definition from JSON; a mistake names the file and the path inside it. A key
    /// the definition does not read is refused too: a misspelt `available` would otherwise leave
    /// the form offered, and a misspelt `help` would drop the text without a word.
    public static func decode(_ data: Data, source: String) throws(ShomeiError) -> FormDefinition {
        do {
            let form = try JSONDecoder().decode(FormDefinition.self, from: data)
            let read = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(form))
            if let key = unknownKey(in: try JSONSerialization.jsonObject(with: data), readAs: read, at: []) {
                throw ShomeiError.invalidConfiguration("\(source): \(key): not a key of a form definition")
            }
            return form
        } catch let error as ShomeiError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw .invalidConfiguration("\(source): not valid JSON")
        } catch let DecodingError.dataCorrupted(context), let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalidConfiguration("\(source): \(path(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalidConfiguration("\(source): \(path(context.codingPath + [key])): missing")
        } catch {
            throw .invalidConfiguration("\(source): not a form definition")
        }
    }

    public func definition(_ id: String) -> FormDefinition? { all.first { $0.id == id } }

    /// The form, when it is offered and `role` is among those who may file it.
    public func fileable(_ id: String, by role: Role) -> FormDefinition? {
        definition(id).flatMap { $0.available && $0.fileableBy.contains(role) ? $0 : nil }
    }

    /// Whether `role` may file any application at all (the applications menu is shown).
    public func filesAny(_ role: Role) -> Bool {
        all.contains { fileable($0.id, by: role) != nil }
    }

    // MARK: Checks

    private static func path(_ keys: [any CodingKey]) -> String {
        path(keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" })
    }

    private static func path(_ steps: [String]) -> String {
        steps.joined().drop(while: { $0 == "." }).description
    }

    /// The path of the first key of `input` (the file as parsed) that `read` (the decoded
    /// definition encoded again) does not have; a `null` stands for an absent optional.
    private static func unknownKey(in input: Any, readAs read: Any, at steps: [String]) -> String? {
        switch (input, read) {
        case let (input as [String: Any], read as [String: Any]):
            for key in input.keys.sorted() where !(input[key] is NSNull) {
                guard let known = read[key] else { return path(steps + [".\(key)"]) }
                if let found = unknownKey(in: input[key]!, readAs: known, at: steps + [".\(key)"]) { return found }
            }
            return nil
        case let (input as [Any], read as [Any]):
            return zip(input, read).enumerated().lazy.compactMap { unknownKey(in: $1.0, readAs: $1.1, at: steps + ["[\($0)]"]) }.first
        default:
            return nil
        }
    }

    /// The first thing wrong with `form`, in words for the operator.
    static func problem(in form: FormDefinition) -> String? {
        if !isIdentifier(form.id, maximumLength: 8) { return "the ID must be 1–8 letters, digits, - or _" }
        if let problem = textProblem(form.title, "title") { return problem }
        if form.fileableBy.isEmpty { return "fileableBy names no role" }
        if form.available && form.fields.isEmpty { return "an available form needs at least one field" }
        if let duplicate = firstDuplicate(form.sections.map(\.id)) { return "section \(duplicate) is defined twice" }
        if let duplicate = firstDuplicate(form.fields.map(\.id)) { return "field \(duplicate) is defined twice" }
        for section in form.sections {
            if let problem = textProblem(section.title, "section \(section.id)'s title")
                ?? section.note.flatMap({ textProblem($0, "section \(section.id)'s note") }) { return problem }
        }
        for field in form.fields {
            if let problem = problem(in: field, of: form) { return "field \(field.id): \(problem)" }
        }
        return effectProblem(form)
    }

    private static func problem(in field: FormDefinition.Field, of form: FormDefinition) -> String? {
        if !isIdentifier(field.id, maximumLength: 40) || reservedFieldIDs.contains(field.id) {
            return "the ID must be 1–40 letters, digits, - or _ and not \(reservedFieldIDs.sorted().joined(separator: ", "))"
        }
        if let problem = textProblem(field.label, "the label") ?? field.help.flatMap({ textProblem($0, "the help") }) { return problem }
        switch field.kind {
        case .confirmation(let attachment):
            if let attachment, !isFileName(attachment) { return "the attachment must be a file name" }
        case .fullWidthText(let maximum), .freeText(let maximum):
            if !(1...2000).contains(maximum) { return "maximumLength must be 1–2000" }
        case .phoneNumber:
            break
        case .choice(let options, let otherValue, let otherFieldID):
            if options.isEmpty { return "a choice needs options" }
            if let duplicate = firstDuplicate(options.map(\.value)) { return "option \(duplicate) is listed twice" }
            if let option = options.first(where: { !isIdentifier($0.value, maximumLength: 40) }) {
                return "option value \"\(option.value)\" must be 1–40 letters, digits, - or _"
            }
            if let problem = options.lazy.compactMap({ textProblem($0.label, "option \($0.value)'s label") }).first { return problem }
            if (otherValue == nil) != (otherFieldID == nil) { return "otherValue and otherFieldID go together" }
            if let otherValue, !options.contains(where: { $0.value == otherValue }) { return "otherValue \(otherValue) is not an option" }
            if let otherFieldID, !isOptionalText(form.field(otherFieldID)) {
                return "otherFieldID \(otherFieldID) must be an optional text field of the form (required only when \(otherValue ?? "") is chosen)"
            }
        case .userRows(let minimum, let maximum):
            if !(0...20).contains(minimum) || !(1...20).contains(maximum) || minimum > maximum {
                return "user rows need 0 ≤ minimum ≤ maximum ≤ 20 and maximum ≥ 1"
            }
        }
        return nil
    }

    /// An effect reads its field by its conventional ID; the form must have it, of the right kind.
    private static func effectProblem(_ form: FormDefinition) -> String? {
        guard let fieldID = form.effect.fieldID else { return nil }
        let field = form.field(fieldID)
        switch (form.effect, field?.kind) {
        case (.revokeCertificates, .userRows(let minimum, _)?) where minimum >= 1 && field?.required == true:
            return nil
        case (.changeLoginMethod, .choice(let options, nil, nil)?) where field?.required == true:
            // The method applies to every user of the contract: only its マスター asks for it.
            if form.fileableBy != [.master] { return "effect changeLoginMethod is filed by the master only: fileableBy must be [\"master\"]" }
            let values = options.map(\.value)
            return Set(values) == Set(Contract.LoginMethod.allCases.map(\.rawValue)) ? nil
                : "effect changeLoginMethod needs the options of \(fieldID) to be exactly "
                    + Contract.LoginMethod.allCases.map(\.rawValue).joined(separator: " and ")
        default:
            let kind = form.effect == .revokeCertificates ? "user rows (minimum ≥ 1)" : "choice (without an other value)"
            return "effect \(form.effect.rawValue) needs a required \(kind) field \(fieldID)"
        }
    }

    private static func textProblem(_ text: FormDefinition.Text, _ what: String) -> String? {
        text.ja.trimmingWhitespace().isEmpty || text.en.trimmingWhitespace().isEmpty ? "\(what) needs both ja and en" : nil
    }

    private static func isIdentifier(_ value: String, maximumLength: Int) -> Bool {
        (1...maximumLength).contains(value.unicodeScalars.count)
            && value.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    private static func isOptionalText(_ field: FormDefinition.Field?) -> Bool {
        switch field?.kind {
        case .fullWidthText?, .freeText?: field?.required == false
        default: false
        }
    }

    private static func isFileName(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix(".") && !value.contains("/") && !value.contains("\\")
    }

    private static func firstDuplicate(_ values: [String]) -> String? {
        var seen: Set<String> = []
        return values.first { !seen.insert($0).inserted }
    }
}
