/// The localisation table's fixed screen labels: headings, field names, buttons and notes of the
/// customer portal, in Japanese and English. Page templates refer to them as `{{t.key}}`; a test
/// checks that every key a template uses exists here and every key here is used.
///
/// Sentences with values in them (dates, names) are `Message` cases instead.
public enum ScreenText {
    /// Built once per language: every page and many labels per request read it.
    public static func table(_ language: Language) -> [String: String] {
        language == .japanese ? japanese : english
    }

    private static let japanese = entries.mapValues(\.ja)
    private static let english = entries.mapValues(\.en)

    public static var keys: Set<String> { Set(entries.keys) }

    static let entries: [String: (ja: String, en: String)] = [
        // Frame
        "bankService": ("法人インターネットバンキング", "Corporate Internet Banking"),
        "otherLanguage": ("English", "日本語"),
        "logout": ("ログアウト", "Log out"),
        "phishingTitle": ("ボイスフィッシング詐欺にご注意ください", "Beware of voice-phishing fraud"),
        "phishingText": (
            "当金庫の職員や警察を名乗る電話で、電子証明書の発行・更新やパスワードの入力をお願いすることはありません。不審な電話を受けた場合は操作をせず、お取引店へご連絡ください。",
            "Neither the bank nor the police will ever ask you by phone to issue or renew a certificate or to enter a password. If you receive such a call, do nothing and contact your branch."),
        "back": ("戻る", "Back"),
        "toMenu": ("メインメニューへ", "Main menu"),
        // Login
        "loginTitle": ("利用者ログイン", "Log in"),
        "loginCertificateTitle": ("電子証明書方式 利用者ログイン", "Certificate login"),
        "loginPasswordTitle": ("ID・パスワード方式 利用者ログイン", "ID and password login"),
        "selectedCertificate": ("選択された電子証明書", "Certificate presented"),
        "contractId": ("ご契約先ID（利用者番号）", "Contract ID"),
        "userId": ("利用者ID", "User ID"),
        "userName": ("利用者名", "User name"),
        "loginPassword": ("ログインパスワード", "Login password"),
        "loginButton": ("ログイン", "Log in"),
        "noCertificateHint": (
            "電子証明書方式のお客様は、電子証明書を取得したパソコンからアクセスし、証明書の選択画面で「ご契約先ID」+「利用者ID」+ 金融機関コードが表示されている電子証明書を選択してください。",
            "If your contract uses certificates, open this page on the PC that holds your certificate and choose the certificate showing your contract ID, user ID and the bank code."),
        "certificateMenuTitle": ("電子証明書をお持ちでない方", "No certificate yet?"),
        "issueCertificate": ("電子証明書発行", "Issue certificate"),
        "issueCertificateHint": ("はじめて電子証明書を取得する方（アクティベーションコードをお持ちの方）", "First certificate, with the activation code the bank sent you"),
        "acquireCertificate": ("電子証明書取得", "Obtain certificate"),
        "acquireCertificateHint": ("有効期限が切れた電子証明書を、新しい電子証明書に取り替える方", "Replace a certificate that has expired"),
        // Notices and menu
        "noticesTitle": ("重要なお知らせ", "Important notices"),
        "noticeDate": ("掲載日", "Date"),
        "noticeSubject": ("件名", "Subject"),
        "noNotices": ("現在、重要なお知らせはありません。", "There are no important notices."),
        "renewalNoticeSubject": ("電子証明書の更新をお願いします", "Please renew your certificate"),
        "renewalLink": ("電子証明書の更新はこちら", "Renew the certificate here"),
        "menuTitle": ("メインメニュー", "Main menu"),
        "certificateInfo": ("証明書情報", "Certificate"),
        "renewCertificate": ("証明書更新", "Renew certificate"),
        // Certificate
        "serial": ("シリアル番号", "Serial number"),
        "subject": ("サブジェクト", "Subject"),
        "notBefore": ("有効期間開始", "Valid from"),
        "notAfter": ("有効期限", "Valid until"),
        "medium": ("保存先", "Stored on"),
        "status": ("状態", "Status"),
        // Renewal
        "renewalTitle": ("更新通知", "Renewal notice"),
        "renewNow": ("今すぐ更新する", "Renew now"),
        "renewLater": ("後で更新する", "Renew later"),
        "stepPreparing": ("電子証明書の更新前処理中", "Preparing the renewal"),
        "stepStart": ("更新開始", "Start renewal"),
        "stepDone": ("発行完了", "Issued"),
        "preparedText": (
            "更新前処理が完了しました。新しい電子証明書の保存先を選択してください。",
            "The renewal is prepared. Choose where to store the new certificate."),
        "saveToPC": ("パソコンに保存する", "Save on this PC"),
        "saveToUSB": ("専用USBに保存する", "Save on the dedicated USB token"),
        "keyType": ("鍵の種類", "Key type"),
        "keyRSA": ("RSA 2048ビット（推奨）", "RSA 2048-bit (recommended)"),
        "keyP256": ("ECDSA P-256", "ECDSA P-256"),
        "p12Password": ("証明書ファイルのパスワード（8文字以上）", "Certificate file password (8 characters or more)"),
        "p12PasswordConfirm": ("証明書ファイルのパスワード（確認用）", "Certificate file password (again)"),
        "keyStaysHere": (
            "秘密鍵はこのパソコンのブラウザ内で作成され、パスワードで保護された証明書ファイル（.p12）として保存されます。秘密鍵が当金庫に送信されることはありません。",
            "The private key is made inside this browser and saved in a password-protected certificate file (.p12). It is never sent to the bank."),
        "renewButton": ("更新", "Renew"),
        "working": ("電子証明書発行処理中です。画面を閉じずにお待ちください。", "Issuing the certificate. Please keep this page open."),
        "doneTitle": ("電子証明書の発行が完了しました", "The certificate has been issued"),
        "saveFile": ("証明書ファイルを保存する", "Save the certificate file"),
        "importTitle": ("電子証明書のインストール", "Installing the certificate"),
        "importWindows": (
            "Windows（Microsoft Edge・Google Chrome）: 保存したファイル（.p12）をダブルクリックし、「証明書のインポート ウィザード」で決めたパスワードを入力して取り込みます。",
            "Windows (Microsoft Edge, Google Chrome): double-click the saved .p12 file and enter the password you chose in the Certificate Import Wizard."),
        "importFirefox": (
            "Firefox: 設定 → プライバシーとセキュリティ → 証明書を表示 → あなたの証明書 → インポート から取り込みます。",
            "Firefox: Settings → Privacy & Security → View Certificates → Your Certificates → Import."),
        "importThenLogin": (
            "取り込んだ後、すべてのブラウザを閉じ、電子証明書方式で新しい電子証明書を選択してログインできることを確認してください。",
            "Then close every browser window and check that you can log in with the new certificate."),
        "usbTitle": ("専用USBへの保存", "Saving on the dedicated USB token"),
        "usbText": (
            "専用USBをパソコンに差し込み、証明書発行アプリで次のコマンドを実行してください。鍵は専用USBの中で作成されます。",
            "Insert the dedicated USB token and run this command with the certificate issuing app. The key is made inside the token."),
        "appTitle": ("証明書発行アプリ", "Certificate issuing app"),
        "appText": (
            "ブラウザを使わずに、証明書発行アプリ（shomei enroll）で電子証明書を発行・保存することもできます。",
            "You can also issue and save the certificate with the certificate issuing app (shomei enroll) instead of the browser."),
        // Issuance from the login screen
        "issueTitle": ("電子証明書発行", "Issue certificate"),
        "acquireTitle": ("電子証明書取得", "Obtain certificate"),
        "issueIntro": (
            "ご契約先ID、利用者ID、ログインパスワードと、当金庫からお送りしたアクティベーションコードを入力してください。",
            "Enter your contract ID, user ID, login password and the activation code the bank sent you."),
        "acquireIntro": (
            "有効期限が切れた電子証明書に代わる新しい電子証明書を取得します。ご契約先ID、利用者ID、ログインパスワードを入力してください。",
            "Obtain a new certificate in place of an expired one. Enter your contract ID, user ID and login password."),
        "activationCode": ("アクティベーションコード", "Activation code"),
        "issueButton": ("発行", "Issue"),
        "acquireButton": ("取得", "Obtain"),
        // 各種申込サービス (seed 000)
        "applicationsTitle": ("各種申込サービス", "Applications"),
        "notAvailable": ("準備中", "Not yet available"),
        "answerList": ("回答一覧", "Answers"),
        "newApplication": ("新規申込/回答作成", "New application"),
        "colCompany": ("提出企業", "Filed by"),
        "colStatus": ("ドキュメントステータス", "Status"),
        "colUpdatedAt": ("最終更新日時", "Last updated"),
        "colUpdatedCompany": ("最終更新企業", "Updated by (company)"),
        "colUpdater": ("最終更新者", "Updated by"),
        "colMemo": ("ドキュメントメモ", "Memo"),
        "colDetail": ("詳細表示", "Details"),
        "view": ("参照", "View"),
        "edit": ("編集", "Edit"),
        "noApplications": ("回答はありません。", "There are no answers yet."),
        "editTitle": ("回答内容編集", "Edit answers"),
        "confirmTitle": ("回答内容確認", "Confirm answers"),
        "resultTitle": ("回答内容結果", "Result"),
        "viewTitle": ("回答内容参照", "Answers"),
        "saveDraft": ("一時保存", "Save draft"),
        "submit": ("提出", "Submit"),
        "confirm": ("確定", "Confirm"),
        "withdraw": ("削除", "Withdraw"),
        "confirmed": ("確認しました", "Confirmed"),
        "openAttachment": ("参照ファイルを開く", "Open the document"),
        "authority": ("権限", "Authority"),
        "history": ("履歴", "History"),
        "historyTime": ("更新日時", "Time"),
        "historyCompany": ("更新企業", "Company"),
        "historyUser": ("更新者", "By"),
        "statusBefore": ("更新前ステータス", "Status before"),
        "statusAfter": ("更新後ステータス", "Status after"),
        "bankComment": ("金融機関からのコメント", "Comment from the bank"),
        "comment": ("コメント", "Comment"),
        "submittedText": (
            "申込内容を提出しました。ドキュメントステータスが「提出済」となっていることをご確認ください。",
            "Your application has been submitted. Check that its status is Submitted."),
        "draftSavedText": ("一時保存しました。回答一覧の「編集」から続けて入力できます。", "Saved as a draft. Continue with Edit in the answer list."),
        "confirmText": ("以下の内容で提出します。よろしければ「確定」をクリックしてください。", "Check the answers below, then click Confirm."),
        "toApplications": ("トップページ画面へ", "Applications top"),
        "toAnswerList": ("回答一覧画面へ", "Answer list"),
        // Bank console
        "consoleTitle": ("管理コンソール", "Bank console"),
        "staffId": ("職員ID", "Staff ID"),
        "staffPassword": ("パスワード", "Password"),
        "inboxTitle": ("申込受付一覧", "Applications inbox"),
        "filter": ("絞り込み", "Filter"),
        "allStatuses": ("すべて", "All"),
        "contract": ("ご契約先", "Contract"),
        "decideAccept": ("受付済にする", "Accept"),
        "decideReturn": ("再提出要にする", "Return for resubmission"),
        "commentHint": ("お客様に表示されます。再提出要の場合は必須です。", "Shown to the customer; required when returning."),
        "revocationDue": ("失効予定日時", "Revocation due"),
        "targets": ("失効対象", "Users to revoke"),
        "actionsTitle": ("直接操作（依頼・承認）", "Direct actions (request and approve)"),
        "requestAction": ("依頼する", "Request"),
        "actionKind": ("操作", "Action"),
        "actionRevoke": ("即時失効", "Revoke now"),
        "actionReissue": ("再発行（アクティベーションコード発行）", "Re-issue (new activation code)"),
        "revocationReason": ("失効理由", "Revocation reason"),
        "actionReason": ("依頼理由（電話連絡の内容など）", "Why (the phone call, the request form)"),
        "requestedBy": ("依頼者", "Requested by"),
        "approve": ("承認", "Approve"),
        "reject": ("却下", "Reject"),
        "pendingActions": ("承認待ちの依頼", "Waiting for approval"),
        "noPendingActions": ("承認待ちの依頼はありません。", "Nothing waits for approval."),
        "fourEyesNote": (
            "依頼は、依頼者とは別の承認者が承認したときに実行されます。",
            "A request is carried out when an approver other than the requester approves it."),
        "searchTitle": ("検索（契約先・利用者・電子証明書）", "Search (contracts, users, certificates)"),
        "expiringWithin": ("有効期限まで（日以内）", "Expiring within (days)"),
        "nameContains": ("利用者名・ご契約先名（一部）", "User or company name (part)"),
        "search": ("検索", "Search"),
        "csvExport": ("CSV出力", "Export CSV"),
        "noResults": ("該当するデータはありません。", "Nothing matches."),
        "auditTitle": ("監査ログ", "Audit log"),
        "auditAction": ("操作", "Action"),
        "auditActor": ("実行者", "Actor"),
        "auditTarget": ("対象", "Target"),
        "auditDetails": ("内容", "Details"),
        "olderEntries": ("さらに古い記録", "Older entries"),
        "certificateHistory": ("電子証明書の履歴", "Certificate history"),
        "networkError": ("通信エラーが発生しました。しばらくしてからもう一度お試しください。", "A network error occurred. Please try again later."),
    ]
}
