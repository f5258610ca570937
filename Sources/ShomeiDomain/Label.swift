/// The screen labels: headings, field names, buttons and notes of the customer portal and the
/// bank console, in Japanese and English, in one table. Swift code names a label by its case
/// (`Label.menuTitle.text(language)`), so a misspelt or missing label does not compile; page
/// templates name it as `{{t.menuTitle}}`, and a test checks that every name a template uses is
/// a case here and every case is used somewhere.
///
/// Sentences with values in them (dates, names) are `Message` cases instead.
public enum Label: String, CaseIterable, Sendable {
    case bankService, otherLanguage, logout, phishingTitle, phishingText, back, toMenu, loginTitle
    case loginCertificateTitle, loginPasswordTitle, selectedCertificate, contractId, userId, userName, loginPassword
    case loginButton, noCertificateHint, certificateMenuTitle, issueCertificate, issueCertificateHint
    case acquireCertificate, acquireCertificateHint, noticesTitle, noticeDate, noticeSubject, noNotices
    case renewalNoticeSubject, renewalLink, menuTitle, certificateInfo, renewCertificate, serial, subject, notBefore
    case notAfter, medium, status, renewalTitle, renewNow, renewLater, stepPreparing, stepStart, stepDone
    case preparedText, saveToPC, saveToUSB, keyType, keyRSA, keyP256, p12Password, p12PasswordConfirm, keyStaysHere
    case renewButton, working, doneTitle, saveFile, importTitle, importWindows, importFirefox, importThenLogin
    case usbTitle, usbText, usbAfter, appTitle, appText, issueTitle, acquireTitle, issueIntro, acquireIntro, activationCode
    case issueButton, acquireButton, applicationsTitle, notAvailable, answerList, newApplication, colCompany
    case colStatus, colUpdatedAt, colUpdatedCompany, colUpdater, colMemo, colDetail, view, edit, noApplications
    case editTitle, confirmTitle, resultTitle, viewTitle, saveDraft, submit, confirm, withdraw, confirmed
    case openAttachment, authority, history, historyTime, historyCompany, historyUser, statusBefore, statusAfter
    case bankComment, comment, submittedText, draftSavedText, confirmText, toApplications, toAnswerList, consoleTitle
    case staffId, staffPassword, inboxTitle, filter, allStatuses, contract, decideAccept, decideReturn, commentHint
    case effectiveAt, targets, actionsTitle, requestAction, actionKind, actionRevoke, actionReissue
    case revocationReason, actionReason, requestedBy, approve, reject, pendingActions, noPendingActions, fourEyesNote
    case searchTitle, expiringWithin, nameContains, search, csvExport, noResults, auditTitle, auditAction, auditActor
    case auditTarget, auditDetails, olderEntries, certificateHistory, networkError
    case letterTitle, letterIntro, letterCode, letterExpires, letterPortal, letterSteps
    case letterStep1, letterStep2, letterStep3, letterStep4, letterFingerprint, letterFingerprintNote, letterCaution
    case letterShownOnce, letterPrint, letterHonorific
    case contractsTitle, registerContract, contractName, loginMethod, loginMethodCertificate, loginMethodPassword
    case masterUser, email, register, changeLoginMethod, initialPassword, moreContracts, noContracts, usersTitle, reissueHint
    case adminMenu, adminUsersTitle, certificateState, confirmationPassword, execute, toUserList, adminActions, next
    case currentPassword, newPassword, newPasswordRepeat, passwordRule, passwordChangeTitle, confirmationPasswordChangeTitle
    case passwordChangeRequiredNote, passwordChangedText, initialLoginPassword, adminConfirmNote, temporaryPassword
    case newConfirmationPassword, secretShownOnce, reissueSteps, lastLogin

    public func text(_ language: Language) -> String {
        language == .japanese ? words.ja : words.en
    }

    /// A login method's name (本人確認方式), the same on every page and in every mail.
    public static func loginMethodName(_ method: Contract.LoginMethod) -> Label {
        method == .certificate ? Label.loginMethodCertificate : Label.loginMethodPassword
    }

    /// Every label in one language, keyed by its name: what the templates read as `t`.
    public static func table(_ language: Language) -> [String: String] {
        language == .japanese ? japanese : english
    }

    private static let japanese = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.text(.japanese)) })
    private static let english = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.text(.english)) })

    private var words: (ja: String, en: String) {
        switch self {
        // Frame
        case .bankService: ("法人インターネットバンキング", "Corporate Internet Banking")
        case .otherLanguage: ("English", "日本語")
        case .logout: ("ログアウト", "Log out")
        case .phishingTitle: ("ボイスフィッシング詐欺にご注意ください", "Beware of voice-phishing fraud")
        case .phishingText:
            ("当金庫の職員や警察を名乗る電話で、電子証明書の発行・更新やパスワードの入力をお願いすることはありません。不審な電話を受けた場合は操作をせず、お取引店へご連絡ください。",
             "Neither the bank nor the police will ever ask you by phone to issue or renew a certificate or to enter a password. If you receive such a call, do nothing and contact your branch.")
        case .back: ("戻る", "Back")
        case .toMenu: ("メインメニューへ", "Main menu")
        // Login
        case .loginTitle: ("利用者ログイン", "Log in")
        case .loginCertificateTitle: ("電子証明書方式 利用者ログイン", "Certificate login")
        case .loginPasswordTitle: ("ID・パスワード方式 利用者ログイン", "ID and password login")
        case .selectedCertificate: ("選択された電子証明書", "Certificate presented")
        case .contractId: ("ご契約先ID（利用者番号）", "Contract ID")
        case .userId: ("利用者ID", "User ID")
        case .userName: ("利用者名", "User name")
        case .loginPassword: ("ログインパスワード", "Login password")
        case .loginButton: ("ログイン", "Log in")
        case .noCertificateHint:
            ("電子証明書方式のお客様は、電子証明書を取得したパソコンからアクセスし、証明書の選択画面で「ご契約先ID」+「利用者ID」+ 金融機関コードが表示されている電子証明書を選択してください。",
             "If your contract uses certificates, open this page on the PC that holds your certificate and choose the certificate showing your contract ID, user ID and the bank code.")
        case .certificateMenuTitle: ("電子証明書をお持ちでない方", "No certificate yet?")
        case .issueCertificate: ("電子証明書発行", "Issue certificate")
        case .issueCertificateHint:
            ("はじめて電子証明書を取得する方（アクティベーションコードをお持ちの方）",
             "First certificate, with the activation code the bank sent you")
        case .acquireCertificate: ("電子証明書取得", "Obtain certificate")
        case .acquireCertificateHint: ("有効期限が切れた電子証明書を、新しい電子証明書に取り替える方", "Replace a certificate that has expired")
        // Notices and menu
        case .noticesTitle: ("重要なお知らせ", "Important notices")
        case .noticeDate: ("掲載日", "Date")
        case .noticeSubject: ("件名", "Subject")
        case .noNotices: ("現在、重要なお知らせはありません。", "There are no important notices.")
        case .renewalNoticeSubject: ("電子証明書の更新をお願いします", "Please renew your certificate")
        case .renewalLink: ("電子証明書の更新はこちら", "Renew the certificate here")
        case .menuTitle: ("メインメニュー", "Main menu")
        case .certificateInfo: ("証明書情報", "Certificate")
        case .renewCertificate: ("証明書更新", "Renew certificate")
        // Certificate
        case .serial: ("シリアル番号", "Serial number")
        case .subject: ("サブジェクト", "Subject")
        case .notBefore: ("有効期間開始", "Valid from")
        case .notAfter: ("有効期限", "Valid until")
        case .medium: ("保存先", "Stored on")
        case .status: ("状態", "Status")
        // Renewal
        case .renewalTitle: ("更新通知", "Renewal notice")
        case .renewNow: ("今すぐ更新する", "Renew now")
        case .renewLater: ("後で更新する", "Renew later")
        case .stepPreparing: ("電子証明書の更新前処理中", "Preparing the renewal")
        case .stepStart: ("更新開始", "Start renewal")
        case .stepDone: ("発行完了", "Issued")
        case .preparedText:
            ("更新前処理が完了しました。新しい電子証明書の保存先を選択してください。",
             "The renewal is prepared. Choose where to store the new certificate.")
        case .saveToPC: ("パソコンに保存する", "Save on this PC")
        case .saveToUSB: ("専用USBに保存する", "Save on the dedicated USB token")
        case .keyType: ("鍵の種類", "Key type")
        case .keyRSA: ("RSA 2048ビット（推奨）", "RSA 2048-bit (recommended)")
        case .keyP256: ("ECDSA P-256", "ECDSA P-256")
        case .p12Password: ("証明書ファイルのパスワード（8文字以上）", "Certificate file password (8 characters or more)")
        case .p12PasswordConfirm: ("証明書ファイルのパスワード（確認用）", "Certificate file password (again)")
        case .keyStaysHere:
            ("秘密鍵はこのパソコンのブラウザ内で作成され、パスワードで保護された証明書ファイル（.p12）として保存されます。秘密鍵が当金庫に送信されることはありません。",
             "The private key is made inside this browser and saved in a password-protected certificate file (.p12). It is never sent to the bank.")
        case .renewButton: ("更新", "Renew")
        case .working: ("電子証明書発行処理中です。画面を閉じずにお待ちください。", "Issuing the certificate. Please keep this page open.")
        case .doneTitle: ("電子証明書の発行が完了しました", "The certificate has been issued")
        case .saveFile: ("証明書ファイルを保存する", "Save the certificate file")
        case .importTitle: ("電子証明書のインストール", "Installing the certificate")
        case .importWindows:
            ("Windows（Microsoft Edge・Google Chrome）: 保存したファイル（.p12）をダブルクリックし、「証明書のインポート ウィザード」で決めたパスワードを入力して取り込みます。",
             "Windows (Microsoft Edge, Google Chrome): double-click the saved .p12 file and enter the password you chose in the Certificate Import Wizard.")
        case .importFirefox:
            ("Firefox: 設定 → プライバシーとセキュリティ → 証明書を表示 → あなたの証明書 → インポート から取り込みます。",
             "Firefox: Settings → Privacy & Security → View Certificates → Your Certificates → Import.")
        case .importThenLogin:
            ("取り込んだ後、すべてのブラウザを閉じ、電子証明書方式で新しい電子証明書を選択してログインできることを確認してください。",
             "Then close every browser window and check that you can log in with the new certificate.")
        case .usbTitle: ("専用USBへの保存", "Saving on the dedicated USB token")
        case .usbText:
            ("専用USBの中の鍵はブラウザから扱えないため、専用USBへの保存は証明書発行アプリで行います。専用USBをパソコンに差し込み、次のコマンドを実行してください（<専用USBの名前> と <専用USBのモジュール> は専用USBのご案内をご覧ください）。新しい鍵は専用USBの中で作成され、外に出ることはありません。PINを入力すると更新が始まります。保存が完了するまで、そのままお待ちください。",
             "A browser cannot use the keys inside the dedicated USB token, so the certificate issuing app saves to it. Insert the token and run this command (the token's name and module are in the token's guide). The new key is made inside the token and never leaves it. Enter the PIN and wait until the app says it has finished.")
        case .usbAfter:
            ("完了すると「電子証明書の更新と専用USBへの保存が完了いたしました」と、新しい電子証明書のサブジェクトとシリアル番号が表示されます。この電子証明書を使用してログインを行う場合は、専用USBをパソコンに接続してからログインしてください。ログアウト後は、すみやかに専用USBをパソコンから取り外してください。専用USBをパソコンから取り外すことで、不正送金被害を防ぐことができます。",
             "When it is done the app says so and shows the new certificate's subject and serial number. To log in with this certificate, plug the token in first. Pull the token out as soon as you have logged out: that stops fraudulent transfers.")
        case .appTitle: ("証明書発行アプリ", "Certificate issuing app")
        case .appText:
            ("ブラウザを使わずに、証明書発行アプリ（shomei enroll）で電子証明書を発行・保存することもできます。",
             "You can also issue and save the certificate with the certificate issuing app (shomei enroll) instead of the browser.")
        // Issuance from the login screen
        case .issueTitle: ("電子証明書発行", "Issue certificate")
        case .acquireTitle: ("電子証明書取得", "Obtain certificate")
        case .issueIntro:
            ("ご契約先ID、利用者ID、ログインパスワードと、当金庫からお送りしたアクティベーションコードを入力してください。",
             "Enter your contract ID, user ID, login password and the activation code the bank sent you.")
        case .acquireIntro:
            ("有効期限が切れた電子証明書に代わる新しい電子証明書を取得します。ご契約先ID、利用者ID、ログインパスワードを入力してください。",
             "Obtain a new certificate in place of an expired one. Enter your contract ID, user ID and login password.")
        case .activationCode: ("アクティベーションコード", "Activation code")
        case .issueButton: ("発行", "Issue")
        case .acquireButton: ("取得", "Obtain")
        // 各種申込サービス (seed 000)
        case .applicationsTitle: ("各種申込サービス", "Applications")
        case .notAvailable: ("準備中", "Not yet available")
        case .answerList: ("回答一覧", "Answers")
        case .newApplication: ("新規申込/回答作成", "New application")
        case .colCompany: ("提出企業", "Filed by")
        case .colStatus: ("ドキュメントステータス", "Status")
        case .colUpdatedAt: ("最終更新日時", "Last updated")
        case .colUpdatedCompany: ("最終更新企業", "Updated by (company)")
        case .colUpdater: ("最終更新者", "Updated by")
        case .colMemo: ("ドキュメントメモ", "Memo")
        case .colDetail: ("詳細表示", "Details")
        case .view: ("参照", "View")
        case .edit: ("編集", "Edit")
        case .noApplications: ("回答はありません。", "There are no answers yet.")
        case .editTitle: ("回答内容編集", "Edit answers")
        case .confirmTitle: ("回答内容確認", "Confirm answers")
        case .resultTitle: ("回答内容結果", "Result")
        case .viewTitle: ("回答内容参照", "Answers")
        case .saveDraft: ("一時保存", "Save draft")
        case .submit: ("提出", "Submit")
        case .confirm: ("確定", "Confirm")
        case .withdraw: ("削除", "Withdraw")
        case .confirmed: ("確認しました", "Confirmed")
        case .openAttachment: ("参照ファイルを開く", "Open the document")
        case .authority: ("権限", "Authority")
        case .history: ("履歴", "History")
        case .historyTime: ("更新日時", "Time")
        case .historyCompany: ("更新企業", "Company")
        case .historyUser: ("更新者", "By")
        case .statusBefore: ("更新前ステータス", "Status before")
        case .statusAfter: ("更新後ステータス", "Status after")
        case .bankComment: ("金融機関からのコメント", "Comment from the bank")
        case .comment: ("コメント", "Comment")
        case .submittedText:
            ("申込内容を提出しました。ドキュメントステータスが「提出済」となっていることをご確認ください。",
             "Your application has been submitted. Check that its status is Submitted.")
        case .draftSavedText: ("一時保存しました。回答一覧の「編集」から続けて入力できます。", "Saved as a draft. Continue with Edit in the answer list.")
        case .confirmText: ("以下の内容で提出します。よろしければ「確定」をクリックしてください。", "Check the answers below, then click Confirm.")
        case .toApplications: ("トップページ画面へ", "Applications top")
        case .toAnswerList: ("回答一覧画面へ", "Answer list")
        // Bank console
        case .consoleTitle: ("管理コンソール", "Bank console")
        case .staffId: ("職員ID", "Staff ID")
        case .staffPassword: ("パスワード", "Password")
        case .inboxTitle: ("申込受付一覧", "Applications inbox")
        case .filter: ("絞り込み", "Filter")
        case .allStatuses: ("すべて", "All")
        case .contract: ("ご契約先", "Contract")
        case .decideAccept: ("受付済にする", "Accept")
        case .decideReturn: ("再提出要にする", "Return for resubmission")
        case .commentHint: ("お客様に表示されます。再提出要の場合は必須です。", "Shown to the customer; required when returning.")
        case .effectiveAt: ("実施予定日時", "Takes effect at")
        case .targets: ("失効対象", "Users to revoke")
        case .actionsTitle: ("直接操作（依頼・承認）", "Direct actions (request and approve)")
        case .requestAction: ("依頼する", "Request")
        case .actionKind: ("操作", "Action")
        case .actionRevoke: ("即時失効", "Revoke now")
        case .actionReissue: ("再発行（アクティベーションコード発行）", "Re-issue (new activation code)")
        case .revocationReason: ("失効理由", "Revocation reason")
        case .actionReason: ("依頼理由（電話連絡の内容など）", "Why (the phone call, the request form)")
        case .requestedBy: ("依頼者", "Requested by")
        case .approve: ("承認", "Approve")
        case .reject: ("却下", "Reject")
        case .pendingActions: ("承認待ちの依頼", "Waiting for approval")
        case .noPendingActions: ("承認待ちの依頼はありません。", "Nothing waits for approval.")
        case .fourEyesNote:
            ("依頼は、依頼者とは別の承認者が承認したときに実行されます。",
             "A request is carried out when an approver other than the requester approves it.")
        case .searchTitle: ("検索（契約先・利用者・電子証明書）", "Search (contracts, users, certificates)")
        case .expiringWithin: ("有効期限まで（日以内）", "Expiring within (days)")
        case .nameContains: ("利用者名・ご契約先名（一部）", "User or company name (part)")
        case .search: ("検索", "Search")
        case .csvExport: ("CSV出力", "Export CSV")
        case .noResults: ("該当するデータはありません。", "Nothing matches.")
        case .auditTitle: ("監査ログ", "Audit log")
        case .auditAction: ("操作", "Action")
        case .auditActor: ("実行者", "Actor")
        case .auditTarget: ("対象", "Target")
        case .auditDetails: ("内容", "Details")
        case .olderEntries: ("さらに古い記録", "Older entries")
        case .certificateHistory: ("電子証明書の履歴", "Certificate history")
        case .networkError: ("通信エラーが発生しました。しばらくしてからもう一度お試しください。", "A network error occurred. Please try again later.")
        case .letterTitle: ("電子証明書発行のご案内（手順書）", "How to obtain your certificate")
        case .letterIntro:
            ("電子証明書の発行手続きが終了しました。以下の手順で、電子証明書利用開始のお手続きを行ってください。",
             "The bank has prepared your certificate. Follow the steps below to start using it.")
        case .letterCode: ("アクティベーションコード（1回限り有効）", "Activation code (valid once)")
        case .letterExpires: ("コードの有効期限", "Code valid until")
        case .letterPortal: ("ログイン画面", "Login page")
        case .letterSteps: ("電子証明書発行の手順", "Steps")
        case .letterStep1:
            ("電子証明書を取得するパソコンで、ログイン画面を開きます。",
             "On the PC that will hold the certificate, open the login page.")
        case .letterStep2:
            ("［電子証明書発行］を選び、ご契約先ID・利用者ID・ログインパスワードと、このアクティベーションコードを入力します。",
             "Choose [Issue certificate] and enter your contract ID, user ID, login password and this activation code.")
        case .letterStep3:
            ("［発行］を押すと、「電子証明書発行 発行完了」画面が表示されます。表示されるファイルを保存し、パソコンに取り込みます。",
             "Press [Issue]: the completion page appears. Save the file it offers and import it on this PC.")
        case .letterStep4:
            ("以後は、電子証明書とログインパスワードでログインします。",
             "From then on, log in with the certificate and your login password.")
        case .letterFingerprint: ("当金庫の認証局（ルート証明書）のフィンガープリント（SHA-256）", "The bank's root CA fingerprint (SHA-256)")
        case .letterFingerprintNote:
            ("画面に表示される認証局がこの値と一致することをご確認ください。",
             "Check that the CA your screen shows has this fingerprint.")
        case .letterCaution:
            ("当金庫の職員が、お電話やメールでアクティベーションコードやパスワードをお尋ねすることはありません。この手順書は第三者の目に触れないよう保管し、発行後は破棄してください。",
             "Bank staff never ask for your activation code or password by phone or e-mail. Keep this letter private and destroy it after use.")
        case .letterShownOnce:
            ("アクティベーションコードはこの画面にのみ表示されます。印刷してから閉じてください。",
             "The activation code is shown on this page only. Print it before you close it.")
        case .letterPrint: ("ブラウザの印刷（Ctrl+P）でA4に印刷できます。", "Print on A4 with the browser (Ctrl+P).")
        case .letterHonorific: ("様", "")
        case .contractsTitle: ("ご契約先", "Contracts")
        case .registerContract: ("ご契約先の登録（マスターとともに）", "Register a contract (with its master user)")
        case .contractName: ("ご契約先名", "Company name")
        case .loginMethod: ("本人確認方式", "Login method")
        case .loginMethodCertificate: ("電子証明書方式", "Certificate and password")
        case .loginMethodPassword: ("ID・パスワード方式", "ID and password")
        case .masterUser: ("マスター", "Master user")
        case .email: ("メールアドレス", "E-mail address")
        case .register: ("登録", "Register")
        case .changeLoginMethod: ("本人確認方式を変更", "Change the login method")
        case .initialPassword:
            ("マスターの初期ログインパスワード（この画面にのみ表示されます）", "The master user's initial login password (shown only here)")
        case .moreContracts: ("次のご契約先", "More contracts")
        case .noContracts: ("ご契約先はまだ登録されていません。", "No contract is registered yet.")
        case .usersTitle: ("利用者", "Users")
        case .adminMenu: ("管理（利用者管理）", "Administration (users)")
        case .adminUsersTitle: ("利用者管理　利用者一覧", "User administration: users")
        case .certificateState: ("電子証明書", "Certificate")
        case .confirmationPassword: ("確認用パスワード", "Confirmation password")
        case .execute: ("実行", "Run")
        case .toUserList: ("利用者一覧へ", "Back to the users")
        case .adminActions: ("操作", "Actions")
        case .lastLogin: ("最終ログイン", "Last login")
        case .next: ("確認画面へ", "Next")
        case .currentPassword: ("現在のパスワード", "Current password")
        case .newPassword: ("新しいパスワード", "New password")
        case .newPasswordRepeat: ("新しいパスワード（確認のため再入力）", "New password, again")
        case .passwordRule: ("8文字以上128文字以内で入力してください。", "8 to 128 characters.")
        case .passwordChangeTitle: ("ログインパスワード変更", "Change the login password")
        case .confirmationPasswordChangeTitle: ("確認用パスワード変更", "Change the confirmation password")
        case .passwordChangeRequiredNote:
            ("現在のログインパスワードは、管理者またはお取引店が設定したものです。ご利用を続けるには、新しいパスワードに変更してください。",
             "Your login password was set by an administrator or the bank. Change it to go on.")
        case .passwordChangedText: ("パスワードを変更しました。", "The password is changed.")
        case .initialLoginPassword:
            ("初期ログインパスワード（空欄の場合は自動で設定し、結果画面に表示します）",
             "Initial login password (left empty, one is made and shown on the result page)")
        case .adminConfirmNote:
            ("内容をご確認のうえ、確認用パスワードを入力して［実行］を押してください。",
             "Check the details, enter your confirmation password and press Run.")
        case .temporaryPassword:
            ("ログインパスワード（利用者は次回ログイン時に変更します）", "Login password (the user changes it at the next login)")
        case .newConfirmationPassword:
            ("この管理者の確認用パスワード", "This administrator's confirmation password")
        case .secretShownOnce:
            ("この画面を閉じると二度と表示されません。利用者に安全な方法でお伝えください。",
             "Shown only on this page: give it to the user in a safe way.")
        case .reissueSteps:
            ("利用者は、ログイン画面の［電子証明書発行］で、ご契約先ID・利用者ID・ログインパスワードとこのアクティベーションコードを入力し、新しい電子証明書を取得します。",
             "The user obtains the new certificate at Issue a certificate on the login screen, with the contract ID, user ID, login password and this activation code.")
        case .reissueHint:
            ("アクティベーションコード（初回発行・再発行）は［直接操作］で依頼します。別の承認者が承認すると、手順書が表示されます。",
             "Ask for an activation code (first issuance or re-issue) under Direct actions; when another approver approves, the letter is shown.")
        }
    }
}
