/// The one write that spans aggregates by design: an issuance supersedes the user's certificate,
/// stores the new one, spends the activation code, queues the mail and chains the audit entries.
public protocol IssuanceWrites: Sendable {
    /// Writes the prepared issuances whose expectations still hold (see `IssuanceWrite`), with a
    /// few multi-row statements; returns, for each, whether it is written (by this call, or by an
    /// earlier one whose answer was lost: a retry writes nothing twice). Takes at most
    /// `IssuanceWrite.maximumPerBatch`; `IssuanceBatcher` is the one caller.
    func record(_ issuances: [IssuanceWrite]) async throws -> [Bool]
}
