import Foundation

#if SHOMEI_LIBFUZZER
import LibFuzzerDriver

/// The target `SHOMEI_FUZZ_TARGET` names, chosen once.
private let selected: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["SHOMEI_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all[name] else {
        fatalError("set SHOMEI_FUZZ_TARGET to one of: \(FuzzTargets.all.keys.sorted().joined(separator: ", "))")
    }
    return target
}()

/// One input through the selected target (also exported under libFuzzer's name, which its
/// runtime references).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    selected(start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}

/// Under libFuzzer (`Tools/fuzz.sh` builds it: AddressSanitizer, coverage, -DSHOMEI_LIBFUZZER):
/// libFuzzer's command line, corpus folders and flags, driven from Swift's entry point.
@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOneInput($0, $1) })
    }
}
#else
/// Without libFuzzer: replays every file of `Fuzz/Corpus/<target>/` through its target, so the
/// corpus (seeds and what the fuzzer found) stays a regression suite in every build.
///
///     swift run ShomeiFuzz Fuzz/Corpus
@main
enum CorpusReplay {
    static func main() throws {
        let corpus = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "Fuzz/Corpus")
        var replayed = 0
        for (name, target) in FuzzTargets.all.sorted(by: { $0.key < $1.key }) {
            let folder = corpus.appendingPathComponent(name)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                target(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
                replayed += 1
            }
        }
        print("replayed \(replayed) inputs through \(FuzzTargets.all.count) targets")
    }
}
#endif
