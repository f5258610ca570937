import Foundation
import ShomeiDomain
@testable import ShomeiStorage
import SQLKit
import Testing

/// Schema steps that carry data forward, run on rows the current code wrote, with the step's
/// column taken away again first (the database as the step before left it).
@Suite struct MigrationTests {
    /// Step 16: an application accepted before the effect was stored gets the one it had then,
    /// read from what the previous step kept (05's resolved targets); one never accepted gets none.
    @Test(arguments: TestBackend.available)
    func acceptedApplicationsGetTheEffectTheyWereAcceptedWith(_ backend: TestBackend) async throws {
        let world = try await ApplicationDeskTests.World(backend)
        let desk = world.desk
        let revocation = try await desk.submit(form: "05", answers: world.answers([("佐藤 花子", .general)]), id: nil, by: world.master)
        _ = try await desk.accept(id: revocation.id, by: world.staff, comment: nil)
        let method = try await desk.submit(form: "03", answers: ApplicationDeskTests.methodAnswers, id: nil, by: world.master)
        _ = try await desk.accept(id: method.id, by: world.staff, comment: nil)
        let pending = try await desk.submit(form: "05", answers: world.answers([("山田 太郎", .master)]), id: nil, by: world.master)

        try await world.ca.store.write { tx in
            let database = (tx as! SQLSession).database
            try await database.raw("ALTER TABLE applications DROP COLUMN effect").run()
            for statement in Migrations.acceptedEffects { try await database.raw("\(unsafeRaw: statement)").run() }
        }
        var effects: [FormDefinition.Effect?] = []
        for application in [revocation, method, pending] {
            effects.append(try await world.ca.store.read { try await $0.application(id: application.id) }?.effect)
        }
        #expect(effects == [.revokeCertificates, .changeLoginMethod, nil])
        world.clock.advance(6 * 86_400)
        #expect(Set(try await desk.runDueApplications().map(\.id)) == [revocation.id, method.id])
        try await world.ca.store.shutdown()
    }
}
