import CPKCS11
import ShomeiDomain
import ShomeiPKI
import Synchronization

/// Read-write sessions with one token, logged in with the user PIN. PKCS#11 allows one
/// operation at a time per session, so every call holds one session's lock; a `TokenSession`
/// opened with several (`sessions`) lets as many calls run at once — an HSM, and SoftHSM, signs
/// on every core (docs/BENCHMARKS.md) — as Boulder's pkcs11key pools sessions. A login and an
/// object handle belong to the application, not to one session: the user logged in is logged in
/// to every session of the application with that token, and visibility of an object through a
/// handle is the same among all of them (PKCS#11's own example of sessions finds an object
/// through one session and modifies it through another). So the sessions share the one login
/// and every handle found in any of them.
public final class TokenSession: Sendable {
    /// One PKCS#11 session and the lock that keeps it to one operation at a time.
    private final class Channel: Sendable {
        let handle: Mutex<CK_SESSION_HANDLE>
        init(_ handle: CK_SESSION_HANDLE) { self.handle = Mutex(handle) }
    }

    let module: PKCS11Module
    public let info: TokenInfo
    private let channels: [Channel]
    private let nextChannel = Atomic<Int>(0)

    /// How many sessions calls are shared among: `sessions` asked for, or fewer when the token
    /// would open no more (a USB token's few sessions, CKR_SESSION_COUNT).
    public var sessionCount: Int { channels.count }

    /// Opens a session with the token the URI names and logs in with `pin`, then up to
    /// `sessions - 1` more, which the login covers.
    public init(module: PKCS11Module, uri: TokenURI, pin: borrowing SecretPIN, sessions: Int = 1) throws(ShomeiError) {
        let (slot, info) = try module.slot(for: uri)
        guard !info.pinLocked else { throw .token(.pinLocked) }
        // A PIN the token cannot take is refused here: sent, it would count as a wrong one.
        guard info.pinLength.contains(pin.count) else { throw .token(.pinLength(info.pinLength)) }
        var session: CK_SESSION_HANDLE = 0
        try module.check(module.functions.pointee.C_OpenSession?(slot, CK_FLAGS(CKF_SERIAL_SESSION | CKF_RW_SESSION), nil, nil, &session))
        let rv = pin.withBytes { bytes in
            module.functions.pointee.C_Login?(session, CK_USER_TYPE(CKU_USER), UnsafeMutablePointer(mutating: bytes.baseAddress),
                                              CK_ULONG(bytes.count))
        }
        if let rv, rv != CKR_OK, rv != CKR_USER_ALREADY_LOGGED_IN {
            // The counter is read after the refusal: that is when the token has counted it.
            let tries = (try? module.tokenInfo(slot))?.pinTries ?? .unknown
            _ = module.functions.pointee.C_CloseSession?(session)
            throw .token(rv == CKR_PIN_LEN_RANGE ? .pinLength(info.pinLength) : ReturnValue.problem(rv, tries: tries))
        }
        var opened = [Channel(session)]
        while opened.count < sessions {
            var more: CK_SESSION_HANDLE = 0
            let rv = module.functions.pointee.C_OpenSession?(slot, CK_FLAGS(CKF_SERIAL_SESSION | CKF_RW_SESSION), nil, nil, &more)
            if rv == CKR_OK {
                opened.append(Channel(more))
                continue
            }
            // A token with fewer sessions to give is used with those; any other refusal stops here.
            if rv == CKR_SESSION_COUNT { break }
            for channel in opened { _ = channel.handle.withLock { module.functions.pointee.C_CloseSession?($0) } }
            throw .token(ReturnValue.problem(rv ?? CK_RV(CKR_GENERAL_ERROR)))
        }
        self.module = module
        self.info = info
        self.channels = opened
    }

    /// Only the sessions are closed: PKCS#11 login state belongs to the application, so a
    /// C_Logout here would log out every other session of this process on the token.
    deinit { close() }

    /// Closes the sessions now, once: sessions the token has ended are closed before new ones
    /// are opened, so their handles — which a restarted token may give the new sessions — are
    /// never closed again later. Calls on a closed session fail as `tokenAbsent`.
    public func close() {
        for channel in channels {
            let session = channel.handle.withLock { handle in
                defer { handle = CK_SESSION_HANDLE(CK_INVALID_HANDLE) }
                return handle
            }
            guard session != CK_SESSION_HANDLE(CK_INVALID_HANDLE) else { continue }
            _ = module.functions.pointee.C_CloseSession?(session)
        }
    }

    /// Runs `body` with the session handle, the session locked; a non-OK return value is thrown.
    func call(_ body: (UnsafeMutablePointer<CK_FUNCTION_LIST>, CK_SESSION_HANDLE) -> CK_RV?) throws(ShomeiError) {
        let rv = withSession { body(module.functions, $0) }
        try module.check(rv)
    }

    /// How long a caller tries for a busy session before it sleeps on a lock.
    static let spinLimit = Duration.microseconds(200)

    /// A free session, locked. A caller that finds them all busy — other requests' signatures,
    /// tens of microseconds — tries again for up to `spinLimit` before it sleeps on one (taken in
    /// turn): a sleeping waiter is woken by the kernel only some tens of microseconds after the
    /// unlock, and for those the session sits idle between two signatures (docs/BENCHMARKS.md:
    /// with two concurrent issuers on one session the token signed 73–74 % of its raw rate with a
    /// plain lock, 75–80 % spinning). The spin costs the waiter's core at most `spinLimit` per call.
    func withSession<Result>(_ body: (CK_SESSION_HANDLE) -> Result) -> Result {
        let deadline = ContinuousClock.now + Self.spinLimit
        repeat {
            for channel in channels {
                if let result = channel.handle.withLockIfAvailable({ body($0) }) { return result }
            }
        } while ContinuousClock.now < deadline
        let turn = nextChannel.wrappingAdd(1, ordering: .relaxed).oldValue
        return channels[turn % channels.count].handle.withLock { body($0) }
    }

    // MARK: Objects

    /// Every object matching `template` (all of its attributes).
    public func find(_ template: [Attribute]) throws(ShomeiError) -> [CK_OBJECT_HANDLE] {
        var found: [CK_OBJECT_HANDLE] = []
        var error: ShomeiError?
        withSession { session in
            let functions = module.functions.pointee
            let rv = Attribute.withTemplate(template) { functions.C_FindObjectsInit?(session, $0, $1) }
            guard rv == CKR_OK else { error = .token(ReturnValue.problem(rv ?? CK_RV(CKR_GENERAL_ERROR))); return }
            var batch = [CK_OBJECT_HANDLE](repeating: 0, count: 16)
            var count: CK_ULONG = 0
            repeat {
                let rv = functions.C_FindObjects?(session, &batch, CK_ULONG(batch.count), &count) ?? CK_RV(CKR_GENERAL_ERROR)
                guard rv == CKR_OK else {
                    // A search cut short (the token pulled out) is an error, never a shorter answer.
                    error = .token(ReturnValue.problem(rv))
                    break
                }
                found += batch.prefix(Int(count))
            } while count > 0
            _ = functions.C_FindObjectsFinal?(session)
        }
        if let error { throw error }
        return found
    }

    /// One attribute's value, or nil when the object does not have it or will not say (a
    /// sensitive key's CKA_VALUE).
    public func attribute(_ type: CK_ATTRIBUTE_TYPE, of object: CK_OBJECT_HANDLE) -> [UInt8]? {
        withSession { session -> [UInt8]? in
            let functions = module.functions.pointee
            var query = CK_ATTRIBUTE(type: type, pValue: nil, ulValueLen: 0)
            guard functions.C_GetAttributeValue?(session, object, &query, 1) == CKR_OK,
                  query.ulValueLen != CK_ULONG(bitPattern: -1) else { return nil }
            var value = [UInt8](repeating: 0, count: Int(query.ulValueLen))
            let rv = value.withUnsafeMutableBytes { buffer in
                var read = CK_ATTRIBUTE(type: type, pValue: buffer.baseAddress, ulValueLen: CK_ULONG(buffer.count))
                return functions.C_GetAttributeValue?(session, object, &read, 1)
            }
            return rv == CKR_OK ? value : nil
        }
    }

    /// Creates an object (a certificate) from `template`.
    @discardableResult
    public func create(_ template: [Attribute]) throws(ShomeiError) -> CK_OBJECT_HANDLE {
        var object: CK_OBJECT_HANDLE = 0
        try call { functions, session in
            Attribute.withTemplate(template) { functions.pointee.C_CreateObject?(session, $0, $1, &object) }
        }
        return object
    }

    public func destroy(_ object: CK_OBJECT_HANDLE) throws(ShomeiError) {
        try call { functions, session in functions.pointee.C_DestroyObject?(session, object) }
    }

    // MARK: Keys

    /// Makes a key pair on the token: the private half sensitive and not extractable, so it
    /// never leaves (CKA_SENSITIVE, !CKA_EXTRACTABLE), both halves labelled and sharing `id`.
    /// Every usage is set, not left to the token's defaults: the pair signs and verifies and does
    /// nothing else (no decrypt, unwrap or derive, as a CA's key policy and RFC 5280's single
    /// key usage want), and the public half is readable without a login. CKA_ALWAYS_AUTHENTICATE
    /// is left to the token (some refuse the attribute in a template); a token that sets it makes
    /// a pair `TokenKeyPair` refuses, and the pair is deleted again.
    public func generateKeyPair(_ type: ClientKeyType, label: String, id: [UInt8]) throws(ShomeiError) -> TokenKeyPair {
        let common: [Attribute] = [.bool(CKA_TOKEN, true), .text(CKA_LABEL, label), .bytes(CKA_ID, id), .bool(CKA_DERIVE, false)]
        var publicTemplate = common + [.bool(CKA_PRIVATE, false), .bool(CKA_VERIFY, true), .bool(CKA_ENCRYPT, false), .bool(CKA_WRAP, false)]
        let mechanism: CK_MECHANISM_TYPE
        switch type {
        case .p256, .p384:
            mechanism = CK_MECHANISM_TYPE(CKM_EC_KEY_PAIR_GEN)
            publicTemplate.append(.bytes(CKA_EC_PARAMS, type == .p256 ? TokenKeyPair.p256Parameters : TokenKeyPair.p384Parameters))
        case .rsa2048, .rsa3072, .rsa4096:
            mechanism = CK_MECHANISM_TYPE(CKM_RSA_PKCS_KEY_PAIR_GEN)
            let bits = type == .rsa2048 ? 2048 : type == .rsa3072 ? 3072 : 4096
            publicTemplate += [.ulong(CKA_MODULUS_BITS, CK_ULONG(bits)), .bytes(CKA_PUBLIC_EXPONENT, [0x01, 0x00, 0x01])]
        }
        let privateTemplate = common + [
            .bool(CKA_PRIVATE, true), .bool(CKA_SENSITIVE, true), .bool(CKA_EXTRACTABLE, false), .bool(CKA_SIGN, true),
            .bool(CKA_DECRYPT, false), .bool(CKA_UNWRAP, false),
        ]
        var publicKey: CK_OBJECT_HANDLE = 0, privateKey: CK_OBJECT_HANDLE = 0
        try call { functions, session in
            var generation = CK_MECHANISM(mechanism: mechanism, pParameter: nil, ulParameterLen: 0)
            return Attribute.withTemplate(publicTemplate) { publicAttributes, publicCount in
                Attribute.withTemplate(privateTemplate) { privateAttributes, privateCount in
                    functions.pointee.C_GenerateKeyPair?(
                        session, &generation, publicAttributes, publicCount, privateAttributes, privateCount, &publicKey, &privateKey)
                }
            }
        }
        do {
            return try TokenKeyPair(session: self, type: type, publicHandle: publicKey, privateHandle: privateKey, label: label, id: id)
        } catch {
            // A pair made but not usable (a public half that does not read) is not left behind.
            try? destroy(privateKey)
            try? destroy(publicKey)
            throw error
        }
    }

    /// Signs `data` with `key` by `mechanism` (the token hashes for RSA; for ECDSA `data` is the
    /// digest) into a buffer of `capacity` bytes, the length the key's signatures have. A token
    /// that wants more says so (CKR_BUFFER_TOO_SMALL with the length, the operation still
    /// active, PKCS#11 §5.2) and is asked once more with that length; the length query up front
    /// would cost every signature a second call.
    func sign(_ data: [UInt8], with key: CK_OBJECT_HANDLE, mechanism: CK_MECHANISM_TYPE, capacity: Int) throws(ShomeiError) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: capacity)
        var length = CK_ULONG(capacity)
        try call { functions, session in
            var chosen = CK_MECHANISM(mechanism: mechanism, pParameter: nil, ulParameterLen: 0)
            let started = functions.pointee.C_SignInit?(session, &chosen, key)
            guard started == CKR_OK else { return started }
            var input = data
            let signed = functions.pointee.C_Sign?(session, &input, CK_ULONG(input.count), &signature, &length)
            guard signed == CKR_BUFFER_TOO_SMALL, Int(length) > signature.count else { return signed }
            signature = [UInt8](repeating: 0, count: Int(length))
            return functions.pointee.C_Sign?(session, &input, CK_ULONG(input.count), &signature, &length)
        }
        return Array(signature.prefix(Int(length)))
    }
}
