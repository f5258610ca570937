/// An application type (各種申込サービス 01_…05_) as data: its sections and fields, the kind
/// and rules of each field, who may file it, and what its acceptance does. New types are new
/// definitions (a JSON file, see docs/APPLICATIONS.md), not new code; the screens render any
/// definition and `validate` checks any answers. `FormCatalog` checks a definition's shape.
public struct FormDefinition: Sendable, Codable, Equatable {
    /// A text in both languages, as definitions carry their own wording.
    public struct Text: Sendable, Codable, Equatable {
        public let ja: String
        public let en: String

        public init(ja: String, en: String) {
            self.ja = ja
            self.en = en
        }

        public func text(_ language: Language) -> String { language.pick(ja: ja, en: en) }
    }

    public struct Option: Sendable, Codable, Equatable {
        public let value: String
        public let label: Text

        public init(value: String, label: Text) {
            self.value = value
            self.label = label
        }
    }

    /// What the bank's 受付済 makes happen on the effective business day (`EffectiveDay`).
    /// The few effects are code; which form has which is data.
    public enum Effect: String, Sendable, Codable, CaseIterable {
        /// Nothing automatic: the bank carries the application out by hand (01, 02, 04).
        case manual
        /// 05: the certificates of the users in the `targetUsers` rows are revoked.
        case revokeCertificates
        /// 03: the contract's login method becomes the `loginMethod` choice, and every user is mailed.
        case changeLoginMethod

        /// 05's user rows: whose certificates are revoked.
        public static let targetUsersField = "targetUsers"
        /// 03's choice: a `Contract.LoginMethod` raw value.
        public static let loginMethodField = "loginMethod"

        /// The field each effect reads, by its conventional ID.
        public var fieldID: String? {
            switch self {
            case .manual: nil
            case .revokeCertificates: Self.targetUsersField
            case .changeLoginMethod: Self.loginMethodField
            }
        }
    }

    public enum Kind: Sendable, Codable, Equatable {
        /// A box to tick after reading (a linked document, when `attachment` names one).
        case confirmation(attachment: String?)
        /// 全角 text (see `JapaneseText`).
        case fullWidthText(maximumLength: Int)
        /// 半角 digits, no hyphens: a Japanese phone number.
        case phoneNumber
        /// One of `options`; choosing `otherValue` makes the field `otherFieldID` required.
        case choice(options: [Option], otherValue: String?, otherFieldID: String?)
        /// Free text: printable characters and line breaks (`TextRules`).
        case freeText(maximumLength: Int)
        /// Rows of (利用者名, 権限): at least `minimum` filled, at most `maximum` shown.
        case userRows(minimum: Int, maximum: Int)
    }

    public struct Field: Sendable, Codable, Equatable {
        public let id: String
        public let label: Text
        public let help: Text?
        public let kind: Kind
        public let required: Bool
    }

    public struct Section: Sendable, Codable, Equatable {
        public let id: String
        public let title: Text
        public let note: Text?
        public let fields: [Field]
    }

    /// `05`, as the menu numbers them (the menu lists forms in this order).
    public let id: String
    public let title: Text
    /// False: listed on the menu but not yet offered.
    public let available: Bool
    public let fileableBy: [Role]
    public let effect: Effect
    public let sections: [Section]

    public init(id: String, title: Text, available: Bool, fileableBy: [Role], effect: Effect = .manual, sections: [Section]) {
        self.id = id
        self.title = title
        self.available = available
        self.fileableBy = fileableBy
        self.effect = effect
        self.sections = sections
    }

    /// `available` defaults to true and `effect` to manual, so a bank's own form says neither.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try values.decode(String.self, forKey: .id), title: try values.decode(Text.self, forKey: .title),
            available: try values.decodeIfPresent(Bool.self, forKey: .available) ?? true,
            fileableBy: try values.decode([Role].self, forKey: .fileableBy),
            effect: try values.decodeIfPresent(Effect.self, forKey: .effect) ?? .manual,
            sections: try values.decodeIfPresent([Section].self, forKey: .sections) ?? [])
    }

    public var fields: [Field] { sections.flatMap(\.fields) }

    public func field(_ id: String) -> Field? { fields.first { $0.id == id } }
}

/// One field's problem, for the page to show next to it (`row` counts from 1 for user rows).
public struct FieldProblem: Sendable, Equatable, Codable {
    public enum Kind: Sendable, Equatable, Codable {
        case required
        case notConfirmed
        case text(JapaneseText.Problem)
        case unknownOption
        case rowIncomplete
        case tooManyRows(maximum: Int)
        case tooFewRows(minimum: Int)
        /// Filled by the application's own checks (e.g. no such user with a valid certificate).
        case userNotFound
        case authorityMismatch
        case certificateNotValid
        case duplicateUser
        /// 03: the contract already logs in that way.
        case loginMethodUnchanged
    }

    public let fieldID: String
    public let row: Int?
    public let kind: Kind

    public init(_ fieldID: String, row: Int? = nil, _ kind: Kind) {
        self.fieldID = fieldID
        self.row = row
        self.kind = kind
    }
}

/// A user row of an application: 利用者名 and 権限 as typed.
public struct UserRow: Sendable, Equatable, Codable {
    public let row: Int
    public let name: String
    public let role: Role

    public init(row: Int, name: String, role: Role) {
        self.row = row
        self.name = name
        self.role = role
    }
}

extension FormDefinition {
    /// Answers are flat `name → value` pairs as an HTML form sends them; user rows are
    /// `<field>.<n>.name` and `<field>.<n>.role`, n from 1. Returns every problem, in field order.
    public func validate(_ answers: [String: String]) -> [FieldProblem] {
        fields.flatMap { field in problems(of: field, in: answers) }
    }

    /// The filled user rows of `fieldID` (only meaningful once `validate` found no problem).
    public func userRows(_ fieldID: String, in answers: [String: String]) -> [UserRow] {
        guard case .userRows(_, let maximum)? = field(fieldID)?.kind else { return [] }
        return (1...maximum).compactMap { row in
            let name = JapaneseText.normalised(answers["\(fieldID).\(row).name"] ?? "").trimmingWhitespace()
            guard !name.isEmpty, let role = Role(rawValue: answers["\(fieldID).\(row).role"] ?? "") else { return nil }
            return UserRow(row: row, name: String(name), role: role)
        }
    }

    private func problems(of field: Field, in answers: [String: String]) -> [FieldProblem] {
        let value = answers[field.id] ?? ""
        switch field.kind {
        case .confirmation:
            return value == "yes" ? [] : [FieldProblem(field.id, .notConfirmed)]
        case .fullWidthText(let maximum):
            if value.isEmpty { return field.required ? [FieldProblem(field.id, .required)] : [] }
            return JapaneseText.fullWidthProblem(value, maximumLength: maximum).map { [FieldProblem(field.id, .text($0))] } ?? []
        case .phoneNumber:
            if value.isEmpty { return field.required ? [FieldProblem(field.id, .required)] : [] }
            return JapaneseText.phoneProblem(value).map { [FieldProblem(field.id, .text($0))] } ?? []
        case .choice(let options, let otherValue, let otherFieldID):
            if value.isEmpty { return field.required ? [FieldProblem(field.id, .required)] : [] }
            guard options.contains(where: { $0.value == value }) else { return [FieldProblem(field.id, .unknownOption)] }
            if value == otherValue, let otherFieldID, (answers[otherFieldID] ?? "").trimmingWhitespace().isEmpty {
                return [FieldProblem(otherFieldID, .required)]
            }
            return []
        case .freeText(let maximum):
            if !TextRules.hasVisibleContent(value) { return field.required ? [FieldProblem(field.id, .required)] : [] }
            if let character = TextRules.forbiddenCharacter(in: value, allowingLineBreaks: true) {
                return [FieldProblem(field.id, .text(.notInCharacterSet(character)))]
            }
            return value.count > maximum ? [FieldProblem(field.id, .text(.tooLong(maximum: maximum)))] : []
        case .userRows(let minimum, let maximum):
            return rowProblems(field.id, minimum: minimum, maximum: maximum, answers)
        }
    }

    private func rowProblems(_ id: String, minimum: Int, maximum: Int, _ answers: [String: String]) -> [FieldProblem] {
        let beyond = answers.keys.contains { key in
            key.hasPrefix("\(id).") && Int(key.split(separator: ".").dropFirst().first ?? "").map { $0 > maximum || $0 < 1 } == true
                && !(answers[key] ?? "").isEmpty
        }
        if beyond { return [FieldProblem(id, .tooManyRows(maximum: maximum))] }
        var problems: [FieldProblem] = []
        var filled = 0
        for row in 1...maximum {
            let name = answers["\(id).\(row).name"] ?? "", role = answers["\(id).\(row).role"] ?? ""
            if name.isEmpty && role.isEmpty { continue }
            filled += 1
            if name.isEmpty || Role(rawValue: role) == nil {
                problems.append(FieldProblem(id, row: row, .rowIncomplete))
            } else if let character = TextRules.forbiddenCharacter(in: name, allowingLineBreaks: false) {
                problems.append(FieldProblem(id, row: row, .text(.notInCharacterSet(character))))
            } else if name.count > 100 {
                problems.append(FieldProblem(id, row: row, .text(.tooLong(maximum: 100))))
            }
        }
        if filled < minimum { problems.append(FieldProblem(id, .tooFewRows(minimum: minimum))) }
        return problems
    }
}
