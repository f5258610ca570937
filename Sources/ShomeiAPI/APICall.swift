import ShomeiDomain

/// Who is calling the bank API and in which language it wants refusals worded.
///
/// The generated handlers see only the operation's input, so the web layer's authentication
/// middleware hands the caller down as a task-local value (the pattern swift-openapi-generator
/// documents for request context); it is set for the one request's task and nothing else.
package struct APICall: Sendable {
    package let client: APIClient
    package let language: Language

    package init(client: APIClient, language: Language) {
        self.client = client
        self.language = language
    }

    @TaskLocal package static var current: APICall?

    /// The caller, if it holds `scope`. Every handler starts here.
    static func require(_ scope: APIScope) throws -> APICall {
        guard let call = current else { throw ShomeiError.apiTokenInvalid }
        try call.client.require(scope)
        return call
    }
}
