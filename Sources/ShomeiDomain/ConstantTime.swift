/// Comparison of secrets (CSRF tokens, session tokens) whose running time does not depend on
/// where the first difference is, so a remote caller cannot find a token byte by byte.
public enum ConstantTime {
    public static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
