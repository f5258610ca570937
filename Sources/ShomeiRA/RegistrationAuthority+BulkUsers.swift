import Foundation
import ShomeiDomain
import ShomeiStorage

extension RegistrationAuthority {
    /// What became of one row of a bulk registration.
    public typealias RegisteredUser = Result<(user: User, generatedPassword: String?), ShomeiError>

    /// Registers many users of one contract (the bank API's bulk call), each answered on its own.
    ///
    /// Every password is hashed first, in parallel on all of the hasher's threads and outside any
    /// transaction; the users are then written `chunkSize` at a time, one transaction per chunk,
    /// so the write lock is held for inserts only. Within a chunk a row that cannot be written (a
    /// user that exists) is refused and writes nothing; if a chunk's transaction fails as a
    /// whole, each of its rows is refused with that failure and the chunks before it stay.
    public func addUsers(_ requests: [NewUser], actor: String, chunkSize: Int = 500) async -> [RegisteredUser] {
        var results = await prepared(requests)
        for chunk in stride(from: 0, to: results.count, by: chunkSize).map({ $0..<min($0 + chunkSize, results.count) }) {
            let ready = chunk.compactMap { index in (try? results[index].get()).map { (index, $0.user) } }
            guard !ready.isEmpty else { continue }
            do {
                let refused = try await store.write { tx in try await Self.insert(ready, actor: actor, in: tx) }
                for (index, error) in refused { results[index] = .failure(error) }
            } catch {
                for (index, _) in ready { results[index] = .failure(error as? ShomeiError ?? .internalError) }
            }
        }
        return results
    }

    /// Each request's user with its password hashed, or why it is refused.
    private func prepared(_ requests: [NewUser]) async -> [RegisteredUser] {
        await withTaskGroup(of: (Int, RegisteredUser).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask {
                    do { return (index, .success(try await newUser(request))) } catch {
                        return (index, .failure(error as? ShomeiError ?? .internalError))
                    }
                }
            }
            var results: [(index: Int, result: RegisteredUser)] = []
            results.reserveCapacity(requests.count)
            for await result in group { results.append(result) }
            return results.sorted { $0.index < $1.index }.map(\.result)
        }
    }

    /// Inserts the chunk's users; returns the rows refused (their user exists already).
    private static func insert(
        _ users: [(index: Int, user: User)], actor: String, in tx: any StoreTransaction
    ) async throws -> [(Int, ShomeiError)] {
        var refused: [(Int, ShomeiError)] = []
        for (index, user) in users {
            do { try await insert(user, actor: actor, in: tx) } catch let error as ShomeiError where error == .userExists(user.key) {
                refused.append((index, error))
            }
        }
        return refused
    }
}
