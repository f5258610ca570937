import Foundation
import ShomeiDomain
@testable import ShomeiWeb
import Testing

/// Every page's typed view model rendered through the real templates, in both languages, and the
/// escaping property: no text a person can type, however it is composed of Unicode scalars,
/// adds an element or an attribute to a page, as a real HTML parser reads it.
@Suite struct PageRenderingTests {
    static let pagesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/ShomeiWeb/Pages")

    /// One of every page, every optional filled and every text value `x`.
    static func samples(_ x: String) -> [any PageView] {
        let facts = CertificateFacts(
            StoreContractTests.sampleCertificate(UserKey(contractID: try! ContractID("C1"), userID: try! UserID("U1"))),
            state: .valid, .japanese)
        let enroll = EnrollForm(endpoint: x, commonName: x, fileName: x, passwordMessage: x, button: x, credentials: true, activationCode: true)
        let option = EditableField.Option(fieldId: x, value: x, label: x, checked: true)
        let fields = [
            EditableField(id: x, label: x, help: x, problem: x, isConfirmation: true, checked: true, attachment: x),
            EditableField(id: x, label: x, help: x, problem: x, isText: true, value: x, maxLength: 10, multiline: true),
            EditableField(id: x, label: x, help: x, problem: x, isText: true, value: x, maxLength: 10, numeric: true),
            EditableField(id: x, label: x, help: nil, problem: nil, isChoice: true, options: [option]),
            EditableField(id: x, label: x, help: nil, problem: nil, isRows: true,
                          rows: [.init(fieldId: x, number: 1, label: x, name: x, roles: [option], problem: x)]),
        ]
        let editable = [EditableSection(title: x, note: x, fields: fields)]
        let answers = [AnswerSection(title: x, fields: [.init(label: x, lines: [x, x])])]
        let history = [HistoryRow(time: x, company: x, user: x, before: x, after: x, comment: x)]
        let select = [SelectOption(value: x, label: x, selected: true)]
        let audit = AuditRow(AuditEvent(sequence: 1, actor: x, action: .contractAdded, target: x, time: Date(), details: [x: x],
                                        previousHash: "", hash: ""), .japanese)
        return [
            LoginPage(certificate: .init(contractId: x, userId: x, userName: x), passwordLogin: .init(contractId: x, userId: x)),
            NoticesPage(notices: [.init(id: x, date: x, subject: x, body: x, link: .init(href: x, text: x))]),
            MenuPage(canRenew: true, canApply: true, canAdminister: true),
            AdminUsersPage(rows: [.init(id: x, name: x, role: x, status: x, certificate: x, notAfter: x, lastLogin: x,
                                        actions: [.init(href: x, slug: x, label: x)])],
                           register: .init(href: x, slug: x, label: x)),
            AdminUserFormPage(post: x, registering: true, userId: x, userName: x, email: x, roles: select, stamp: x),
            AdminConfirmPage(note: x, facts: [.init(id: x, label: x, value: x)], post: x, hidden: [.init(name: x, value: x)],
                             reasons: select, hasReasons: true, asksInitialPassword: true),
            AdminResultPage(action: x, text: x, facts: [.init(id: x, label: x, value: x)], secrets: [.init(id: x, label: x, value: x)],
                            hasSecrets: true, reissued: true),
            PasswordChangePage(post: x, required: true),
            CertificatePage(record: facts, canRenew: true),
            RenewalPage(notice: x),
            RenewalStartPage(steps: .init(preparing: x, start: x, done: x)),
            RenewalPCPage(steps: .starting, enroll: enroll),
            RenewalUSBPage(steps: .starting, appCommand: x),
            CertificateRequestPage(intro: x, enroll: enroll, appCommand: x),
            RefusalPage(back: x),
            ApplicationsPage(forms: [.init(id: x, title: x, available: true), .init(id: x, title: x, available: false)]),
            ApplicationListPage(formId: x, rows: [.init(id: x, formId: x, company: x, status: x, updatedAt: x, updatedCompany: x,
                                                         updater: x, memo: x, editable: true)], hasRows: true),
            ApplicationEditPage(formId: x, applicationId: x, bankComment: x, sections: editable),
            ApplicationConfirmPage(formId: x, applicationId: x, sections: answers, hidden: [.init(name: x, value: x)]),
            ApplicationViewPage(formId: x, applicationId: x, memo: x, status: x, bankComment: x, submitted: true, saved: true,
                                editable: true, withdrawable: true, sections: answers, history: history),
            BankLoginPage(staffId: x),
            BankInboxPage(rows: [.init(id: x, contract: x, memo: x, status: x, updatedAt: x, updater: x)], hasRows: true,
                          statuses: select, forms: select, from: x, through: x, older: x),
            BankApplicationPage(applicationId: x, contract: x, memo: x, status: x, bankComment: x, targets: x, effectiveAt: x,
                                decidable: true, comment: x, sections: answers, history: history),
            BankActionsPage(pending: [.init(id: x, kind: x, reason: x, requestedBy: x, requestedAt: x, canDecide: true)],
                            hasPending: true, canRequest: true, reasons: select),
            ActivationLetterPage(contractId: x, contractName: x, userId: x, userName: x, code: x, expiresAt: x, loginURL: x,
                                 rootFingerprint: x),
            BankContractsPage(rows: [.init(id: x, name: x, loginMethod: x)], hasRows: true, more: x, canRegister: true,
                              loginMethods: select,
                              form: RegistrationForm(contractId: x, contractName: x, masterId: x, masterName: x, masterEmail: x)),
            BankContractPage(id: x, name: x, loginMethod: x, users: [.init(id: x, name: x, role: x, status: x)], canChange: true,
                             loginMethods: select, initialPassword: x),
            BankSearchPage(query: .init(name: x, contract: x, user: x, serial: x, status: x, expiring: x),
                           rows: [.init(serial: x, contract: x, user: x, name: x, notAfter: x, status: x, medium: x)], hasRows: true,
                           csvQuery: x, statuses: select),
            BankCertificatePage(record: facts, events: [audit]),
            BankAuditPage(events: [audit], older: x, actions: select),
        ]
    }

    static func frame(_ x: String) -> Frame {
        var frame = Frame(title: x, csrf: x, error: x, info: x)
        frame.user = .init(contractId: x, userId: x, name: x)
        frame.staff = .init(name: x, role: x)
        return frame
    }

    @Test func everyTemplateIsAPageOrAPartialAndRendersInBothLanguages() async throws {
        let renderer = try await PageRenderer(bankName: "テスト銀行 <&>", contactLine: "0120-000-000")
        let templates = try FileManager.default.contentsOfDirectory(atPath: Self.pagesFolder.path).filter { $0.hasSuffix(".mustache") }
        var partials = Set<String>()
        for file in templates {
            let text = try String(contentsOf: Self.pagesFolder.appendingPathComponent(file), encoding: .utf8)
            // Values arrive escaped (`TemplateValues`); the library must not escape them again.
            #expect(text.hasPrefix("{{% CONTENT_TYPE: TEXT}}\n"), "\(file) renders as TEXT")
            for match in text.matches(of: /\{\{> ([a-z-]+)\}\}/) { partials.insert(String(match.1)) }
        }
        let pages = Self.samples("<b>x</b>")
        let names = Set(pages.map { type(of: $0).template })
        #expect(names.count == pages.count, "one view model per page")
        #expect(Set(templates.map { String($0.dropLast(9)) }) == names.union(partials), "no template without a page or an includer")
        for language in Language.allCases {
            for page in pages {
                let html = try renderer.html(page, frame: Self.frame("<b>x</b>"), language: language)
                #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"), "\(type(of: page).template)")
                #expect(!html.contains("{{") && !html.contains("<b>") && html.contains("&lt;b&gt;x&lt;/b&gt;"), "\(type(of: page).template)")
                #expect(!html.contains("テスト銀行 <&>") && html.contains("テスト銀行 &lt;&amp;&gt;"), "the bank name is escaped too")
            }
        }
        // Absent means absent: no error box, no hidden field for a missing application.
        let bare = try renderer.html(ApplicationEditPage(formId: "05", applicationId: nil, bankComment: nil, sections: []),
                                     frame: Frame(title: "T"), language: .japanese)
        #expect(!bare.contains(#"id="error""#) && !bare.contains(#"name="applicationId""#) && !bare.contains("nil"))
    }

    /// Scalars that join a neighbour into one `Character`, or change how text is shown, mixed
    /// with the characters HTML gives meaning to.
    static let tricky: [String] = [
        "<", ">", "\"", "'", "&", "=", "/", " ", "\n", "a", "ア",
        "\u{0600}", "\u{0301}", "\u{200D}", "\u{FE0F}", "\u{FE0E}", "\u{202E}", "\u{2066}", "\u{0308}", "\u{20DD}",
        "\u{1F469}", "\u{1F3FB}", "\u{E0041}", "\u{0000}", "\u{FEFF}",
        "<meta http-equiv=refresh content=0;url=//evil>", "\"><img src=x onerror=alert(1)>", "<!--", "<?x", "<script>",
    ]

    static func randomText(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<Int.random(in: 1...12, using: &generator)).map { _ in tricky.randomElement(using: &generator)! }.joined())
    }

    @Test func typedTextNeverBecomesMarkupAsAnHTMLParserReadsIt() async throws {
        let renderer = try await PageRenderer(bankName: "Bank", contactLine: "0120")
        let folder = TemporaryFolder()
        var generator = SystemRandomNumberGenerator()
        let rounds = 40
        var files: [String] = []
        for round in 0...rounds {
            // Round 0 is the baseline: the structure the templates give for plain text.
            let text = round == 0 ? "plain" : Self.randomText(using: &generator)
            for (index, page) in Self.samples(text).enumerated() {
                let file = folder.file("r\(round)-p\(index).html").path
                try renderer.html(page, frame: Self.frame(text), language: round % 2 == 0 ? .japanese : .english)
                    .write(toFile: file, atomically: true, encoding: .utf8)
                files.append(file)
            }
        }
        let parsed = try run(["/usr/bin/python3", Peers.path("html_structure.py")] + files)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let structures = parsed.stdout.split(separator: "\n").map(String.init)
        let pageCount = Self.samples("").count
        #expect(structures.count == files.count)
        for (offset, structure) in structures.enumerated() {
            let page = offset % pageCount
            #expect(structure == structures[page], "\(files[offset]): \(Self.samples("")[page]) gained markup")
        }
    }
}
