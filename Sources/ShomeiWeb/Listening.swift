#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import ServiceLifecycle
import ShomeiDomain

/// Where a listener of `ShomeiServer` listens, and which setting chooses it: a bind the system
/// refuses — the port taken by another program, an address that is not this host's, a port
/// below 1024 without the privilege — is the operator's configuration to fix, said with the
/// address and the setting (exit 7), not NIO's raw `IOError` (which `serve` printed with exit 1).
struct ListenAddress: Sendable {
    let host: String
    let port: Int
    /// The options and settings that choose this address, for the message (`--https-port, server.httpsPort`).
    let setting: String

    /// Runs `body` (a listener: binds, then serves until shutdown), the system's refusals of the
    /// address said as configuration errors.
    func listening(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as IOError {
            guard let reason = refusal(errno: error.errnoCode) else { throw error }
            throw ShomeiError.invalidConfiguration("cannot listen on \(host):\(port): \(reason) (\(setting))")
        } catch is SocketAddressError.UnknownHost {
            throw ShomeiError.invalidConfiguration("cannot listen on \(host):\(port): \(host) is not an address this host can resolve (\(setting))")
        }
    }

    private func refusal(errno: Int32) -> String? {
        switch errno {
        case EADDRINUSE: "the port is already in use by another program: stop it or choose another port"
        case EACCES: "this process may not listen on the port (below 1024 it needs privileges): choose another port"
        case EADDRNOTAVAIL: "\(host) is not an address of this host"
        default: nil
        }
    }
}

/// A listener service whose bind refusals `ListenAddress` words.
struct Listener<Wrapped: Service>: Service {
    let address: ListenAddress
    let wrapped: Wrapped

    func run() async throws {
        try await address.listening { try await wrapped.run() }
    }
}
