import Foundation
import ShomeiDomain
import Testing

@Suite struct DomainTests {
    @Test(arguments: ["TKYM140", "A", "12345678901234567890", "abcXYZ09"])
    func acceptsContractIDs(_ value: String) throws {
        #expect(try ContractID(value).rawValue == value)
    }

    @Test(arguments: ["", "123456789012345678901", "TKYM 140", "ＴＫＹＭ", "a-b", "../etc", "契約"])
    func refusesContractIDs(_ value: String) {
        #expect(throws: ShomeiError.invalidContractID(value)) { try ContractID(value) }
        #expect(throws: ShomeiError.invalidUserID(value)) { try UserID(value) }
    }

    @Test(arguments: ["taro@example.co.jp", "a.b+c@sub.example.com", "x_y@e-x.jp"])
    func acceptsEmail(_ value: String) throws {
        #expect(try EmailAddress(value).rawValue == value)
    }

    @Test(arguments: ["", "taro", "taro@", "@example.com", "taro@example", "ta ro@example.com", "a..b@example.com",
                      "taro@@example.com", "taro@-example.com", "太郎@example.jp", ".taro@example.com"])
    func refusesEmail(_ value: String) {
        #expect(throws: ShomeiError.invalidEmail(value)) { try EmailAddress(value) }
    }

    @Test func identifiersEncodeAsPlainStringsAndRevalidate() throws {
        let data = try JSONEncoder().encode(try ContractID("TKYM140"))
        #expect(String(decoding: data, as: UTF8.self) == "\"TKYM140\"")
        #expect(throws: ShomeiError.self) { try JSONDecoder().decode(ContractID.self, from: Data("\"bad id\"".utf8)) }
    }

    @Test func revocationReasonsParseByRFCNameAndRefuseHold() throws {
        #expect(try RevocationReason(rfcName: "keyCompromise") == .keyCompromise)
        #expect(try RevocationReason(rfcName: "cacompromise") == .caCompromise)
        #expect(RevocationReason.superseded.rawValue == 4)
        #expect(throws: ShomeiError.revocationReasonNotOffered(.certificateHold)) {
            try RevocationReason(rfcName: "certificateHold")
        }
        #expect(throws: ShomeiError.unknownRevocationReason("stolen")) { try RevocationReason(rfcName: "stolen") }
    }

    @Test func subjectTemplateMakesTheSeedsCommonName() throws {
        let template = SubjectTemplate(organization: "Bank", organizationalUnit: "CA", bankCode: "1403")
        let key = UserKey(contractID: try ContractID("TKYM140"), userID: try UserID("8054"))
        #expect(template.subject(for: key).commonName == "TKYM1408054 1403")
        var custom = template
        custom.commonName = "{bankCode}-{contract}-{user}"
        #expect(custom.subject(for: key).commonName == "1403-TKYM140-8054")
    }

    @Test func activationCodeReasonsInPriorityOrder() throws {
        let policy = ActivationCodePolicy(lifetimeSeconds: 100, maxAttempts: 3)
        let issued = Date(timeIntervalSince1970: 1_000_000)
        let key = UserKey(contractID: try ContractID("C"), userID: try UserID("U"))
        var code = ActivationCode(id: "1", owner: key, codeHash: "h", issuedAt: issued, expiresAt: issued.addingTimeInterval(100))
        #expect(code.unusableReason(at: issued.addingTimeInterval(99), policy: policy) == nil)
        #expect(code.unusableReason(at: issued.addingTimeInterval(100), policy: policy) == .activationCodeExpired)
        code.failedAttempts = 3
        #expect(code.unusableReason(at: issued, policy: policy) == .activationCodeLocked)
        code.usedAt = issued
        #expect(code.unusableReason(at: issued, policy: policy) == .activationCodeUsed)
    }

    @Test func serialsNormalise() throws {
        #expect(try SerialText.normalize("63:48:94:1E") == "6348941e")
        #expect(try SerialText.normalize(" 6348 941e ") == "6348941e")
        #expect(try SerialText.normalize("5:a:ff") == "050aff")
        #expect(throws: ShomeiError.invalidSerial("5::ff")) { try SerialText.normalize("5::ff") }
        #expect(throws: ShomeiError.invalidSerial("xyz")) { try SerialText.normalize("xyz") }
        #expect(throws: ShomeiError.invalidSerial("")) { try SerialText.normalize("") }
    }

    @Test func everyErrorHasBothLanguages() throws {
        let key = UserKey(contractID: try ContractID("C"), userID: try UserID("U"))
        let errors: [ShomeiError] = [
            .invalidContractID("x"), .userNotFound(key), .keyTooWeak(bits: 1024), .activationCodeWrong(remainingAttempts: 2),
            .caPassphraseWrong, .certificateAlreadyRevoked("ab"),
        ]
        for error in errors {
            let ja = error.message(.japanese), en = error.message(.english)
            #expect(ja != en && !ja.isEmpty && !en.isEmpty)
            #expect(ja.unicodeScalars.contains { $0.value > 0x3000 }, "Japanese text expected: \(ja)")
        }
        #expect(ShomeiError.keyTooWeak(bits: 1024).message(.english).contains("1024"))
        #expect(Language(locale: "ja_JP.UTF-8") == .japanese && Language(locale: "C.UTF-8") == .english)
    }
}
