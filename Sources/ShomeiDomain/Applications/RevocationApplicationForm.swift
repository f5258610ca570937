/// 05_電子証明書失効 (seed 000), and the menu entries 01–04 listed as not yet available.
///
/// The seed's screen shows seven target-user slots but its text says 最大 6 ユーザ: the rule
/// wins (SPEC §5), so the form has six.
public enum ApplicationForms {
    public static let revocationID = "05"
    public static let targetUsers = "targetUsers"
    public static let voicePhishingPDF = "voice-phishing-warning.pdf"

    public static let all: [FormDefinition] = [
        unavailable("01", ja: "01_新規振替限度額(都度指定)の変更", en: "01 Change of transfer limit"),
        unavailable("02", ja: "02_データ伝送履歴の変更", en: "02 Change of data transmission history"),
        unavailable("03", ja: "03_本人確認方式の変更", en: "03 Change of authentication method"),
        unavailable("04", ja: "04_データ伝送取消(事前に電話連絡をお願いします)", en: "04 Cancel a data transmission (call us first)"),
        revocation,
    ]

    public static func definition(_ id: String) -> FormDefinition? { all.first { $0.id == id } }

    /// Who may file which application, in one place: the form, when it is offered and `role`
    /// is among those who may file it.
    public static func fileable(_ id: String, by role: Role) -> FormDefinition? {
        definition(id).flatMap { $0.available && $0.fileableBy.contains(role) ? $0 : nil }
    }

    /// Whether `role` may file any application at all (the applications menu is shown).
    public static func filesAny(_ role: Role) -> Bool {
        all.contains { fileable($0.id, by: role) != nil }
    }

    public static let revocation = FormDefinition(
        id: revocationID,
        title: .init(ja: "05_電子証明書失効", en: "05 Certificate revocation"),
        available: true, fileableBy: [.master, .admin],
        sections: [
            .init(id: "confirmations", title: .init(ja: "1. 確認事項", en: "1. Confirmations"), note: nil, fields: [
                .init(id: "voicePhishingConfirmed",
                      label: .init(ja: "「ボイスフィッシング詐欺にご注意ください」の記載内容を確認しました",
                                   en: "I have read \"Beware of voice-phishing fraud\""),
                      help: .init(ja: "参照ファイルの記載内容を確認のうえ、チェックを入れてください。",
                                  en: "Read the attached document, then tick the box."),
                      kind: .confirmation(attachment: voicePhishingPDF), required: true),
                .init(id: "completionConfirmed",
                      label: .init(ja: "失効手続きの完了は申し込み日の翌平日以降となることを確認しました",
                                   en: "I understand the revocation completes on the next business day or later"),
                      help: .init(ja: "お急ぎの場合は、お取引店までご相談ください。", en: "If it is urgent, please call your branch."),
                      kind: .confirmation(attachment: nil), required: true),
            ]),
            .init(id: "users", title: .init(ja: "2. 失効ユーザ情報", en: "2. Users whose certificates are revoked"),
                  note: .init(ja: "利用者名は氏名ではない場合がございますのでご注意ください（最大6ユーザ）。",
                              en: "The user name is not always the person's name (up to 6 users)."),
                  fields: [
                      .init(id: targetUsers, label: .init(ja: "対象ユーザー", en: "Target user"), help: nil,
                            kind: .userRows(minimum: 1, maximum: 6), required: true),
                  ]),
            .init(id: "reason", title: .init(ja: "3. 失効理由", en: "3. Reason"), note: nil, fields: [
                .init(id: "reason", label: .init(ja: "失効を希望する理由", en: "Reason for the revocation"), help: nil,
                      kind: .choice(options: [
                          .init(value: "anotherPC", label: .init(ja: "他のパソコンに証明書をインストールするため（買い替え・故障・担当者変更など）",
                                                                 en: "To install the certificate on another PC (new PC, failure, new person in charge)")),
                          .init(value: "deleted", label: .init(ja: "誤って証明書を削除したため", en: "The certificate was deleted by mistake")),
                          .init(value: "other", label: .init(ja: "その他", en: "Other")),
                      ], otherValue: "other", otherFieldID: "reasonOther"),
                      required: true),
                .init(id: "reasonOther", label: .init(ja: "「その他」の理由", en: "Other reason"), help: nil,
                      kind: .freeText(maximumLength: 200), required: false),
            ]),
            .init(id: "contact", title: .init(ja: "4. 連絡先", en: "4. Contact"),
                  note: .init(ja: "当金庫よりお電話にて申し込み内容の確認をさせていただきます。",
                              en: "The bank will call this number to confirm the application."),
                  fields: [
                      .init(id: "department", label: .init(ja: "担当部署名（全角）", en: "Department (full-width)"),
                            help: .init(ja: "担当部署が無い場合は「なし」と入力してください。", en: "Enter なし if there is none."),
                            kind: .fullWidthText(maximumLength: 30), required: true),
                      .init(id: "person", label: .init(ja: "担当者名（全角）", en: "Person in charge (full-width)"), help: nil,
                            kind: .fullWidthText(maximumLength: 30), required: true),
                      .init(id: "phone", label: .init(ja: "連絡先電話番号（半角数字、ハイフンなし）", en: "Phone (digits only, no hyphens)"),
                            help: nil, kind: .phoneNumber, required: true),
                  ]),
            .init(id: "comment", title: .init(ja: "コメント", en: "Comment"), note: nil, fields: [
                .init(id: "comment", label: .init(ja: "コメント", en: "Comment"), help: nil, kind: .freeText(maximumLength: 500), required: false),
            ]),
        ])

    private static func unavailable(_ id: String, ja: String, en: String) -> FormDefinition {
        FormDefinition(id: id, title: .init(ja: ja, en: en), available: false, fileableBy: [.master, .admin], sections: [])
    }
}
