import Hummingbird
import ShomeiAPI
import ShomeiRA

/// The bank API on the HTTPS listener: its document at `/api/v1/openapi.yaml` for anyone, the
/// operations behind the gate (`APIGateMiddleware`).
public struct BankAPIEndpoints: Sendable {
    let routes: BankAPIRoutes
    let clients: APIClientRegistry
    let idempotency: IdempotencyKeeper

    public init(routes: BankAPIRoutes, clients: APIClientRegistry, idempotency: IdempotencyKeeper) {
        self.routes = routes
        self.clients = clients
        self.idempotency = idempotency
    }

    /// Adds the document and the operations; answers the operations (`UnknownPathMiddleware`).
    func add<Context: RequestContext>(to router: Router<Context>) throws -> APIOperations {
        let document = "\(BankAPIRoutes.pathPrefix)/openapi.yaml"
        router.get(.init(document)) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(bytes: BankAPIRoutes.document)))
        }
        let gated = router.group().add(middleware: APIGateMiddleware<Context>(clients: clients, idempotency: idempotency))
        var operations = try routes.register(on: gated)
        operations.record(.get, document)
        return operations
    }
}
