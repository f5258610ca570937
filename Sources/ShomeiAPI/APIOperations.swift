import HTTPTypes
import OpenAPIRuntime

/// The bank API's operations as the generated code registers them: a method and a path
/// template (`/api/v1/contracts/{contractId}`) each. Hummingbird's router answers a listed path
/// asked with a method it does not take exactly as an unknown path; with this table the API
/// says 405 and which methods the path takes (RFC 9110 §15.5.6: `Allow`).
public struct APIOperations: Sendable {
    private var operations: [(method: HTTPRequest.Method, template: [Substring])] = []

    public init() {}

    /// The methods the document lists for `path`, in the document's order; empty when the
    /// router would not reach an operation's path. Components are split as the router splits
    /// them, and the router's node is chosen as it chooses it: a constant component before a
    /// parameter (`/users/bulk` is the bulk operation's path, POST, not a user's, GET and PATCH),
    /// and a node on the way to a longer path counts too — one with no methods, so a path that
    /// reaches only such a node is unknown, not 405.
    public func methods(at path: String) -> [HTTPRequest.Method] {
        let components = Self.components(path)
        let nodes = operations.filter { $0.template.count >= components.count }
            .map { (method: $0.template.count == components.count ? $0.method : nil, node: Array($0.template.prefix(components.count))) }
            .filter { Self.template($0.node, matches: components) }
        guard let chosen = nodes.map({ Self.parameterPositions($0.node) }).min(by: { $0.lexicographicallyPrecedes($1) }) else {
            return []
        }
        return nodes.filter { Self.parameterPositions($0.node) == chosen }.compactMap(\.method)
    }

    /// Notes an operation the router serves (the generated ones, and the document's own path).
    /// A GET is also a HEAD: the HTTPS router answers HEAD for every GET route
    /// (`autoGenerateHeadEndpoints`, RFC 9110 §9.3.2).
    public mutating func record(_ method: HTTPRequest.Method, _ path: String) {
        operations.append((method, Self.components(path)))
        if method == .get { operations.append((.head, Self.components(path))) }
    }

    private static func components(_ path: String) -> [Substring] {
        path.split(separator: "/")
    }

    /// A `{parameter}` component matches any one component; any other only itself.
    private static func template(_ template: [Substring], matches components: [Substring]) -> Bool {
        template.count == components.count && zip(template, components).allSatisfy { part, component in
            isParameter(part) || part == component
        }
    }

    /// Per component, 0 for a constant and 1 for a parameter: the lowest sequence is the most specific.
    private static func parameterPositions(_ template: [Substring]) -> [Int] {
        template.map { isParameter($0) ? 1 : 0 }
    }

    private static func isParameter(_ part: Substring) -> Bool {
        part.first == "{" && part.last == "}"
    }
}

/// Passes every registration on to the router and notes its operation in `operations`.
final class OperationRecorder: ServerTransport {
    private let router: any ServerTransport
    private(set) var operations = APIOperations()

    init(_ router: any ServerTransport) {
        self.router = router
    }

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        try router.register(handler, method: method, path: path)
        operations.record(method, path)
    }
}
