import CSV
import ShomeiDomain
import ShomeiRA

/// The bulk call's rows: read from JSON or CSV, each checked on its own, registered through the
/// registration authority's bulk path, and answered row by row.
struct BulkRegistration: Sendable {
    let registration: RegistrationAuthority

    static let maximumRows = 10_000
    /// 10,000 rows of the widest fields, with room to spare.
    static let maximumCSVBytes = 8 << 20
    static let csvColumns = ["userId", "name", "role", "email", "password", "language"]

    /// One row as read: the user to register, or why it cannot be.
    struct Row: Sendable {
        let userID: String?
        let user: Result<NewUser, ShomeiError>
    }

    static func rows(_ users: [Components.Schemas.BulkUser], contract: ContractID) -> [Row] {
        users.enumerated().map { index, row in
            let body = Components.Schemas.NewUser(
                userId: row.userId, name: row.name, role: row.role, email: row.email, password: row.password, language: row.language)
            return Row(userID: row.userId, user: Result { () throws(ShomeiError) in try newUser(body, contract: contract, pointer: "/\(index)") })
        }
    }

    /// RFC 4180 text whose first line names the columns (`csvColumns`, any order; password and
    /// language may be left out or empty).
    static func rows(csv text: String, contract: ContractID) throws -> [Row] {
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch { throw ShomeiError.requestBodyInvalid("CSV header") }
        let header = reader.headerRow ?? []
        for name in header where !csvColumns.contains(name) { throw ShomeiError.requestBodyInvalid("CSV column \(name)") }
        for name in csvColumns.prefix(4) where !header.contains(name) { throw ShomeiError.requestBodyInvalid("CSV column \(name)") }
        var rows: [Row] = []
        while let fields = reader.next() {
            guard fields.count == header.count else {
                rows.append(Row(userID: fields.first, user: .failure(.requestBodyInvalid("row \(rows.count + 1): \(fields.count) fields"))))
                continue
            }
            let value = Dictionary(uniqueKeysWithValues: zip(header, fields))
            rows.append(Row(userID: value["userId"], user: Result { () throws(ShomeiError) in
                try csvUser(value, contract: contract, row: rows.count + 1)
            }))
            guard rows.count <= maximumRows else { throw ShomeiError.tooManyRows(maximum: maximumRows) }
        }
        return rows
    }

    private static func csvUser(_ value: [String: String], contract: ContractID, row: Int) throws(ShomeiError) -> NewUser {
        let pointer = "row \(row)"
        guard let role = value["role"].flatMap(Components.Schemas.Role.init(rawValue:)) else { throw .requestBodyInvalid("\(pointer): role") }
        let language = try value["language"].flatMap { text throws(ShomeiError) -> Components.Schemas.Language? in
            guard !text.isEmpty else { return nil }
            guard let language = Components.Schemas.Language(rawValue: text) else { throw .requestBodyInvalid("\(pointer): language") }
            return language
        }
        let password = value["password"].flatMap { $0.isEmpty ? nil : $0 }
        return try newUser(
            .init(userId: value["userId"] ?? "", name: value["name"] ?? "", role: role, email: value["email"] ?? "",
                  password: password, language: language),
            contract: contract, pointer: pointer, separator: ": ")
    }

    /// The domain's new user from the document's; a bad field is refused naming it (a JSON
    /// pointer such as `/3/email`, or `row 3: email` for CSV).
    static func newUser(
        _ body: Components.Schemas.NewUser, contract: ContractID, pointer: String, separator: String = "/"
    ) throws(ShomeiError) -> NewUser {
        func field<T>(_ name: String, _ make: () throws(ShomeiError) -> T) throws(ShomeiError) -> T {
            do { return try make() } catch { throw .requestBodyInvalid("\(pointer)\(separator)\(name)") }
        }
        let user = try field("userId") { () throws(ShomeiError) in try UserID(body.userId) }
        let email = try field("email") { () throws(ShomeiError) in try EmailAddress(body.email) }
        let name = try field("name") { () throws(ShomeiError) in try DisplayName.checked(body.name) }
        if let password = body.password { try field("password") { () throws(ShomeiError) in try NewUser.checkPassword(password) } }
        return NewUser(
            key: UserKey(contractID: contract, userID: user), name: name, role: Role(body.role), email: email,
            password: body.password, language: body.language.flatMap { Language(rawValue: $0.rawValue) } ?? .japanese)
    }

    /// Registers the rows that read well (of a contract that exists); the answer keeps the rows' order, a repeated user ID
    /// within the request refused like one that exists.
    func register(_ rows: [Row], in contract: ContractID, actor: String, language: Language) async throws -> Components.Schemas.BulkResult {
        guard rows.count <= Self.maximumRows else { throw ShomeiError.tooManyRows(maximum: Self.maximumRows) }
        let valid = rows.enumerated().compactMap { index, row in (try? row.user.get()).map { (index, $0) } }
        let registered = await registration.addUsers(valid.map(\.1), actor: actor)
        var outcome = [Int: RegistrationAuthority.RegisteredUser]()
        for ((index, _), result) in zip(valid, registered) { outcome[index] = result }
        let answers = rows.enumerated().map { index, row -> Components.Schemas.BulkRow in
            let result: Result<String?, ShomeiError> = switch (row.user, outcome[index]) {
            case (.failure(let error), _): .failure(error)
            case (_, .failure(let error)?): .failure(error)
            case (_, .success(let made)?): .success(made.generatedPassword)
            case (.success, nil): .failure(.internalError)
            }
            switch result {
            case .success(let password):
                return .init(row: index + 1, userId: row.userID, outcome: .created, initialPassword: password)
            case .failure(let error):
                return .init(row: index + 1, userId: row.userID, outcome: .refused, code: error.name, detail: error.message(language))
            }
        }
        let created = answers.filter { $0.outcome == .created }.count
        return .init(created: created, refused: answers.count - created, rows: answers)
    }
}
