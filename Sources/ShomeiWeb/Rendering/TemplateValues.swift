/// Turns a page's typed view model into what the Mustache templates read — dictionaries, arrays,
/// booleans, integers, and strings already escaped for HTML (`HTMLText`) — so escaping happens
/// on the data, once, whatever a template writes. The templates render with the `TEXT` content
/// type (a test checks each one declares it), so nothing is escaped twice.
///
/// An optional that is nil is encoded as absent (`encodeIfPresent`), so `{{#error}}` sections
/// stay closed and hidden inputs for absent values are not written.
enum TemplateValues {
    static func encode(_ value: some Encodable) throws -> Any {
        let root = Slot()
        try value.encode(to: ValueEncoder(slot: root, codingPath: []))
        return root.resolved
    }
}

/// Where one encoded value goes; containers hold slots until the whole value is encoded.
private final class Slot {
    var value: Any = ""
    var keyed: [String: Slot]?
    var unkeyed: [Slot]?

    var resolved: Any {
        if let keyed { return keyed.mapValues(\.resolved) }
        if let unkeyed { return unkeyed.map(\.resolved) }
        return value
    }
}

private struct ValueEncoder: Encoder {
    let slot: Slot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.keyed == nil { slot.keyed = [:] }
        return KeyedEncodingContainer(Keyed(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.unkeyed == nil { slot.unkeyed = [] }
        return Unkeyed(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        Single(slot: slot, codingPath: codingPath)
    }
}

/// Stores a value in a slot: text escaped, booleans and integers as they are, anything else by
/// encoding it further.
private func store(_ value: some Encodable, in slot: Slot, codingPath: [any CodingKey]) throws {
    switch value {
    case let text as String: slot.value = HTMLText.escape(text)
    case let flag as Bool: slot.value = flag
    case let number as Int: slot.value = number
    case let number as Int64: slot.value = number
    default: try value.encode(to: ValueEncoder(slot: slot, codingPath: codingPath))
    }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey]

    func child(_ key: Key) -> Slot {
        let child = Slot()
        slot.keyed?[key.stringValue] = child
        return child
    }

    mutating func encodeNil(forKey key: Key) throws {}

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try store(value, in: child(key), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(slot: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(slot: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(slot: slot, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(slot: child(key), codingPath: codingPath + [key]) }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var count: Int { slot.unkeyed?.count ?? 0 }

    func next() -> Slot {
        let child = Slot()
        slot.unkeyed?.append(child)
        return child
    }

    mutating func encodeNil() throws {}

    mutating func encode(_ value: some Encodable) throws {
        try store(value, in: next(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(slot: next(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        ValueEncoder(slot: next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(slot: next(), codingPath: codingPath) }
}

private struct Single: SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws {}

    mutating func encode(_ value: some Encodable) throws {
        try store(value, in: slot, codingPath: codingPath)
    }
}
