import Foundation
import Testing

/// One Japanese term per concept across the portal, the console and the mail (docs/WORDING.md):
/// every place a customer reads text from uses the glossary's term, never a rejected variant.
@Suite struct WordingTests {
    /// term → variants that mean the same and must not appear.
    static let glossary: [(term: String, rejected: [String])] = [
        ("当金庫", ["当行", "当組合", "弊行", "弊社"]),
        ("ログイン", ["ログオン", "サインイン"]),
        ("当金庫の職員", ["銀行員"]),
        ("電子証明書", ["デジタル証明書", "クライアント証明書"]),
        ("アクティベーションコード", ["認証コード", "有効化コード"]),
        ("ご契約先ID", ["契約者ID", "お客様番号"]),
        ("利用者ID", ["ユーザID", "ユーザーID"]),
        ("失効", ["無効化"]),
        ("本人確認方式", ["ログイン方式", "ログイン方法"]),
    ]

    /// Every file whose text reaches a customer or a staff member.
    static func userFacingTexts() throws -> [(file: String, text: String)] {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")
        let files = ["ShomeiDomain/Messages.swift", "ShomeiDomain/Label.swift"]
            + (FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".mustache") || $0.hasPrefix("ShomeiRA/Forms/") && $0.hasSuffix(".json") }
        return try files.map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func oneTermPerConcept() throws {
        let texts = try Self.userFacingTexts()
        #expect(texts.count > 40, "the pages, the mail templates and the tables")
        for (term, rejected) in Self.glossary {
            #expect(texts.contains { $0.text.contains(term) }, "\(term) is the term in use")
            for variant in rejected {
                let found = texts.filter { $0.text.contains(variant) }.map(\.file)
                #expect(found.isEmpty, "\(variant) for \(term) in \(found)")
            }
        }
    }
}
