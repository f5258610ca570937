import Foundation
@testable import ShomeiAPI
import ShomeiDomain
@testable import ShomeiRA
import ShomeiStorage
import Testing

/// The reads behind the bank API: the event feed's cursor and the risk view, on both databases.
@Suite struct IntegrationQueryTests {
    /// A retried JSON body whose members come in another order is the same request; another
    /// value, or a CSV body with its rows swapped, is not.
    @Test func anIdempotencyKeyMatchesTheSameJSONInAnyMemberOrder() {
        func print(_ body: String) -> String {
            IdempotencyKeeper.fingerprint(method: "POST", path: "/api/v1/contracts", body: Array(body.utf8))
        }
        let first = print(#"{"userId":"u1","name":"A","roles":[{"y":2,"x":3}]}"#)
        #expect(first == print(#"{ "roles": [{"x": 3, "y": 2}], "name": "A", "userId": "u1" }"#))
        #expect(first != print(#"{"userId":"u2","name":"A","roles":[{"y":2,"x":3}]}"#))
        #expect(first != print(#"{"userId":"u1","name":"A","roles":[{"y":3,"x":2}]}"#))
        #expect(print("userId,name\nu1,A\nu2,B\n") != print("userId,name\nu2,B\nu1,A\n"))
        #expect(IdempotencyKeeper.fingerprint(method: "POST", path: "/a", body: []) != IdempotencyKeeper.fingerprint(method: "PUT", path: "/a", body: []))
    }

    /// Every page of the feed from `cursor` until it says nothing newer has committed.
    static func readFeed(_ queries: IntegrationQueries, from cursor: Int64, limit: Int) async throws -> (events: [BankEvent], next: Int64) {
        var events: [BankEvent] = []
        var cursor = cursor
        while true {
            let page = try await queries.events(after: cursor, limit: limit)
            events += page.events
            #expect(page.events.count <= limit)
            if page.next == cursor { return (events, cursor) }
            cursor = page.next
        }
    }

    @Test(arguments: TestBackend.available)
    func theFeedCarriesEveryEntryOnceAcrossPagesWhileWritersCommit(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let queries = IntegrationQueries(store: ca.store, lifecyclePolicy: ca.lifecycle)
        _ = try await ca.addUser(user: "first")
        // A run of entries the feed does not carry, longer than a page looks at.
        for _ in 0..<40 {
            try await ca.registration.recordInitialisation(root: ca.hierarchy.root, issuing: ca.hierarchy.issuing, actor: "t")
        }
        // Writers commit while the feed is read, in small pages.
        let writers = Task {
            for index in 0..<30 {
                _ = try await ca.addUser(user: "w\(index)")
                if index % 3 == 0 {
                    try await ca.registration.recordInitialisation(root: ca.hierarchy.root, issuing: ca.hierarchy.issuing, actor: "t")
                }
            }
        }
        var (events, cursor) = try await Self.readFeed(queries, from: 0, limit: 3)
        try await writers.value
        let rest = try await Self.readFeed(queries, from: cursor, limit: 3)
        events += rest.events
        cursor = rest.next

        let trail = try await ca.store.read { try await $0.auditEvents(after: 0, limit: 10_000) }
        let carried = trail.filter { BankEvent.Kind.actions.contains($0.action) }
        #expect(events.map(\.cursor) == carried.map(\.sequence))
        #expect(events.map(\.actor) == carried.map(\.actor) && events.map(\.time) == carried.map(\.time))
        #expect(cursor == trail.last?.sequence)
        #expect(events.filter { $0.kind == .userAdded }.count == 31)
        #expect(try await queries.events(after: cursor, limit: 10).events.isEmpty)
    }

    @Test(arguments: TestBackend.available)
    func theRiskViewSaysHowTheCurrentCertificateWasObtained(_ backend: TestBackend) async throws {
        let ca = try await TestCA(store: try await backend.makeStore())
        let queries = IntegrationQueries(store: ca.store, lifecyclePolicy: ca.lifecycle)
        let key = try await ca.addUser()
        let none = try await queries.risk(of: key)
        #expect(none.status.state == .noCertificate && none.obtainedBy == nil && none.keyNewToUser == nil)

        let folder = TemporaryFolder()
        let direct = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: folder, name: "a"), medium: .pc, actor: "operator:t")
        let first = try await queries.risk(of: key)
        #expect(first.obtainedBy == .bankIssued && first.keyNewToUser == true && first.status.certificate?.serial == direct.record.serial)

        let (code, _) = try await ca.registration.issueActivationCode(for: key, actor: "api:core-banking")
        let redeemed = try await ca.registration.issueCertificate(
            for: key, password: TestCA.password, activationCode: code, csr: try OpenSSL.csr(OpenSSL.p256, in: folder, name: "b"), medium: .pc)
        let second = try await queries.risk(of: key)
        #expect(second.obtainedBy == .bankCode && second.codeIssuedBy == "api:core-banking")
        #expect(second.status.certificate?.serial == redeemed.record.serial && second.keyNewToUser == true)
        // The first certificate was superseded by the second: a revocation the view reports.
        #expect(second.lastRevocation != nil)

        // A later issuance without a code is not credited to the earlier redemption.
        _ = try await ca.registration.issueCertificate(
            for: key, csr: try OpenSSL.csr(OpenSSL.p256, in: folder, name: "c"), medium: .pc, actor: "operator:t")
        #expect(try await queries.risk(of: key).obtainedBy == .bankIssued)
        let unknown = UserKey(contractID: key.contractID, userID: try UserID("nobody"))
        await #expect(throws: ShomeiError.userNotFound(unknown)) { _ = try await queries.risk(of: unknown) }
    }

    @Test(arguments: [
        (nil, Language.japanese), ("en", .english), ("en-US,en;q=0.9", .english), ("fr, en;q=0.5, ja;q=0.8", .japanese),
        ("ja;q=0, en;q=0.1", .english), ("*", .japanese), ("EN-gb", .english), ("de", .japanese),
    ] as [(String?, Language)])
    func acceptLanguagePicksTheBestOfTheTwo(_ header: String?, _ expected: Language) {
        #expect(Language(acceptLanguage: header) == expected)
    }

    /// The document's enums and the domain's name the same values, so every mapping is total.
    @Test func everyDomainValueHasItsDocumentValue() {
        for role in Role.allCases { #expect(Components.Schemas.Role(rawValue: role.rawValue) != nil) }
        for state in LifecycleStatus.State.allCases { #expect(Components.Schemas.CertificateState(rawValue: state.rawValue) != nil) }
        for method in Contract.LoginMethod.allCases { #expect(Components.Schemas.LoginMethod(rawValue: method.rawValue) != nil) }
        for kind in BankEvent.Kind.allCases { #expect(Components.Schemas.Event._TypePayload(rawValue: kind.rawValue) != nil) }
        for medium in StorageMedium.allCases { #expect(Components.Schemas.Certificate.MediumPayload(rawValue: medium.rawValue) != nil) }
        for language in Language.allCases { #expect(Components.Schemas.Language(rawValue: language.rawValue) != nil) }
        for status in [User.Status.active, .disabled, .locked] { #expect(Components.Schemas.UserStatus(rawValue: status.rawValue) != nil) }
        for reason in Components.Schemas.Revocation.ReasonPayload.allCases {
            #expect((try? RevocationReason(rfcName: reason.rawValue))?.isOffered == true, "\(reason)")
        }
    }
}
