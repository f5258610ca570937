import Foundation
import ShomeiDomain
import ShomeiRA
import Testing

/// Application forms as data files: the bundled 01–05, a bank's own folder that adds and
/// replaces forms, and every kind of mistake refused at start with the file and the field named.
@Suite struct FormCatalogTests {
    /// The bundled 03 as a JSON object, for a test to change one thing in.
    static func bundled03() throws -> [String: Any] {
        let forms = try ApplicationFormFiles.load(bankFolder: nil)
        let data = try JSONEncoder().encode(try #require(forms.definition("03")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Writes `forms` (name → JSON object or raw text) into a new bank folder and loads it.
    static func load(_ forms: [String: Any]) throws -> FormCatalog {
        let folder = TemporaryFolder()
        for (name, form) in forms {
            let data = try (form as? String).map { Data($0.utf8) } ?? JSONSerialization.data(withJSONObject: form)
            try data.write(to: folder.file(name))
        }
        return try ApplicationFormFiles.load(bankFolder: folder.url)
    }

    @Test func bundledFormsAreTheSeedsMenu() throws {
        let forms = try ApplicationFormFiles.load(bankFolder: nil)
        #expect(forms.all.map(\.id) == ["01", "02", "03", "04", "05"])
        #expect(forms.definition("03")?.effect == .changeLoginMethod && forms.definition("05")?.effect == .revokeCertificates)
        #expect(forms.fileable("03", by: .master) != nil && forms.fileable("03", by: .admin) == nil)
        #expect(forms.fileable("05", by: .admin) != nil && forms.fileable("01", by: .master) == nil)
        #expect(!forms.filesAny(.general) && forms.filesAny(.admin))
        // A folder that is not there adds nothing.
        #expect(try ApplicationFormFiles.load(bankFolder: TemporaryFolder().file("absent")) == forms)
    }

    /// A bank offers 01 and a form of its own without code; its 01 replaces the bundled one.
    @Test func aBanksFolderAddsAndReplacesForms() throws {
        let own: [String: Any] = [
            "id": "01", "title": ["ja": "01_新規振替限度額(都度指定)の変更", "en": "01 Change of transfer limit"],
            "fileableBy": ["master"],
            "sections": [["id": "limit", "title": ["ja": "1. 限度額", "en": "1. Limit"], "fields": [
                ["id": "amount", "label": ["ja": "変更後の限度額（円）", "en": "New limit (yen)"],
                 "kind": ["freeText": ["maximumLength": 20]], "required": true],
            ]]],
        ]
        var extra = own
        extra["id"] = "B1"
        extra["title"] = ["ja": "B1_当行独自の申込", "en": "B1 The bank's own form"]
        let forms = try Self.load(["01.json": own, "b1.json": extra, "notes.txt": "not a form"])
        #expect(forms.all.map(\.id) == ["01", "02", "03", "04", "05", "B1"])
        let offered = try #require(forms.fileable("01", by: .master))
        #expect(offered.available && offered.effect == .manual && offered.fields.map(\.id) == ["amount"])
        #expect(offered.validate(["amount": ""]) == [FieldProblem("amount", .required)])
    }

    /// Each mistake in a definition, and what the operator reads.
    @Test(arguments: [
        ("missing label", #"{"sections":[{"id":"x","title":{"ja":"x","en":"x"},"fields":[{"id":"f","kind":{"phoneNumber":{}},"required":true}]}]}"#,
         "sections[0].fields[0].label: missing"),
        ("unknown effect", #"{"effect":"transferMoney"}"#, "effect: "),
        ("unknown kind", #"{"sections":[{"id":"x","title":{"ja":"x","en":"x"},"fields":[{"id":"f","label":{"ja":"x","en":"x"},"kind":{"colour":{}},"required":true}]}]}"#,
         "sections[0].fields[0].kind"),
        ("bad id", #"{"id":"../03"}"#, "the ID must be 1–8 letters"),
        ("no roles", #"{"fileableBy":[]}"#, "fileableBy names no role"),
        ("unknown role", #"{"fileableBy":["teller"]}"#, "fileableBy[0]"),
        ("no english", #"{"title":{"ja":"03_変更","en":" "}}"#, "title needs both ja and en"),
        ("duplicate field", #"{"duplicateField":true}"#, "field loginMethod is defined twice"),
        ("reserved field", #"{"renameField":"csrf"}"#, "field csrf: the ID must be"),
        ("method options", #"{"methodOptions":["certificate","token"]}"#, "needs the options of loginMethod to be exactly certificate and password"),
        ("effect without its field", #"{"renameField":"method"}"#, "effect changeLoginMethod needs a required choice"),
        ("other field missing", #"{"otherField":"nowhere"}"#, "otherFieldID nowhere must be an optional text field"),
        ("other field required", #"{"otherField":"department"}"#, "otherFieldID department must be an optional text field"),
        ("misspelt key", #"{"availabel":false}"#, "03.json: availabel: not a key of a form definition"),
        ("misspelt nested key", #"{"misspeltHelp":true}"#, "sections[1].fields[1].hlep: not a key"),
        ("option value", #"{"methodOptions":["certificate","pass word"]}"#, #"option value "pass word" must be 1–40 letters"#),
        ("option label", #"{"unlabelledOption":true}"#, "option password's label needs both ja and en"),
        ("03 filed by an administrator", #"{"fileableBy":["master","admin"]}"#, #"fileableBy must be ["master"]"#),
        ("too long", #"{"maximumLength":0}"#, "maximumLength must be 1–2000"),
        ("not JSON", "{", "not valid JSON"),
    ])
    func mistakesAreRefusedWithTheFileAndField(_ name: String, _ change: String, _ expected: String) throws {
        var form = try Self.bundled03()
        let patch = (try? JSONSerialization.jsonObject(with: Data(change.utf8)) as? [String: Any]) ?? [:]
        var sections = form["sections"] as? [[String: Any]] ?? []
        var method = sections[1]["fields"] as? [[String: Any]] ?? []
        for (key, value) in patch {
            switch key {
            case "duplicateField": method.append(method[0])
            case "renameField": method[0]["id"] = value
            case "methodOptions":
                method[0]["kind"] = ["choice": ["options": (value as? [String] ?? []).map { ["value": $0, "label": ["ja": $0, "en": $0]] }]]
            case "otherField":
                method[0]["kind"] = ["choice": ["options": [["value": "x", "label": ["ja": "x", "en": "x"]]], "otherValue": "x", "otherFieldID": value]]
            case "maximumLength": method[1]["kind"] = ["freeText": ["maximumLength": value]]
            case "misspeltHelp": method[1]["hlep"] = ["ja": "理由", "en": "Reason"]
            case "unlabelledOption":
                method[0]["kind"] = ["choice": ["options": ["certificate", "password"].map { ["value": $0, "label": ["ja": $0, "en": $0 == "password" ? "" : $0]] }]]
            default: form[key] = value
            }
        }
        sections[1]["fields"] = method
        if patch["sections"] == nil { form["sections"] = sections }
        let file = change == "{" ? change as Any : form
        do {
            _ = try Self.load(["03.json": file])
            Issue.record("\(name) was accepted")
        } catch ShomeiError.invalidConfiguration(let message) {
            #expect(message.contains("03.json") && message.contains(expected), "\(name): \(message)")
            #expect(ShomeiError.invalidConfiguration(message).category == .configuration)
        }
    }

    /// Two files of a bank's folder defining one form: both are named.
    @Test func oneFormInTwoFilesIsRefused() throws {
        let form = try Self.bundled03()
        do {
            _ = try Self.load(["03.json": form, "03-copy.json": form])
            Issue.record("a form defined twice was accepted")
        } catch ShomeiError.invalidConfiguration(let message) {
            #expect(message.contains("03.json") && message.contains("03-copy.json") && message.contains("also defined"), "\(message)")
        }
    }

    /// The server refuses to start on a broken form: exit code 7 and one line naming the file.
    @Test func aBrokenFormStopsTheCommandWithExitCode7() throws {
        let op = CLITests.Operator()
        #expect(try op.shomei("init").status == 0)
        let forms = op.folder.file("data/forms")
        try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
        try Data(#"{"id":"07","title":{"ja":"07","en":"07"},"fileableBy":["master"],"effect":"revokeCertificates"}"#.utf8)
            .write(to: forms.appendingPathComponent("07.json"))
        let refused = try op.shomei("application", "list")
        #expect(refused.status == 7, "\(refused.stderr)")
        #expect(refused.stderr.contains("07.json") && refused.stderr.contains("an available form needs at least one field"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        try FileManager.default.removeItem(at: forms.appendingPathComponent("07.json"))
        #expect(try op.shomei("application", "list").status == 0)
    }
}
