import Foundation
import ShomeiDomain
import ShomeiRA
import Testing

/// The applications service's rules without I/O: the state machine, 全角 / 半角 validation, the
/// 05 form definition and the business-day scheduling of accepted revocations.
@Suite struct ApplicationDomainTests {
    /// Every (action, status) pair: the allowed ones and where they lead; all others refused.
    @Test func everyTransitionAllowedOrRefused() throws {
        let allowed: [ApplicationAction: [ApplicationStatus?: ApplicationStatus]] = [
            .saveDraft: [nil: .draft, .draft: .draft, .resubmissionRequired: .resubmissionRequired],
            .submit: [nil: .submitted, .draft: .submitted, .resubmissionRequired: .resubmitted],
            .withdraw: [.draft: .withdrawn, .submitted: .withdrawn, .resubmissionRequired: .withdrawn, .resubmitted: .withdrawn],
            .accept: [.submitted: .accepted, .resubmitted: .accepted],
            .requestResubmission: [.submitted: .resubmissionRequired, .resubmitted: .resubmissionRequired],
        ]
        let statuses: [ApplicationStatus?] = [nil] + ApplicationStatus.allCases.map { $0 }
        var checked = 0
        for action in ApplicationAction.allCases {
            for status in statuses {
                checked += 1
                if let expected = allowed[action]?[status] {
                    #expect(try ApplicationWorkflow.next(after: action, from: status, comment: "確認しました") == expected, "\(action) from \(String(describing: status))")
                } else {
                    #expect(throws: ShomeiError.applicationActionNotAllowed(action, status)) {
                        try ApplicationWorkflow.next(after: action, from: status, comment: "x")
                    }
                }
            }
        }
        #expect(checked == 35)
        // 再提出要 needs a comment; 受付済 does not.
        #expect(throws: ShomeiError.bankCommentRequired) { try ApplicationWorkflow.next(after: .requestResubmission, from: .submitted, comment: "  ") }
        #expect(try ApplicationWorkflow.next(after: .accept, from: .submitted, comment: nil) == .accepted)
        #expect(ApplicationStatus.allCases.filter(\.isEditable) == [.draft, .resubmissionRequired])
        #expect(ApplicationStatus.allCases.filter(\.isFinal) == [.accepted, .withdrawn])
    }

    /// Names and free text hold printable characters only (free text keeps its line breaks):
    /// no NUL, no bidi override, no private use, no invisible joiner.
    @Test func namesAndFreeTextAreText() throws {
        for bad in ["a\u{0000}b", "a\u{202E}b", "a\u{E000}b", "a\u{200D}b", "a\u{2028}b", "\u{FFFF}"] {
            #expect(TextRules.forbiddenCharacter(in: bad, allowingLineBreaks: true) != nil, "\(bad.unicodeScalars.map(\.value))")
            #expect(throws: ShomeiError.self) { try User(key: LifecycleTests.owner, name: bad, role: .general, email: try EmailAddress("a@example.jp"),
                                                         passwordHash: "", createdAt: Date()) }
        }
        #expect(TextRules.forbiddenCharacter(in: "一行目\n二行目\tです", allowingLineBreaks: true) == nil)
        #expect(TextRules.forbiddenCharacter(in: "一行目\n二行目", allowingLineBreaks: false) == "U+000A")
        #expect(TextRules.forbiddenCharacter(in: "山田 太郎 👩‍💻", allowingLineBreaks: false) == "U+200D", "ZWJ sequences are not names")
        #expect(!TextRules.hasVisibleContent(" \u{3000}\n") && TextRules.hasVisibleContent(" x "))
        // A name typed in 半角カナ is refused with the character named; 全角 and ASCII pass.
        #expect(throws: ShomeiError.nameHalfWidthKatakana("ﾔ")) { try DisplayName.checked("ﾔﾏﾀﾞ ﾀﾛｳ") }
        #expect(throws: ShomeiError.nameHalfWidthKatakana("ﾀﾞ")) { try DisplayName.checked("山田 ﾀﾞｲ") }
        #expect(try DisplayName.checked("ヤマダ タロウ") == "ヤマダ タロウ" && DisplayName.checked("Taro Yamada") == "Taro Yamada")
        #expect(ShomeiError.nameHalfWidthKatakana("ﾔ").message(.japanese) == "「ﾔ」は半角カナです。名称は全角カナで入力してください。")
        let form = try #require(try ApplicationFormFiles.load(bankFolder: nil).definition("05"))
        var answers = ["reason": "other", "reasonOther": "ok\u{202E}kO"]
        #expect(form.validate(answers).contains(FieldProblem("reasonOther", .text(.notInCharacterSet("U+202E")))))
        answers["reasonOther"] = "\u{3000}"
        #expect(form.validate(answers).contains(FieldProblem("reasonOther", .required)))
    }

    @Test(arguments: [
        ("山田　太郎", nil),
        ("経理部", nil),
        ("①営業部", nil),                  // NEC special character: in CP932
        ("㈱テスト", nil),                  // likewise
        ("髙橋", nil),                      // IBM extension kanji: in CP932
        ("１２３", nil),                    // full-width digits are 全角 characters
        ("なし", nil),
        ("～", nil),                        // FULLWIDTH TILDE, CP932 0x8160
        ("か\u{3099}", nil),                // combining dakuten: NFC makes it が
        ("𠮷野家", "notInCharacterSet:𠮷"), // outside CP932 (and two UTF-16 units)
        ("〜", "notInCharacterSet:〜"),      // WAVE DASH as Macs type it
        ("ｶﾞｰﾄﾞ", "halfWidthKatakana:ｶﾞ"),    // one Character: U+FF9E extends the grapheme
        ("ｰ", "halfWidthKatakana:ｰ"),
        ("ア\u{3099}", "notInCharacterSet:ア\u{3099}"), // no precomposed form: the combining mark stays
        ("Sales部", "asciiCharacter:S"),
        ("経理 部", "asciiCharacter: "),     // an ASCII space
        ("経理\u{200B}部", "notInCharacterSet:U+200B"),  // invisible: named by its code point
        ("\u{3000}\u{3000}", "empty"),                  // full-width spaces only
        ("経理\u{E000}", "notInCharacterSet:U+E000"),    // private use, though CP932 maps it
        ("経理\u{202E}部", "notInCharacterSet:U+202E"),  // right-to-left override
        ("", "empty"),
    ] as [(String, String?)])
    func fullWidthRule(_ text: String, _ expected: String?) {
        let problem = JapaneseText.fullWidthProblem(text, maximumLength: 30)
        let described: String? = problem.map {
            switch $0 {
            case .notInCharacterSet(let c): "notInCharacterSet:\(c)"
            case .halfWidthKatakana(let c): "halfWidthKatakana:\(c)"
            case .asciiCharacter(let c): "asciiCharacter:\(c)"
            default: "\($0)"
            }
        }
        #expect(described == expected, "\(text)")
    }

    @Test func lengthIsCountedInCharacters() {
        #expect(JapaneseText.fullWidthProblem(String(repeating: "あ", count: 30), maximumLength: 30) == nil)
        #expect(JapaneseText.fullWidthProblem(String(repeating: "あ", count: 31), maximumLength: 30) == .tooLong(maximum: 30))
        // 30 decomposed が are 60 scalars but 30 characters after NFC.
        #expect(JapaneseText.fullWidthProblem(String(repeating: "か\u{3099}", count: 30), maximumLength: 30) == nil)
        #expect(JapaneseText.normalised("か\u{3099}") == "が")
    }

    @Test(arguments: [
        ("0312345678", nil),
        ("09012345678", nil),
        ("０３１２３４５６７８", JapaneseText.Problem.fullWidthDigits),
        ("03-1234-5678", .hyphen),
        ("03‐1234‐5678", .hyphen),          // U+2010
        ("03−1234−5678", .hyphen),          // U+2212
        ("03ー1234ー5678", .hyphen),        // 長音符, a common slip
        ("０３－１２３４－５６７８", .hyphen),
        ("03 1234 5678", .notDigits),
        ("312345678", .phoneLength),
        ("031234567890", .phoneLength),
        ("3123456789", .phoneMustStartWithZero),
        ("", .empty),
    ] as [(String, JapaneseText.Problem?)])
    func phoneRule(_ text: String, _ expected: JapaneseText.Problem?) {
        #expect(JapaneseText.phoneProblem(text) == expected, "\(text)")
    }

    static let validAnswers: [String: String] = [
        "voicePhishingConfirmed": "yes", "completionConfirmed": "yes",
        "targetUsers.1.name": "山田 太郎", "targetUsers.1.role": "master",
        "reason": "anotherPC", "department": "経理部", "person": "山田　太郎", "phone": "0312345678",
    ]

    @Test func revocationFormValidation() throws {
        let forms = try ApplicationFormFiles.load(bankFolder: nil)
        let form = try #require(forms.definition("05"))
        #expect(form.validate(Self.validAnswers).isEmpty)
        #expect(form.userRows("targetUsers", in: Self.validAnswers) == [UserRow(row: 1, name: "山田 太郎", role: .master)])
        func problems(_ change: [String: String?]) -> [FieldProblem] {
            var answers = Self.validAnswers
            for (key, value) in change { answers[key] = value }
            return form.validate(answers)
        }
        #expect(problems(["voicePhishingConfirmed": nil]) == [FieldProblem("voicePhishingConfirmed", .notConfirmed)])
        #expect(problems(["reason": "other"]) == [FieldProblem("reasonOther", .required)])
        #expect(problems(["reason": "other", "reasonOther": "担当者退職のため"]).isEmpty)
        #expect(problems(["reason": "bogus"]) == [FieldProblem("reason", .unknownOption)])
        #expect(problems(["targetUsers.1.name": nil, "targetUsers.1.role": nil]) == [FieldProblem("targetUsers", .tooFewRows(minimum: 1))])
        #expect(problems(["targetUsers.2.name": "佐藤"]) == [FieldProblem("targetUsers", row: 2, .rowIncomplete)])
        #expect(problems(["targetUsers.7.name": "七人目", "targetUsers.7.role": "general"]) == [FieldProblem("targetUsers", .tooManyRows(maximum: 6))])
        #expect(problems(["phone": "03-1234-5678"]) == [FieldProblem("phone", .text(.hyphen))])
        #expect(problems(["department": "ｹｲﾘ"]) == [FieldProblem("department", .text(.halfWidthKatakana("ｹ")))])
        #expect(problems(["department": "ﾃﾞﾝｼ"]) == [FieldProblem("department", .text(.halfWidthKatakana("ﾃﾞ")))])
        #expect(problems(["person": nil]) == [FieldProblem("person", .required)])
        // Six users fill the form; every problem has a message in both languages.
        var six = Self.validAnswers
        for row in 2...6 { six["targetUsers.\(row).name"] = "利用者\(row)"; six["targetUsers.\(row).role"] = "general" }
        #expect(form.validate(six).isEmpty && form.userRows("targetUsers", in: six).count == 6)
        for problem in [FieldProblem.Kind.required, .notConfirmed, .text(.hyphen), .tooManyRows(maximum: 6), .authorityMismatch] {
            #expect(!Message.fieldProblem(problem).text(.japanese).isEmpty && !Message.fieldProblem(problem).text(.english).isEmpty)
        }
        // Definitions are data: they round-trip through JSON.
        let data = try JSONEncoder().encode(forms.all)
        #expect(try JSONDecoder().decode([FormDefinition].self, from: data) == forms.all)
        #expect(forms.all.map(\.id) == ["01", "02", "03", "04", "05"] && forms.all.filter(\.available).map(\.id) == ["03", "05"])
    }

    @Test func csvQuotesAndDefusesFormulas() {
        let document = CSV.document(header: ["a", "b"], rows: [["=HYPERLINK(\"x\")", "山田, \"太郎\""], ["+1", "ok"]])
        #expect(document == "\u{FEFF}a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",\"山田, \"\"太郎\"\"\"\r\n'+1,ok\r\n")
    }

    /// Acceptance schedules the revocation for the start of the next bank business day.
    @Test(arguments: [
        ("2026-12-30T15:00:00+09:00", "2027-01-04"),   // Wednesday, across 31 Dec – 3 Jan
        ("2026-12-30T00:00:00+09:00", "2027-01-04"),
        ("2027-01-04T09:00:00+09:00", "2027-01-05"),
        ("2026-11-20T23:59:59+09:00", "2026-11-24"),   // Friday; Monday 23 Nov is 勤労感謝の日
        ("2026-11-20T15:30:00Z", "2026-11-24"),        // 00:30 Saturday in Tokyo
    ])
    func nextBusinessDayScheduling(_ accepted: String, _ expected: String) throws {
        let time = try #require(ISO8601DateFormatter().date(from: accepted))
        let day = EffectiveDay.day(acceptedAt: time, calendar: BankCalendar())
        #expect(day.description == expected)
        #expect(EffectiveDay.time(acceptedAt: time, calendar: BankCalendar()) == day.startInTokyo)
    }
}
