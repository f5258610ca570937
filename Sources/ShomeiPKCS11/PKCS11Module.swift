import CPKCS11
import ShomeiDomain
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A vendor's PKCS#11 module (SoftHSM, a USB token's driver, an HSM client), loaded with
/// `dlopen` and initialised for use from any thread (CKF_OS_LOCKING_OK).
///
/// `C_Initialize` and `C_Finalize` act on the whole process, so a module is loaded once per
/// process (`load`) and kept until it exits: two handles finalising each other's sessions is
/// what a per-call load would risk.
public final class PKCS11Module: @unchecked Sendable {
    private static let loaded = Mutex<[String: PKCS11Module]>([:])

    /// The module at `path`, loaded and initialised on first use.
    public static func load(_ path: String) throws(ShomeiError) -> PKCS11Module {
        try loaded.withLock { (modules) throws(ShomeiError) -> PKCS11Module in
            if let module = modules[path] { return module }
            let module = try PKCS11Module(path: path)
            modules[path] = module
            return module
        }
    }

    // @unchecked: `functions` and `handle` are written once in `init` and only read after; the
    // module itself was initialised with CKF_OS_LOCKING_OK, so calling it from any thread is
    // what PKCS#11 §5.4 allows. Per-session state is guarded by `TokenSession`.
    let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>
    private let handle: UnsafeMutableRawPointer
    /// False when something else in the process had initialised the module: then it is not ours to finalise.
    private let initialisedHere: Bool
    public let path: String

    private init(path: String) throws(ShomeiError) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { throw .token(.notAModule(path: path)) }
        guard let symbol = dlsym(handle, "C_GetFunctionList") else {
            dlclose(handle)
            throw .token(.notAModule(path: path))
        }
        let getFunctionList = unsafeBitCast(symbol, to: CK_C_GetFunctionList.self)
        var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
        guard getFunctionList(&list) == CKR_OK, let list, let initialize = list.pointee.C_Initialize else {
            dlclose(handle)
            throw .token(.notAModule(path: path))
        }
        var arguments = CK_C_INITIALIZE_ARGS()
        arguments.flags = CK_FLAGS(CKF_OS_LOCKING_OK)
        let rv = initialize(&arguments)
        guard rv == CKR_OK || rv == CKR_CRYPTOKI_ALREADY_INITIALIZED else {
            dlclose(handle)
            throw .token(ReturnValue.problem(rv))
        }
        self.handle = handle
        self.functions = list
        self.initialisedHere = rv == CKR_OK
        self.path = path
    }

    deinit {
        if initialisedHere { _ = functions.pointee.C_Finalize?(nil) }
        dlclose(handle)
    }

    /// The slot holding the token labelled `label` (and matching the URI's other token attributes).
    func slot(for uri: TokenURI) throws(ShomeiError) -> (slot: CK_SLOT_ID, info: TokenInfo) {
        let label = uri.token ?? ""
        var count: CK_ULONG = 0
        try check(functions.pointee.C_GetSlotList?(CK_BBOOL(1), nil, &count))
        var slots = [CK_SLOT_ID](repeating: 0, count: Int(count))
        try check(functions.pointee.C_GetSlotList?(CK_BBOOL(1), &slots, &count))
        var matching: [(CK_SLOT_ID, TokenInfo)] = []
        for slot in slots.prefix(Int(count)) {
            let info = try tokenInfo(slot)
            if info.matches(uri) { matching.append((slot, info)) }
        }
        guard let found = matching.first else { throw .token(.tokenAbsent(label: label)) }
        guard matching.count == 1 else { throw .token(.labelAmbiguous(label)) }
        return found
    }

    func tokenInfo(_ slot: CK_SLOT_ID) throws(ShomeiError) -> TokenInfo {
        var info = CK_TOKEN_INFO()
        try check(functions.pointee.C_GetTokenInfo?(slot, &info))
        return TokenInfo(info)
    }

    /// Turns a return value into the caller's error; a missing function is the module's fault.
    func check(_ rv: CK_RV?) throws(ShomeiError) {
        guard let rv else { throw .token(.unsupported("a function the module does not export")) }
        guard rv == CKR_OK else { throw .token(ReturnValue.problem(rv)) }
    }
}

/// What a token says about itself (CK_TOKEN_INFO), trimmed of its space padding.
public struct TokenInfo: Sendable, Equatable {
    public let label: String
    public let manufacturer: String
    public let model: String
    public let serial: String
    public let flags: CK_FLAGS
    /// The PIN lengths the token takes (ulMinPinLen…ulMaxPinLen); never less than one, and
    /// without an upper bound when the token gives none.
    public let pinLength: ClosedRange<Int>

    init(_ info: CK_TOKEN_INFO) {
        label = Self.text(info.label)
        manufacturer = Self.text(info.manufacturerID)
        model = Self.text(info.model)
        serial = Self.text(info.serialNumber)
        flags = info.flags
        let unavailable = CK_ULONG(bitPattern: -1)
        let shortest = info.ulMinPinLen == unavailable ? 1 : max(1, Int(info.ulMinPinLen))
        let longest = info.ulMaxPinLen == unavailable || info.ulMaxPinLen == 0 ? Int.max : Int(info.ulMaxPinLen)
        pinLength = shortest...max(shortest, longest)
    }

    func matches(_ uri: TokenURI) -> Bool {
        (uri.token.map { $0 == label } ?? true) && (uri.manufacturer.map { $0 == manufacturer } ?? true)
            && (uri.model.map { $0 == model } ?? true) && (uri.serial.map { $0 == serial } ?? true)
    }

    /// How close the user PIN is to locking, as the token reports it.
    public var pinTries: TokenProblem.PINTries {
        if flags & CK_FLAGS(CKF_USER_PIN_FINAL_TRY) != 0 { return .finalTry }
        if flags & CK_FLAGS(CKF_USER_PIN_COUNT_LOW) != 0 { return .low }
        return .unknown
    }

    public var pinLocked: Bool { flags & CK_FLAGS(CKF_USER_PIN_LOCKED) != 0 }

    /// PKCS#11 pads these fixed-size fields with spaces, without a terminating NUL.
    private static func text<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " ")
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
