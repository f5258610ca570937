import struct Foundation.Date
import ShomeiDomain

/// Customers' applications (各種申込) and their history.
public protocol ApplicationReads: Sendable {
    func application(id: String) async throws -> Application?
    /// A contract's applications (of one form, or all), most recently updated first.
    func applications(of contract: ContractID, form: String?) async throws -> [Application]
    /// The bank's inbox: applications of every contract matching `filter`, most recently updated
    /// first, with each contract's name (joined in SQL).
    func applications(matching filter: ApplicationFilter, limit: Int) async throws -> [ApplicationListing]
    /// Every status change of an application, oldest first.
    func applicationHistory(id: String) async throws -> [ApplicationHistoryEntry]
    /// Accepted applications whose effect is due at `now` and not yet carried out.
    func dueApplications(at now: Date, limit: Int) async throws -> [Application]
}

public protocol ApplicationWrites: ApplicationReads {
    func insert(_ application: Application) async throws
    /// Reads the application and keeps it locked until the transaction ends.
    func lockApplication(id: String) async throws -> Application?
    func update(_ application: Application) async throws
    /// Appends a history line after the application's last one (call with the application locked).
    func append(_ entry: ApplicationHistoryEntry) async throws
    /// Marks an accepted application carried out, only if nobody did yet; false when another
    /// node got there first (so its effect happens exactly once).
    func markCarriedOut(applicationID: String, at time: Date) async throws -> Bool
}
