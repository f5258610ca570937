import ShomeiDomain
import Testing

/// Who may take which 管理 action on whom (issue #17), as a table: actor role × target role ×
/// action, the actor's own account, another contract, and the bank's switches.
@Suite struct CustomerAdministrationTests {
    static let contract = try! ContractID("C1")
    static func key(_ user: String, contract: ContractID = contract) -> UserKey {
        UserKey(contractID: contract, userID: try! UserID(user))
    }

    /// Actor role → the target roles it may act on (every action, another user of the contract).
    static let mayActOn: [Role: Set<Role>] = [.master: [.admin, .general], .admin: [.general], .general: []]

    @Test(arguments: Role.allCases, Role.allCases)
    func rankDecidesForEveryActionOnAnotherUserOfTheContract(_ actorRole: Role, _ targetRole: Role) {
        for action in AdministrationAction.allCases {
            let refusal = CustomerAdministration.refusal(
                by: (Self.key("ACTOR"), actorRole), action, on: Self.key("TARGET"), role: targetRole, policy: .init())
            let expected: AdministrationRefusal? = actorRole == .general
                ? .notAdministrator : (Self.mayActOn[actorRole]!.contains(targetRole) ? nil : .outranked)
            #expect(refusal == expected, "\(actorRole) \(action) \(targetRole)")
        }
    }

    @Test(arguments: Role.allCases)
    func nobodyActsOnTheirOwnAccountOrOnAnotherContract(_ role: Role) {
        for action in AdministrationAction.allCases {
            let own = CustomerAdministration.refusal(by: (Self.key("U1"), role), action, on: Self.key("U1"), role: role, policy: .init())
            #expect(own == (role == .general ? .notAdministrator : .ownAccount), "\(role) \(action) on itself")
            let other = CustomerAdministration.refusal(
                by: (Self.key("U1"), role), action, on: Self.key("U2", contract: try! ContractID("C2")), role: .general, policy: .init())
            #expect(other == (role == .general ? .notAdministrator : .otherContract), "\(role) \(action) on another contract")
        }
    }

    /// Each switch turns off exactly its actions, for everyone, before any other rule is asked.
    @Test func theBanksSwitchesTurnOffTheirActionsOnly() {
        let switches: [(CustomerAdministrationPolicy, Set<AdministrationAction>)] = [
            (.init(immediateRevocation: false), [.revokeCertificate]),
            (.init(reissue: false), [.reissueCertificate]),
            (.init(userRegistration: false), [.registerUser, .deleteUser]),
            (.init(), []),
        ]
        for (policy, off) in switches {
            for action in AdministrationAction.allCases {
                let refusal = CustomerAdministration.refusal(by: (Self.key("M1"), .master), action, on: Self.key("G1"), role: .general, policy: policy)
                #expect(refusal == (off.contains(action) ? .notOffered : nil), "\(action) with \(policy)")
            }
        }
    }

    @Test func everyRefusalHasWordsInBothLanguages() {
        for refusal in AdministrationRefusal.allCases {
            let error = ShomeiError.administrationRefused(refusal)
            #expect(error.httpStatus == .forbidden)
            for language in [Language.japanese, .english] {
                #expect(!error.message(language).isEmpty && !error.message(language).contains("administrationRefused"))
            }
            #expect(error.message(.japanese) != error.message(.english))
        }
    }
}
