import Foundation
import ShomeiDomain
import ShomeiNotifications
import ShomeiPKI
import ShomeiRA
import ShomeiStorage
import ShomeiWeb

/// What every store-backed benchmark starts from: a CA, an RA with cheap bcrypt, users.
enum BenchSetup {
    static func registration(caKey: CAKeyAlgorithm, store: any Store) async throws -> (CAHierarchy, RegistrationAuthority) {
        let hierarchy = try CAHierarchy.create(
            .init(organization: "Bench Bank", rootName: "Bench Root", issuingName: "Bench Issuing",
                  rootKeyAlgorithm: caKey, issuingKeyAlgorithm: caKey), now: Date().addingTimeInterval(-60))
        let registration = RegistrationAuthority(
            store: store,
            authority: try CertificateAuthority(certificate: hierarchy.issuing, key: hierarchy.issuingKey,
                                                profile: ClientCertificateProfile(baseURL: "http://127.0.0.1:8080")),
            subjectTemplate: SubjectTemplate(organization: "Bench Bank", organizationalUnit: "Bench Issuing", bankCode: "0000"),
            composer: try await NoticeComposer.load(signature: BankSignature(bankName: "Bench Bank", contactLine: "0000")),
            hasher: SecretHasher(passwordCost: 4, codeCost: 4))
        return (hierarchy, registration)
    }

    /// The portal, console and EST around `registration`, as `shomei serve` builds them.
    static func pages(store: any Store, registration: RegistrationAuthority, publication: CAPublication) async throws -> ShomeiServer.Pages {
        let renderer = try await PageRenderer(bankName: "Bench Bank", contactLine: "0000")
        let sessions = PortalSessions(store: store, policy: SessionPolicy(), lifecyclePolicy: registration.lifecyclePolicy)
        let desk = ApplicationDesk(registration: registration, forms: try ApplicationFormFiles.load(bankFolder: nil), calendar: BankCalendar())
        let portal = Portal(
            registration: registration, sessions: sessions, queries: PortalQueries(store: store), desk: desk, pages: renderer,
            publication: publication, publicURL: "https://127.0.0.1")
        let console = BankConsole(
            staff: StaffAuthority(store: store, policy: SessionPolicy(), hasher: SecretHasher(passwordCost: 4, codeCost: 4)),
            registration: registration, desk: desk,
            fourEyes: FourEyesDesk(registration: registration), queries: ConsoleQueries(store: store), pages: renderer,
            portalURL: "https://127.0.0.1", publication: publication)
        return ShomeiServer.Pages(
            https: nil, proxied: nil, publication: publication, registration: registration, portal: portal, console: console,
            refusals: RefusedRequests(store: store), sessions: sessions)
    }

    /// `count` general users of contract BENCH, password `benchmark-password`.
    static func users(_ count: Int, registration: RegistrationAuthority) async throws -> [UserKey] {
        let contract = try ContractID("BENCH")
        _ = try await registration.addContract(id: contract, name: "Bench", actor: "bench")
        var users: [UserKey] = []
        for index in 0..<count {
            let key = UserKey(contractID: contract, userID: try UserID("U\(index)"))
            _ = try await registration.addUser(
                NewUser(key: key, name: "u", role: .general, email: try EmailAddress("u@example.jp"), password: "benchmark-password"),
                actor: "bench")
            users.append(key)
        }
        return users
    }

    /// `count` calls of `body(index)` from `concurrency` workers, each taking every
    /// `concurrency`-th index; calls per second.
    /// CPU time this process has used so far (user + system, all threads), in seconds: the
    /// cost of a phase on a machine whose other load moves the wall-clock rate.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func rate(count: Int, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: count, by: concurrency) { try await body(index) }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
