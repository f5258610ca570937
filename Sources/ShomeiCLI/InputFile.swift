import Foundation
import ShomeiDomain

/// Every file a command reads (a CSR, a password file, a configuration, a CA certificate): `-`
/// is standard input, and any readable path works, pipes and process substitution
/// (`<(openssl req …)`) included, which `Data(contentsOf:)` refuses on Linux. A file that cannot
/// be read is `fileUnreadable`: one line in the operator's language and exit code 3, never a raw
/// Foundation error.
enum InputFile {
    static func data(_ path: String) throws(ShomeiError) -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .fileUnreadable(path) }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw .fileUnreadable(path)
        }
    }

    static func text(_ path: String) throws(ShomeiError) -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    /// A secret kept in a file: its first line, without the line break.
    static func secret(_ path: String) throws(ShomeiError) -> String {
        try text(path).trimmingCharacters(in: .newlines)
    }
}
