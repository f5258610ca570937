/// The lockout rule (SPEC §4), for every secret a person types: the login password, the
/// console password and the activation code each allow `maxAttempts` wrong tries in a row, and
/// the wrong try that reaches the limit locks the holder (or kills the code) until the bank acts.
///
/// A try is counted before its secret is checked, so tries sent at once each hold one of the
/// remaining ones: however many arrive together, no more than `maxAttempts` are ever checked.
public struct Lockout: Sendable, Equatable {
    public let maxAttempts: Int

    public init(maxAttempts: Int) {
        self.maxAttempts = maxAttempts
    }

    /// Whether a try may be checked when `taken` tries are counted, this one and every one in
    /// flight included; a try beyond the limit waits for the others to finish.
    public func admits(taken: Int) -> Bool { taken <= maxAttempts }

    /// What the `taken`-th wrong try in a row leaves: the tries remaining, or nil when it was the
    /// last one and the holder is now locked.
    public func remaining(afterWrong taken: Int) -> Int? {
        taken < maxAttempts ? maxAttempts - taken : nil
    }
}
