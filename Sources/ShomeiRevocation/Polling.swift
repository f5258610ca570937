/// Runs `tick` every `interval` until the task is cancelled. A failing tick (the database briefly
/// away) is reported and retried at the next one; what was last published keeps being served.
func poll(every interval: Duration, onError: (any Error) -> Void, _ tick: () async throws -> Void) async {
    while !Task.isCancelled {
        do { try await tick() } catch { onError(error) }
        try? await Task.sleep(for: interval)
    }
}
