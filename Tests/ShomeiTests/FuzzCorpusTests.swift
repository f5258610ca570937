import Foundation
import Testing

/// The fuzz corpus (seeds from real peers, and whatever the fuzzer found and was fixed) replayed
/// through every fuzz target in an ordinary build: each stays a regression test (Tools/fuzz.sh).
@Suite struct FuzzCorpusTests {
    @Test func everyCorpusInputRunsThroughItsTarget() throws {
        let binary = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("ShomeiFuzz").path
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/Corpus").standardized
        let files = FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String }.filter { $0.contains("/") } ?? []
        let replay = try run([binary, corpus.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("replayed \(files.count) inputs through 8 targets") && files.count >= 25, "\(replay.stdout)")
    }
}
