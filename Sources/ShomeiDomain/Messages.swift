import struct Foundation.Date

/// The localisation table: every text Shomei shows a person, in Japanese and English.
///
/// Wording follows the bank manuals in `shared/seeds` where they have one. Nothing else in the
/// code base spells a user-facing sentence.
public enum Message: Sendable {
    case error(ShomeiError)
    case roleLabel(Role)
    case revocationReasonLabel(RevocationReason)
    case mediumLabel(StorageMedium)
    case certificateStatusLabel(CertificateRecord.Status)
    /// 利用状況: whether the user may use the service now.
    case userStatusLabel(User.Status)
    /// The issuing app's result screen (seed 003): what was issued and where it was saved.
    case certificateSaved(renewed: Bool, serial: String, subject: String, notAfter: Date, folder: String)
    /// The same with the key on a token (専用USB): the certificate is on the token beside it.
    case certificateSavedOnToken(renewed: Bool, serial: String, subject: String, notAfter: Date, token: String, label: String, folder: String)
    /// `renew --token` after a renewal that stopped once the new certificate was issued.
    case tokenRenewalFinished
    case tokenPINPrompt
    /// First use without `--ca`: the root CA the app is about to trust, by fingerprint.
    case trustOnFirstUse(subject: String, fingerprint: String)
    case passwordPrompt
    case pkcs12PasswordPrompt
    case pkcs12PasswordMismatch
    /// The body of the 電子証明書の更新をお願いします notice (seed 002).
    case renewalNotice(notAfter: Date)
    case lifecycleStateLabel(LifecycleStatus.State)
    case applicationStatusLabel(ApplicationStatus)
    case fieldProblem(FieldProblem.Kind)
    /// The bank API's problem+json `title`: the kind of refusal, by HTTP status.
    case problemTitle(status: Int)
    /// A 管理 action's name, as the 管理 menu, its pages and its notices call it.
    case administrationActionLabel(AdministrationAction)
    /// The title of a 管理 action's page at one step (入力 → 確認 → 結果).
    case administrationTitle(AdministrationAction, AdministrationStep)
    /// What the confirmation page says the action will do.
    case administrationNote(AdministrationAction)
    /// What the result page says was done.
    case administrationDone(AdministrationAction)
    /// A 管理 action on 重要なお知らせ: the subject, then the body.
    case administrationNoticeSubject(AdministrationAction)
    case administrationNoticeBody(AdministrationAction, target: String, actor: String, time: Date, address: String)

    /// The pages a 管理 action goes through.
    public enum AdministrationStep: Sendable {
        case input, confirm, result
    }

    public func text(_ language: Language) -> String {
        switch self {
        case .error(let error): Self.errorText(error, language)
        case .problemTitle(let status): Self.problemTitleText(status, language)
        case .roleLabel(let role): Self.roleText(role, language)
        case .administrationActionLabel(let action): Self.administrationActionText(action, language)
        case .administrationTitle(let action, let step): Self.administrationTitleText(action, step, language)
        case .administrationNote(let action): Self.administrationNoteText(action, language)
        case .administrationDone(let action): Self.administrationDoneText(action, language)
        case .administrationNoticeSubject(let action):
            language.pick(ja: "利用者管理の操作（\(Self.administrationActionText(action, language))）",
                          en: "User administration: \(Self.administrationActionText(action, language))")
        case .administrationNoticeBody(let action, let target, let actor, let time, let address):
            language.pick(
                ja: "\(TokyoTime.formatForCustomer(time, language))に、\(actor)様が利用者 \(target)様の「\(Self.administrationActionText(action, language))」を行いました（接続元IPアドレス \(address)）。お心当たりのない場合は、直ちにお取引店へご連絡ください。",
                en: "On \(TokyoTime.formatForCustomer(time, language)), \(actor) did \(Self.administrationActionText(action, language)) for user \(target) (from IP address \(address)). If you did not expect this, call your branch at once.")
        case .revocationReasonLabel(let reason): Self.reasonText(reason, language)
        case .mediumLabel(let medium):
            medium == .pc
                ? language.pick(ja: "パソコン", en: "PC")
                : language.pick(ja: "専用USB", en: "dedicated USB token")
        case .certificateStatusLabel(let status):
            status == .valid ? language.pick(ja: "有効", en: "valid") : language.pick(ja: "失効", en: "revoked")
        case .userStatusLabel(let status):
            switch status {
            case .active: language.pick(ja: "利用中", en: "in use")
            case .disabled: language.pick(ja: "利用停止", en: "stopped")
            case .locked: language.pick(ja: "ロック中", en: "locked")
            case .deleted: language.pick(ja: "削除済", en: "deleted")
            }
        case .certificateSaved(let renewed, let serial, let subject, let notAfter, let folder):
            language.pick(
                ja: "\(renewed ? "電子証明書の更新が完了しました。" : "電子証明書の発行が完了しました。")\n"
                    + "  シリアル番号: \(serial)\n  サブジェクト: \(subject)\n"
                    + "  有効期限:     \(TokyoTime.formatForCustomer(notAfter, language))\n"
                    + "  保存先:       \(folder)/certificate.p12（ブラウザ・Windows に取り込むファイル）, key.pem, certificate.pem",
                en: "\(renewed ? "The certificate was renewed." : "The certificate was issued.")\n"
                    + "  Serial number: \(serial)\n  Subject:       \(subject)\n"
                    + "  Valid until:   \(TokyoTime.formatForCustomer(notAfter, language))\n"
                    + "  Saved in:      \(folder)/certificate.p12 (import into the browser or Windows), key.pem, certificate.pem")
        case .certificateSavedOnToken(let renewed, let serial, let subject, let notAfter, let token, let label, let folder):
            language.pick(
                ja: "\(renewed ? "電子証明書の更新と専用USBへの保存が完了いたしました。" : "電子証明書の発行と専用USBへの保存が完了いたしました。")\n"
                    + "  シリアル番号: \(serial)\n  サブジェクト: \(subject)\n"
                    + "  有効期限:     \(TokyoTime.formatForCustomer(notAfter, language))\n"
                    + "  保存先:       専用USB「\(token)」の「\(label)」（秘密鍵は専用USBの外に出ません）, \(folder)/certificate.pem\n"
                    + "この電子証明書を使用してログインを行う場合は、専用USBをパソコンに接続してからログインしてください。"
                    + "ログアウト後は、すみやかに専用USBをパソコンから取り外してください。",
                en: "\(renewed ? "The certificate was renewed." : "The certificate was issued.")\n"
                    + "  Serial number: \(serial)\n  Subject:       \(subject)\n"
                    + "  Valid until:   \(TokyoTime.formatForCustomer(notAfter, language))\n"
                    + "  Saved on:      token \"\(token)\" as \"\(label)\" (the private key never leaves it), \(folder)/certificate.pem\n"
                    + "  Pull the token out after you log out.")
        case .tokenRenewalFinished:
            language.pick(
                ja: "前回中断された電子証明書の更新を、専用USB上で完了しました。新しい電子証明書はすでに発行されているため、あらためて更新はしていません。",
                en: "The renewal that stopped last time was finished on the token. Its new certificate had already been issued, so nothing was renewed again.")
        case .tokenPINPrompt:
            language.pick(ja: "専用USBのPIN: ", en: "Token PIN: ")
        case .trustOnFirstUse(let subject, let fingerprint):
            language.pick(
                ja: "初回接続のため、サーバーから受け取った認証局を信頼します: \(subject)\n  SHA-256: \(fingerprint)\n  お取引店が案内するフィンガープリントと一致することを確認してください。",
                en: "First use: trusting the CA the server sent: \(subject)\n  SHA-256: \(fingerprint)\n  Check that it matches the fingerprint the bank published.")
        case .passwordPrompt:
            language.pick(ja: "ログインパスワード: ", en: "Login password: ")
        case .pkcs12PasswordPrompt:
            language.pick(ja: "証明書ファイル（PKCS#12）のパスワードを決めてください: ", en: "Choose a password for the certificate file (PKCS#12): ")
        case .pkcs12PasswordMismatch:
            language.pick(ja: "パスワードが一致しないか、8文字未満です。", en: "The passwords differ or are shorter than 8 characters.")
        case .renewalNotice(let notAfter):
            language.pick(
                ja: "ご利用中の電子証明書の有効期限は\(TokyoTime.formatForCustomer(notAfter, language))です。有効期限が切れる前に更新を行ってください。有効期限を過ぎますと、法人インターネットバンキングにログインいただけなくなります。",
                en: "Your certificate is valid until \(TokyoTime.formatForCustomer(notAfter, language)). Please renew it before then: after it expires you cannot log in to corporate internet banking.")
        case .lifecycleStateLabel(let state):
            Self.stateLabel(state, language)
        case .applicationStatusLabel(let status):
            Self.applicationStatusText(status, language)
        case .fieldProblem(let problem):
            Self.fieldProblemText(problem, language)
        }
    }

    static func applicationStatusText(_ status: ApplicationStatus, _ l: Language) -> String {
        switch status {
        case .draft: l.pick(ja: "作成中", en: "draft")
        case .submitted: l.pick(ja: "提出済", en: "submitted")
        case .resubmissionRequired: l.pick(ja: "再提出要", en: "resubmission required")
        case .resubmitted: l.pick(ja: "再提出済", en: "resubmitted")
        case .accepted: l.pick(ja: "受付済", en: "accepted")
        case .withdrawn: l.pick(ja: "削除", en: "withdrawn")
        }
    }

    private static func problemTitleText(_ status: Int, _ l: Language) -> String {
        switch status {
        case 401: l.pick(ja: "認証できません", en: "Not authenticated")
        case 403: l.pick(ja: "この操作は許可されていません", en: "Not permitted")
        case 404: l.pick(ja: "対象が見つかりません", en: "Not found")
        case 405: l.pick(ja: "この方法では操作できません", en: "Method not allowed")
        case 409: l.pick(ja: "現在の状態では実行できません", en: "Conflicts with the current state")
        case 413: l.pick(ja: "要求が大きすぎます", en: "Request too large")
        case 415: l.pick(ja: "形式が正しくありません", en: "Unsupported media type")
        case 422: l.pick(ja: "処理できない要求です", en: "Unprocessable request")
        case 503: l.pick(ja: "一時的に利用できません", en: "Temporarily unavailable")
        case 500...: l.pick(ja: "システムエラー", en: "System error")
        default: l.pick(ja: "入力内容に誤りがあります", en: "Invalid request")
        }
    }

    /// What a field's problem tells the customer to do.
    static func fieldProblemText(_ problem: FieldProblem.Kind, _ l: Language) -> String {
        switch problem {
        case .required: l.pick(ja: "入力してください。", en: "Please fill this in.")
        case .notConfirmed: l.pick(ja: "内容をご確認のうえ、「確認しました」にチェックを入れてください。", en: "Please read and tick the box.")
        case .unknownOption: l.pick(ja: "選択肢から選んでください。", en: "Please choose one of the options.")
        case .rowIncomplete: l.pick(ja: "利用者名と権限の両方を入力してください。", en: "Enter both the user name and the authority.")
        case .tooManyRows(let maximum): l.pick(ja: "対象ユーザーは最大\(maximum)ユーザです。", en: "At most \(maximum) users.")
        case .tooFewRows(let minimum): l.pick(ja: "対象ユーザーを\(minimum)ユーザ以上入力してください。", en: "Enter at least \(minimum) user.")
        case .userNotFound: l.pick(ja: "この利用者名の利用者は登録されていません。", en: "No user of your contract has this name.")
        case .authorityMismatch: l.pick(ja: "権限が登録内容と一致しません。", en: "The authority does not match the registered one.")
        case .certificateNotValid: l.pick(ja: "この利用者には失効できる有効な電子証明書がありません。", en: "This user holds no valid certificate to revoke.")
        case .duplicateUser: l.pick(ja: "同じ利用者が重複しています。", en: "The same user is listed twice.")
        case .loginMethodUnchanged: l.pick(ja: "ご契約先の現在の本人確認方式と同じです。もう一方の方式を選んでください。",
                                           en: "Your contract already logs in this way: choose the other method.")
        case .text(let text): textProblemText(text, l)
        }
    }

    /// A token's refusal, with what to do about it (seed 003's 専用USB, the bank's HSM).
    private static func tokenProblem(_ problem: TokenProblem, _ l: Language) -> String {
        switch problem {
        case .pinIncorrect(.finalTry):
            l.pick(ja: "PINが正しくありません。次に誤るとトークンがロックされます。", en: "The PIN is wrong. One more wrong PIN locks the token.")
        case .pinIncorrect(.low):
            l.pick(ja: "PINが正しくありません。残りの試行回数がわずかです。", en: "The PIN is wrong, and few tries remain.")
        case .pinIncorrect(.unknown):
            l.pick(ja: "PINが正しくありません。", en: "The PIN is wrong.")
        case .pinLength(let range) where range.upperBound == .max:
            l.pick(ja: "PINは半角\(range.lowerBound)文字以上で入力してください。",
                   en: "The PIN must be at least \(range.lowerBound) ASCII characters long.")
        case .pinLength(let range):
            l.pick(ja: "PINは半角\(range.lowerBound)〜\(range.upperBound)文字で入力してください。",
                   en: "The PIN must be \(range.lowerBound) to \(range.upperBound) ASCII characters long.")
        case .pinLocked:
            l.pick(ja: "PINがロックされています。トークンの管理者にロック解除を依頼してください。",
                   en: "The PIN is locked: ask the token's administrator to unlock it.")
        case .tokenAbsent(let label):
            l.pick(ja: "トークン「\(label)」が見つかりません。差し込んでから、もう一度お試しください。",
                   en: "Token \"\(label)\" is not there: plug it in and try again.")
        case .objectNotFound(let what):
            l.pick(ja: "トークンに「\(what)」がありません。", en: "The token holds no \"\(what)\".")
        case .labelAmbiguous(let label):
            l.pick(ja: "トークンに「\(label)」が複数あります。id= で指定してください。",
                   en: "The token holds more than one \"\(label)\": name it with id=.")
        case .objectExists(let label):
            l.pick(ja: "トークンには既に「\(label)」があります。別の名前（object=）を指定してください。",
                   en: "The token already holds \"\(label)\": choose another object= name.")
        case .noSpace:
            l.pick(ja: "トークンに空き容量がありません。", en: "The token has no free space.")
        case .notAModule(let path):
            l.pick(ja: "\(path) はPKCS#11モジュールではありません。", en: "\(path) is not a PKCS#11 module.")
        case .invalidURI(let uri):
            l.pick(ja: "「\(uri)」は正しいpkcs11: URIではありません（RFC 7512）。", en: "\"\(uri)\" is not a valid pkcs11: URI (RFC 7512).")
        case .unsupported(let what):
            l.pick(ja: "トークンが対応していません: \(what)", en: "The token does not support \(what).")
        case .pinAtEverySignature(let label):
            l.pick(ja: "鍵「\(label)」は署名のたびにPINを求める設定（CKA_ALWAYS_AUTHENTICATE）のため使用できません。この設定のない鍵を使用してください。",
                   en: "The key \"\(label)\" asks for the PIN before every signature (CKA_ALWAYS_AUTHENTICATE) and cannot be used: use a key without it.")
        case .failed(let code):
            l.pick(ja: "トークンの操作に失敗しました（\(code)）。", en: "The token operation failed (\(code)).")
        }
    }

    private static func textProblemText(_ problem: JapaneseText.Problem, _ l: Language) -> String {
        switch problem {
        case .empty: l.pick(ja: "入力してください。", en: "Please fill this in.")
        case .tooLong(let maximum): l.pick(ja: "\(maximum)文字以内で入力してください。", en: "Use at most \(maximum) characters.")
        case .asciiCharacter(let c): l.pick(ja: "「\(c)」は半角文字です。全角で入力してください。", en: "\"\(c)\" is a half-width character: use full-width.")
        case .halfWidthKatakana(let c): l.pick(ja: "「\(c)」は半角カナです。全角カナで入力してください。", en: "\"\(c)\" is half-width katakana: use full-width katakana.")
        case .notInCharacterSet(let c): l.pick(ja: "「\(c)」は使用できない文字です。別の文字に置き換えてください。", en: "\"\(c)\" cannot be used: please replace it.")
        case .fullWidthDigits: l.pick(ja: "数字は半角（0〜9）で入力してください。全角数字は使用できません。", en: "Use half-width digits 0–9, not full-width ones.")
        case .hyphen: l.pick(ja: "ハイフンを入れずに、数字だけを入力してください。", en: "Enter the digits only, without hyphens.")
        case .notDigits: l.pick(ja: "半角数字のみで入力してください。", en: "Use digits only.")
        case .phoneLength: l.pick(ja: "電話番号は10桁または11桁で入力してください。", en: "A phone number has 10 or 11 digits.")
        case .phoneMustStartWithZero: l.pick(ja: "電話番号は0から始まる番号を入力してください（市外局番から）。", en: "Start with 0 (include the area code).")
        }
    }

    private static func stateLabel(_ state: LifecycleStatus.State, _ l: Language) -> String {
        switch state {
        case .noCertificate: l.pick(ja: "未発行", en: "not issued")
        case .valid: l.pick(ja: "有効", en: "valid")
        case .renewalWindow: l.pick(ja: "有効（更新期間中）", en: "valid (renewal window open)")
        case .expiredReacquirable: l.pick(ja: "有効期限切れ（再取得可能）", en: "expired (can be re-acquired)")
        case .reissueRequired: l.pick(ja: "有効期限切れ（再発行が必要）", en: "expired (re-issue needed)")
        case .revoked: l.pick(ja: "失効", en: "revoked")
        }
    }

    private static func administrationRefusalText(_ refusal: AdministrationRefusal, _ l: Language) -> String {
        switch refusal {
        case .notAdministrator:
            l.pick(ja: "この操作は、マスターまたは管理者の利用者のみ行えます。", en: "Only master and administrator users can do this.")
        case .notOffered:
            l.pick(ja: "この操作は当金庫ではお取り扱いしていません。お取引店へお問い合わせください。",
                   en: "The bank does not offer this here. Please contact your branch.")
        case .otherContract:
            l.pick(ja: "他のご契約先の利用者は操作できません。", en: "Users of another contract cannot be changed here.")
        case .ownAccount:
            l.pick(ja: "ご自身に対してこの操作は行えません。ご自身の電子証明書の失効・再発行は、お取引店へご連絡ください。",
                   en: "You cannot do this to your own user. To revoke or re-issue your own certificate, contact your branch.")
        case .outranked:
            l.pick(ja: "この利用者を操作する権限がありません。マスターは管理者・一般の利用者を、管理者は一般の利用者を操作できます。",
                   en: "You may not change this user: masters administer administrator and general users, administrators general users.")
        }
    }

    private static func administrationActionText(_ action: AdministrationAction, _ l: Language) -> String {
        switch action {
        case .registerUser: l.pick(ja: "利用者登録", en: "Register a user")
        case .changeUser: l.pick(ja: "利用者情報変更", en: "Change a user")
        case .deleteUser: l.pick(ja: "利用者削除", en: "Delete a user")
        case .stopUser: l.pick(ja: "利用停止", en: "Stop a user")
        case .resumeUser: l.pick(ja: "停止解除", en: "Resume a user")
        case .unlockUser: l.pick(ja: "ロック解除", en: "Unlock a user")
        case .resetLoginPassword: l.pick(ja: "ログインパスワード初期化", en: "Reset the login password")
        case .revokeCertificate: l.pick(ja: "証明書失効", en: "Revoke the certificate")
        case .reissueCertificate: l.pick(ja: "証明書再発行", en: "Re-issue the certificate")
        }
    }

    private static func administrationTitleText(_ action: AdministrationAction, _ step: AdministrationStep, _ l: Language) -> String {
        let name = administrationActionText(action, l)
        return switch step {
        case .input: l.pick(ja: "\(name)入力", en: "\(name): details")
        case .confirm: l.pick(ja: "\(name)確認", en: "\(name): confirm")
        case .result: l.pick(ja: "\(name)結果", en: "\(name): done")
        }
    }

    private static func administrationNoteText(_ action: AdministrationAction, _ l: Language) -> String {
        switch action {
        case .registerUser:
            l.pick(ja: "この内容で利用者を登録します。利用者は初回ログイン時にログインパスワードを変更します。",
                   en: "The user is registered as below, and changes the login password at the first login.")
        case .changeUser: l.pick(ja: "利用者の情報を次のとおり変更します。", en: "The user is changed as below.")
        case .deleteUser:
            l.pick(ja: "利用者を削除します。有効な電子証明書は失効し、この利用者IDではログインできなくなります。",
                   en: "The user is deleted: a valid certificate is revoked and the user ID no longer logs in.")
        case .stopUser:
            l.pick(ja: "利用者の利用を停止します。停止解除するまでログインできません。", en: "The user cannot log in until resumed.")
        case .resumeUser: l.pick(ja: "利用停止を解除し、再びログインできるようにします。", en: "The user may log in again.")
        case .unlockUser:
            l.pick(ja: "パスワードの入力誤りによるロックを解除します。", en: "The lock after wrong passwords is lifted.")
        case .resetLoginPassword:
            l.pick(ja: "ログインパスワードを初期化し、仮のパスワードを発行します。利用者は次回ログイン時に変更します。ロック中の場合は解除されます。",
                   en: "The login password is replaced by a temporary one, which the user changes at the next login; a lock is lifted.")
        case .revokeCertificate:
            l.pick(ja: "失効すると、この電子証明書ではただちにログインできなくなります。利用者は新しい電子証明書を取得するまでご利用いただけません。",
                   en: "Once revoked, this certificate stops logging in at once; the user cannot use the service until they obtain a new one.")
        case .reissueCertificate:
            l.pick(ja: "再発行用のアクティベーションコードを発行します。有効な電子証明書はただちに失効し、以前のコードは無効になります。",
                   en: "A re-issue activation code is made; a valid certificate is revoked at once and an earlier code voided.")
        }
    }

    private static func administrationDoneText(_ action: AdministrationAction, _ l: Language) -> String {
        let told = l.pick(ja: "利用者とマスターにメールでお知らせします。", en: "The user and the masters are told by e-mail.")
        let done = switch action {
        case .registerUser: l.pick(ja: "利用者を登録しました。", en: "The user is registered.")
        case .changeUser: l.pick(ja: "利用者の情報を変更しました。", en: "The user is changed.")
        case .deleteUser: l.pick(ja: "利用者を削除しました。", en: "The user is deleted.")
        case .stopUser: l.pick(ja: "利用を停止しました。", en: "The user is stopped.")
        case .resumeUser: l.pick(ja: "利用停止を解除しました。", en: "The user is resumed.")
        case .unlockUser: l.pick(ja: "ロックを解除しました。", en: "The user is unlocked.")
        case .resetLoginPassword: l.pick(ja: "ログインパスワードを初期化しました。", en: "The login password is reset.")
        case .revokeCertificate: l.pick(ja: "電子証明書を失効しました。", en: "The certificate is revoked.")
        case .reissueCertificate: l.pick(ja: "再発行用のアクティベーションコードを発行しました。", en: "The re-issue activation code is made.")
        }
        return done + told
    }

    private static func roleText(_ role: Role, _ l: Language) -> String {
        switch role {
        case .master: l.pick(ja: "マスター", en: "master")
        case .admin: l.pick(ja: "管理者", en: "administrator")
        case .general: l.pick(ja: "一般", en: "general")
        }
    }

    private static func reasonText(_ reason: RevocationReason, _ l: Language) -> String {
        switch reason {
        case .unspecified: l.pick(ja: "理由なし", en: "unspecified")
        case .keyCompromise: l.pick(ja: "秘密鍵の危殆化", en: "key compromise")
        case .caCompromise: l.pick(ja: "認証局の危殆化", en: "CA compromise")
        case .affiliationChanged: l.pick(ja: "所属の変更", en: "affiliation changed")
        case .superseded: l.pick(ja: "新しい証明書の発行による失効", en: "superseded by a new certificate")
        case .cessationOfOperation: l.pick(ja: "利用の停止", en: "cessation of operation")
        case .certificateHold: l.pick(ja: "一時停止", en: "certificate hold")
        case .removeFromCRL: l.pick(ja: "CRLからの削除", en: "remove from CRL")
        case .privilegeWithdrawn: l.pick(ja: "権限の取消", en: "privilege withdrawn")
        case .aaCompromise: l.pick(ja: "属性認証局の危殆化", en: "AA compromise")
        }
    }

    private static func errorText(_ error: ShomeiError, _ l: Language) -> String {
        switch error {
        case .invalidContractID(let value):
            l.pick(ja: "ご契約先ID「\(value)」は使用できません。半角英数字1〜20文字で入力してください。",
                   en: "Contract ID \"\(value)\" is not allowed: use 1 to 20 ASCII letters and digits.")
        case .invalidUserID(let value):
            l.pick(ja: "利用者ID「\(value)」は使用できません。半角英数字1〜20文字で入力してください。",
                   en: "User ID \"\(value)\" is not allowed: use 1 to 20 ASCII letters and digits.")
        case .invalidEmail(let value):
            l.pick(ja: "メールアドレス「\(value)」は正しくありません。",
                   en: "E-mail address \"\(value)\" is not valid.")
        case .invalidName:
            l.pick(ja: "名称は1〜100文字で、制御文字を含めずに入力してください。",
                   en: "A name must be 1 to 100 characters without control characters.")
        case .nameHalfWidthKatakana(let character):
            l.pick(ja: "「\(character)」は半角カナです。名称は全角カナで入力してください。",
                   en: "\"\(character)\" is half-width katakana: type the name in full-width katakana.")
        case .invalidPassword:
            l.pick(ja: "パスワードは8〜128文字で入力してください。",
                   en: "A password must be 8 to 128 characters long.")
        case .invalidSerial(let value):
            l.pick(ja: "シリアル番号「\(value)」は16進数ではありません。",
                   en: "Serial number \"\(value)\" is not hexadecimal.")
        case .contractNotFound(let id):
            l.pick(ja: "ご契約先ID \(id) は登録されていません。", en: "Contract \(id) is not registered.")
        case .contractExists(let id):
            l.pick(ja: "ご契約先ID \(id) は既に登録されています。", en: "Contract \(id) is already registered.")
        case .userNotFound(let key):
            l.pick(ja: "利用者 \(key) は登録されていません。", en: "User \(key) is not registered.")
        case .userExists(let key):
            l.pick(ja: "利用者 \(key) は既に登録されています。", en: "User \(key) is already registered.")
        case .userDisabled(let key):
            l.pick(ja: "利用者 \(key) は利用停止中です。お取引店にお問い合わせください。",
                   en: "User \(key) is disabled. Please contact the bank.")
        case .userLocked(let key):
            l.pick(ja: "利用者 \(key) はパスワードの入力誤りが規定回数を超えたためロックされています。お取引店にロックの解除をご依頼ください。",
                   en: "User \(key) is locked after too many wrong passwords. Please ask the bank to unlock it.")
        case .userNotLocked(let key):
            l.pick(ja: "利用者 \(key) はロックされていません。", en: "User \(key) is not locked.")
        case .passwordWrong(let remaining):
            l.pick(ja: "ご契約先ID、利用者ID またはパスワードが正しくありません（あと\(remaining)回誤るとロックされます）。",
                   en: "The contract ID, user ID or password is wrong (\(remaining) more wrong attempts lock the user).")
        case .loginPasswordWrong(let remaining):
            l.pick(ja: "ログインパスワードが正しくありません（あと\(remaining)回誤るとロックされます）。",
                   en: "The login password is wrong (\(remaining) more wrong attempts lock the user).")
        case .certificateNotFound(let serial):
            l.pick(ja: "シリアル番号 \(serial) の電子証明書はありません。",
                   en: "There is no certificate with serial number \(serial).")
        case .certificateAlreadyRevoked(let serial):
            l.pick(ja: "シリアル番号 \(serial) の電子証明書は既に失効しています。",
                   en: "The certificate with serial number \(serial) is already revoked.")
        case .unknownRevocationReason(let name):
            l.pick(ja: "失効理由「\(name)」は不明です。RFC 5280 の理由名（例: keyCompromise, superseded）を指定してください。",
                   en: "Unknown revocation reason \"\(name)\": give an RFC 5280 reason name such as keyCompromise or superseded.")
        case .revocationReasonNotOffered(let reason):
            l.pick(ja: "失効理由 \(reason.rfcName) は取り扱っていません（失効は取り消せません）。",
                   en: "Revocation reason \(reason.rfcName) is not offered: revocations are final.")
        case .noActivationCode(let key):
            l.pick(ja: "利用者 \(key) に有効なアクティベーションコードがありません。お取引店に再発行をご依頼ください。",
                   en: "User \(key) has no activation code. Please ask the bank to issue one.")
        case .activationCodeWrong(let remaining):
            l.pick(ja: "アクティベーションコードが正しくありません（残り\(remaining)回）。",
                   en: "The activation code is wrong (\(remaining) attempts left).")
        case .activationCodeUsed:
            l.pick(ja: "このアクティベーションコードは使用済みです。お取引店に再発行をご依頼ください。",
                   en: "This activation code has already been used. Please ask the bank for a new one.")
        case .activationCodeExpired:
            l.pick(ja: "アクティベーションコードの有効期限が切れています。お取引店に再発行をご依頼ください。",
                   en: "The activation code has expired. Please ask the bank for a new one.")
        case .activationCodeLocked:
            l.pick(ja: "アクティベーションコードの入力誤りが規定回数を超えたため利用できません。お取引店に再発行をご依頼ください。",
                   en: "The activation code is locked after too many wrong attempts. Please ask the bank for a new one.")
        case .csrNotDecodable:
            l.pick(ja: "証明書署名要求（CSR）を読み取れません。PEM または DER 形式の PKCS#10 を指定してください。",
                   en: "The certificate signing request cannot be read: give a PKCS#10 CSR in PEM or DER.")
        case .csrSignatureInvalid:
            l.pick(ja: "証明書署名要求（CSR）の署名が正しくありません。",
                   en: "The certificate signing request's signature does not verify.")
        case .keyTooWeak(let bits):
            l.pick(ja: "RSA \(bits) ビットの鍵は使用できません。RSA 2048/3072/4096 または ECDSA P-256/P-384 の鍵を作成してください。",
                   en: "An RSA \(bits)-bit key is not accepted: make an RSA 2048/3072/4096 or ECDSA P-256/P-384 key.")
        case .unsupportedKey(let what):
            l.pick(ja: "鍵の種類（\(what)）は使用できません。RSA 2048/3072/4096 または ECDSA P-256/P-384 の鍵を作成してください。",
                   en: "Key type \(what) is not accepted: make an RSA 2048/3072/4096 or ECDSA P-256/P-384 key.")
        case .caNotInitialised(let path):
            l.pick(ja: "\(path) に認証局がありません。先に `shomei init` を実行してください。",
                   en: "There is no CA in \(path): run `shomei init` first.")
        case .caPassphraseMissing:
            l.pick(ja: "認証局の秘密鍵のパスフレーズがありません。SHOMEI_CA_PASSPHRASE または SHOMEI_CA_PASSPHRASE_FILE を設定してください。",
                   en: "The CA key passphrase is missing: set SHOMEI_CA_PASSPHRASE or SHOMEI_CA_PASSPHRASE_FILE.")
        case .caPassphraseWrong:
            l.pick(ja: "認証局の秘密鍵を復号できません。パスフレーズが正しくありません。",
                   en: "The CA key cannot be decrypted: the passphrase is wrong.")
        case .dataFolderExists(let path):
            l.pick(ja: "\(path) には既に認証局があります。", en: "\(path) already holds a CA.")
        case .invalidConfiguration(let what):
            l.pick(ja: "設定が正しくありません: \(what)", en: "The configuration is not valid: \(what)")
        case .token(let problem):
            tokenProblem(problem, l)
        case .invalidPolicy(let what):
            l.pick(ja: "証明書のライフサイクル設定が正しくありません: \(what)",
                   en: "The certificate lifecycle policy is not valid: \(what)")
        case .invalidDate(let value):
            l.pick(ja: "日付「\(value)」は正しくありません。YYYY-MM-DD 形式で入力してください。",
                   en: "Date \"\(value)\" is not valid: use YYYY-MM-DD.")
        case .renewalNotAllowed(let state):
            l.pick(ja: "電子証明書の更新は有効期限前の更新期間中に行えます。\(stateHint(state, l))",
                   en: "A certificate can be renewed only in its renewal window before expiry. \(stateHint(state, l))")
        case .reacquisitionNotAllowed(let state):
            l.pick(ja: "電子証明書の再取得はできません。\(stateHint(state, l))",
                   en: "The certificate cannot be re-acquired. \(stateHint(state, l))")
        case .keyReused:
            l.pick(ja: "この鍵は以前の電子証明書で使用されています。新しい鍵を作成して申請してください。",
                   en: "This key was used in an earlier certificate. Make a new key and apply again.")
        case .keyInUse:
            l.pick(ja: "この鍵は他の利用者の電子証明書で使用されているため使用できません。新しい鍵を作成して申請してください。",
                   en: "This key is in another user's certificate and cannot be used. Make a new key and apply again.")
        case .keyCompromised:
            l.pick(ja: "この鍵は漏えいのため失効した電子証明書の鍵であり、使用できません。新しい鍵を作成して申請してください。",
                   en: "This key belongs to a certificate revoked because the key was compromised; it can never be used again. Make a new key.")
        case .issuanceContended:
            l.pick(ja: "同じ利用者の電子証明書の発行が同時に重なったため、発行できませんでした。しばらくしてから再度お試しください。",
                   en: "Other certificates were being issued for the same user at the same time, so none was issued. Please try again shortly.")
        case .requestContentTypeWrong(let expected):
            l.pick(ja: "Content-Type は \(expected) を指定してください。", en: "Content-Type must be \(expected).")
        case .storageMediumUnknown(let value):
            l.pick(ja: "保存先「\(value)」は pc（パソコン）または usb（専用USB）を指定してください。",
                   en: "Storage medium \"\(value)\" must be pc or usb.")
        case .credentialsRequired:
            l.pick(ja: "ご契約先ID/利用者ID とパスワードで認証してください。",
                   en: "Authenticate with <contract ID>/<user ID> and password.")
        case .clientCertificateRequired:
            l.pick(ja: "電子証明書の更新には、現在ご利用中の電子証明書が必要です。",
                   en: "Renewal needs the current certificate as the TLS client certificate.")
        case .certificateNotAccepted(let refusal):
            certificateRefusalText(refusal, l)
        case .certificateLoginRequired:
            l.pick(ja: "ご契約先は電子証明書方式でご利用いただいています。電子証明書を取得したパソコンから「電子証明書方式 利用者ログイン」でログインしてください。電子証明書をお持ちでない場合は「電子証明書発行」から取得してください。",
                   en: "Your contract uses certificate login: log in from the PC holding your certificate. Without one, use Issue certificate.")
        case .sessionEnded(let end):
            sessionEndText(end, l)
        case .csrfTokenInvalid:
            l.pick(ja: "画面の有効期限が切れたか、正しくない操作が行われました。もう一度最初から操作してください。",
                   en: "The page has expired or the request was not made from it. Please start again.")
        case .formFieldMissing(let field):
            l.pick(ja: "「\(field)」を入力してください。", en: "Please enter \(field).")
        case .applicationActionNotAllowed(_, let status):
            l.pick(ja: "この申込は現在の状態（\(status.map { applicationStatusText($0, l) } ?? "未作成")）では、その操作はできません。",
                   en: "This application cannot do that in its current status (\(status.map { applicationStatusText($0, l) } ?? "not created")).")
        case .bankCommentRequired:
            l.pick(ja: "再提出要とする場合は、お客様へのコメントを入力してください。",
                   en: "Returning an application for resubmission needs a comment for the customer.")
        case .applicationInvalid(let problems):
            l.pick(ja: "入力内容に誤りがあります（\(problems.count)件）。", en: "Please correct the answers (\(problems.count) problems).")
        case .applicationNotFound(let id):
            l.pick(ja: "申込 \(id) はありません。", en: "There is no application \(id).")
        case .applicationTypeUnavailable(let id):
            l.pick(ja: "申込業務 \(id) は現在お取り扱いしていません。", en: "Application type \(id) is not offered yet.")
        case .loginMethodAlreadyInUse(let method):
            l.pick(ja: "このご契約先の本人確認方式はすでに「\(Label.loginMethodName(method).text(l))」です。受付できません。再提出要としてお客様にお知らせください。",
                   en: "This contract already uses \(Label.loginMethodName(method).text(l)): the application cannot be accepted. Return it to the customer.")
        case .loginMethodChangePending(let id):
            l.pick(ja: "このご契約先には、受付済でまだ実施されていない本人確認方式の変更（申込 \(id)）があります。実施後にあらためて判断してください。",
                   en: "Application \(id) of this contract, already accepted, will change its login method and has not been carried out yet: decide after it has.")
        case .invalidStaffID(let id):
            l.pick(ja: "職員ID「\(id)」は使用できません。半角英数字と . _ - の1〜32文字で入力してください。",
                   en: "Staff ID \"\(id)\" is not allowed: use 1 to 32 ASCII letters, digits, '.', '_' or '-'.")
        case .staffExists(let id):
            l.pick(ja: "職員ID \(id) は既に登録されています。", en: "Staff ID \(id) is already registered.")
        case .staffNotFound(let id):
            l.pick(ja: "職員ID \(id) は登録されていません。", en: "Staff ID \(id) is not registered.")
        case .characterNotAllowed(let character):
            l.pick(ja: "入力に使用できない文字（\(character)）が含まれています。取り除いてから入力し直してください。",
                   en: "The text holds a character that cannot be used (\(character)). Remove it and try again.")
        case .formNotDecodable:
            l.pick(ja: "送信された内容を読み取れませんでした。画面から入力し直してください。", en: "The form could not be read. Please fill it in again from the page.")
        case .fileUnreadable(let path):
            l.pick(ja: "ファイル \(path) を読み込めません（存在しないか、読み取りの権限がありません）。", en: "Cannot read the file \(path) (missing, or no permission to read it).")
        case .requestTooLarge(let maximum):
            l.pick(ja: "送信されたデータが大きすぎます（上限 \(maximum / 1024) KiB）。", en: "The request is too large (at most \(maximum / 1024) KiB).")
        case .serviceUnavailable:
            l.pick(ja: "ただいま一時的にご利用いただけません。しばらくしてからもう一度お試しください（操作は行われていません）。",
                   en: "The service is briefly unavailable. Please try again in a moment (nothing was done).")
        case .internalError:
            l.pick(ja: "システムエラーが発生しました。しばらくしてからもう一度お試しください。解決しない場合はお取引店へご連絡ください。",
                   en: "A system error occurred. Please try again later; if it persists, contact your branch.")
        case .staffLoginFailed:
            l.pick(ja: "職員IDまたはパスワードが正しくありません。", en: "The staff ID or password is wrong.")
        case .staffLocked:
            l.pick(ja: "パスワードの入力誤りが規定回数を超えたため、このアカウントはロックされています。管理者に解除を依頼してください。",
                   en: "This account is locked after too many wrong passwords. Ask an administrator to unlock it.")
        case .staffNotPermitted:
            l.pick(ja: "この操作を行う権限がありません。", en: "Your role does not allow this.")
        case .administrationRefused(let refusal):
            Self.administrationRefusalText(refusal, l)
        case .confirmationPasswordNotSet:
            l.pick(ja: "確認用パスワードが登録されていません。マスターまたはお取引店にご依頼ください。",
                   en: "No confirmation password is set. Ask your master user or your branch.")
        case .confirmationPasswordWrong(let remaining):
            l.pick(ja: "確認用パスワードが正しくありません。あと\(remaining)回間違えるとロックされます。",
                   en: "The confirmation password is wrong. \(remaining) more wrong tries lock it.")
        case .confirmationPasswordLocked:
            l.pick(ja: "確認用パスワードがロックされています。お取引店にご連絡ください。",
                   en: "The confirmation password is locked. Please contact your branch.")
        case .confirmationPasswordSameAsLogin:
            l.pick(ja: "確認用パスワードには、ログインパスワードと異なるものを設定してください。",
                   en: "The confirmation password must differ from the login password.")
        case .administrationFormStale:
            l.pick(ja: "確認画面を表示した後に、この利用者の情報が変更されました。利用者一覧からやり直してください。",
                   en: "This user changed after the confirmation page was shown. Please start again from the user list.")
        case .passwordChangeRequired:
            l.pick(ja: "ログインパスワードを変更してからご利用ください。", en: "Please change your login password first.")
        case .pageNotFound:
            l.pick(ja: "お探しのページは見つかりません。メニューから操作してください。", en: "This page is not there. Please go on from the menu.")
        case .nothingChanged:
            l.pick(ja: "変更する項目がありません。変更後の内容を入力してください。", en: "Nothing is changed: enter the new details.")
        case .passwordUnchanged:
            l.pick(ja: "新しいパスワードには、現在のものと異なるパスワードを入力してください。",
                   en: "The new password must differ from the current one.")
        case .passwordRepeatMismatch:
            l.pick(ja: "新しいパスワードと確認のための再入力が一致しません。",
                   en: "The new password and its repetition differ.")
        case .fourEyesSamePerson:
            l.pick(ja: "依頼した本人は承認できません。別の承認者が承認してください。", en: "The requester cannot approve: another approver must.")
        case .directActionDecided:
            l.pick(ja: "この依頼は既に承認または却下されています。", en: "This request has already been decided.")
        case .directActionNotFound(let id):
            l.pick(ja: "依頼 \(id) はありません。", en: "There is no request \(id).")
        case .outboxMessageNotFound(let id):
            l.pick(ja: "送信待ちメール \(id) はありません。", en: "There is no outbox message \(id).")
        case .apiTokenInvalid:
            l.pick(ja: "APIクライアントのトークンがないか、正しくないか、無効にされています。", en: "The API client's token is missing, wrong or revoked.")
        case .apiScopeMissing(let scope):
            l.pick(ja: "このAPIクライアントには権限「\(scope.rawValue)」がありません。", en: "This API client lacks the scope \(scope.rawValue).")
        case .invalidAPIClientName(let name):
            l.pick(ja: "APIクライアント名「\(name)」は使用できません。半角英数字・「.」「_」「-」1〜64文字で指定してください。",
                   en: "API client name \"\(name)\" is not allowed: use 1 to 64 ASCII letters, digits, '.', '_' or '-'.")
        case .unknownAPIScope(let scope):
            l.pick(ja: "権限「\(scope)」はありません（\(APIScope.allCases.map(\.rawValue).joined(separator: ", "))）。",
                   en: "There is no scope \"\(scope)\" (\(APIScope.allCases.map(\.rawValue).joined(separator: ", "))).")
        case .apiClientExists(let name):
            l.pick(ja: "APIクライアント「\(name)」は既に登録されています。", en: "API client \"\(name)\" already exists.")
        case .apiClientNotFound(let name):
            l.pick(ja: "APIクライアント「\(name)」はありません。", en: "There is no API client \"\(name)\".")
        case .apiOperationNotFound(let method, let path):
            l.pick(ja: "API に「\(method) \(path)」の操作はありません。/api/v1/openapi.yaml をご確認ください。",
                   en: "The API has no operation \(method) \(path): see /api/v1/openapi.yaml.")
        case .apiMethodNotAllowed(let method, let path, let allowed):
            l.pick(ja: "API の「\(path)」は \(method) では操作できません（使用できるのは \(allowed.joined(separator: "・")) です）。",
                   en: "The API's \(path) does not take \(method); it takes \(allowed.joined(separator: ", ")).")
        case .idempotencyKeyReused:
            l.pick(ja: "この Idempotency-Key は別の内容の要求で使用済みです。", en: "This Idempotency-Key was used with a different request.")
        case .idempotencyKeyInFlight:
            l.pick(ja: "この Idempotency-Key の要求を処理中です。しばらくしてから同じ要求をもう一度送信してください。",
                   en: "The request with this Idempotency-Key is still being processed. Send it again in a moment.")
        case .requestBodyInvalid(let place):
            l.pick(ja: "送信された内容を読み取れません（\(place)）。", en: "The request body cannot be read (\(place)).")
        case .requestParameterInvalid(let name):
            l.pick(ja: "パラメータ「\(name)」の値が正しくありません。", en: "The parameter \(name) has a value that is not allowed.")
        case .tooManyRows(let maximum):
            l.pick(ja: "一度に登録できるのは\(maximum)件までです。", en: "At most \(maximum) rows can be sent at once.")
        case .userNotDisabled(let key):
            l.pick(ja: "利用者 \(key) は利用停止中ではありません。", en: "User \(key) is not stopped.")
        }
    }

    private static func certificateRefusalText(_ refusal: CertificateRefusal, _ l: Language) -> String {
        switch refusal {
        case .unknown:
            l.pick(ja: "この電子証明書は登録されていません。当金庫が発行した電子証明書を選択してください。",
                   en: "This certificate is not registered: choose the certificate the bank issued to you.")
        case .superseded:
            l.pick(ja: "この電子証明書は新しい電子証明書の発行により失効しています。新しい電子証明書を選択してログインしてください。",
                   en: "This certificate was replaced by a newer one: choose the new certificate to log in.")
        case .lifecycle(.expiredReacquirable, let until?):
            l.pick(ja: "電子証明書の有効期限が切れているため、ログインできません。ログイン画面の「電子証明書取得」から、\(TokyoTime.formatForCustomer(until, l))までに新しい電子証明書を取得してください。",
                   en: "The certificate has expired, so you cannot log in. Obtain a new one with Obtain certificate on the login screen by \(TokyoTime.formatForCustomer(until, l)).")
        case .lifecycle(let state, _):
            l.pick(ja: "この電子証明書ではログインできません。", en: "This certificate cannot be used to log in. ") + stateHint(state, l)
        }
    }

    private static func sessionEndText(_ end: SessionEnd, _ l: Language) -> String {
        switch end {
        case .idleTimeout:
            l.pick(ja: "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。",
                   en: "You were logged out after a period without activity. Please log in again.")
        case .absoluteTimeout:
            l.pick(ja: "ログインから一定時間が経過したため、ログアウトしました。もう一度ログインしてください。",
                   en: "Your session reached its maximum length. Please log in again.")
        case .loggedOut:
            l.pick(ja: "ログアウトしました。", en: "You have logged out.")
        case .certificateChanged:
            l.pick(ja: "電子証明書が変更されたか失効したため、ログアウトしました。もう一度ログインしてください。",
                   en: "Your certificate changed or was revoked, so you were logged out. Please log in again.")
        }
    }

    /// What the user should do, by lifecycle state: the wording every refusal shares.
    private static func stateHint(_ state: LifecycleStatus.State, _ l: Language) -> String {
        switch state {
        case .noCertificate:
            l.pick(ja: "電子証明書が発行されていません。ログイン画面の「電子証明書発行」から発行してください。",
                   en: "No certificate has been issued: use Issue certificate on the login screen.")
        case .valid:
            l.pick(ja: "現在の電子証明書は有効です。", en: "The current certificate is valid.")
        case .renewalWindow:
            l.pick(ja: "現在の電子証明書は更新期間中です。ログイン後に「証明書更新」から更新してください。",
                   en: "The current certificate is in its renewal window: log in and renew it.")
        case .expiredReacquirable:
            l.pick(ja: "電子証明書の有効期限が切れています。ログイン画面の「電子証明書取得」から再取得してください。",
                   en: "The certificate has expired: re-acquire it with Obtain certificate on the login screen.")
        case .reissueRequired:
            l.pick(ja: "有効期限後の再取得期間を過ぎたため再取得できません。お取引店に電子証明書の再発行をご依頼ください。",
                   en: "More than the grace period has passed since expiry: please ask the bank to re-issue the certificate.")
        case .revoked:
            l.pick(ja: "電子証明書は失効しています。お取引店に電子証明書の再発行をご依頼ください。",
                   en: "The certificate has been revoked: please ask the bank to re-issue it.")
        }
    }
}
