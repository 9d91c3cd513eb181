/// `Codable` to and from the `JSON` value, so every document is written by the one deterministic JSON
/// writer (`JSON.serialized`). Optionals are written as `null` (never left out): a report's shape does not
/// depend on what a host happened to have.
public enum JSONCoding {
    public static func encode<T: Encodable>(_ value: T) throws -> JSON {
        let enc = ValueEncoder(path: [])
        try value.encode(to: enc)
        return enc.box.value ?? .null
    }

    public static func decode<T: Decodable>(_ type: T.Type, from json: JSON) throws -> T {
        try T(from: ValueDecoder(json, path: []))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: try JSON.parse(text))
    }
}

/// A node of the tree being encoded; containers share it so nested writes land in place.
///
/// An object or array under construction is kept apart from `value` and changed in place (`_modify`):
/// taking it out of the `JSON` enum to append one element and putting it back would copy it every time,
/// which made a report of 70,000 files read quadratic (minutes in retain/release).
final class JSONBox {
    private enum Kind { case none, object, array, other }
    private var kind = Kind.none
    private var objectStorage: [String: JSON] = [:]
    private var arrayStorage: [JSON] = []
    private var other: JSON = .null

    init(_ v: JSON? = nil) { value = v }

    var value: JSON? {
        get {
            switch kind {
            case .none: return nil
            case .object: return .object(objectStorage)
            case .array: return .array(arrayStorage)
            case .other: return other
            }
        }
        set {
            objectStorage = [:]
            arrayStorage = []
            other = .null
            switch newValue {
            case nil: kind = .none
            case .object(let o)?: kind = .object; objectStorage = o
            case .array(let a)?: kind = .array; arrayStorage = a
            case let v?: kind = .other; other = v
            }
        }
    }

    var object: [String: JSON] {
        get { kind == .object ? objectStorage : [:] }
        _modify {
            if kind != .object { value = .object([:]) }
            yield &objectStorage
        }
    }

    var array: [JSON] {
        get { kind == .array ? arrayStorage : [] }
        _modify {
            if kind != .array { value = .array([]) }
            yield &arrayStorage
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

final class ValueEncoder: Encoder {
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] = [:]
    let box = JSONBox()

    init(path: [CodingKey]) { codingPath = path }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if box.value == nil { box.value = .object([:]) }
        return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if box.value == nil { box.value = .array([]) }
        return Unkeyed(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }

    static func encodeValue<T: Encodable>(_ v: T, path: [CodingKey]) throws -> JSON {
        switch v {
        case let s as String: return .string(s)
        case let b as Bool: return .bool(b)
        case let d as Double: return .double(d)
        case let i as Int: return .int(Int64(i))
        default:
            if let j = JSON.scalar(v) { return j }
            let e = ValueEncoder(path: path)
            try v.encode(to: e)
            return e.box.value ?? .null
        }
    }

    /// A keyed container; a nested one writes its object back into the parent after every change.
    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: JSONBox
        let codingPath: [CodingKey]
        var commit: () -> Void = {}

        mutating func set(_ key: Key, _ value: JSON) {
            box.object[key.stringValue] = value
            commit()
        }
        mutating func encodeNil(forKey key: Key) throws { set(key, .null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(key, try ValueEncoder.encodeValue(value, path: codingPath + [key]))
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        // The standard library's defaults for these leave the key out when nil: a report writes null.
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { set(key, value.map { .string($0) } ?? .null) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { set(key, value.map { .int(Int64($0)) } ?? .null) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { set(key, value.map { .double($0) } ?? .null) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { set(key, value.map { .bool($0) } ?? .null) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey> {
            let child = JSONBox(.object([:]))
            let parent = box
            let k = key.stringValue
            let up = commit
            set(key, .object([:]))
            return KeyedEncodingContainer(Keyed<NestedKey>(box: child, codingPath: codingPath + [key]) {
                parent.object[k] = child.value ?? .null
                up()
            })
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            fatalError("nested unkeyed containers are not used by report documents")
        }
        mutating func superEncoder() -> Encoder { ValueEncoder(path: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder { ValueEncoder(path: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: JSONBox
        let codingPath: [CodingKey]
        var count: Int { box.array.count }

        mutating func encodeNil() throws { box.array.append(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            box.array.append(try ValueEncoder.encodeValue(value, path: codingPath + [AnyKey(intValue: count)]))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey> {
            fatalError("nested containers in arrays are not used by report documents")
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            fatalError("nested containers in arrays are not used by report documents")
        }
        mutating func superEncoder() -> Encoder { ValueEncoder(path: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let box: JSONBox
        let codingPath: [CodingKey]
        mutating func encodeNil() throws { box.value = .null }
        mutating func encode<T: Encodable>(_ value: T) throws {
            box.value = try ValueEncoder.encodeValue(value, path: codingPath)
        }
    }
}

struct ValueDecoder: Decoder {
    let json: JSON
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ json: JSON, path: [CodingKey]) {
        self.json = json
        codingPath = path
    }

    static func where_(_ path: [CodingKey]) -> String {
        path.isEmpty ? "the document" : path.map(\.stringValue).joined(separator: ".")
    }

    func mismatch(_ what: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath,
                                      debugDescription: "\(ValueDecoder.where_(codingPath)): expected \(what)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let o) = json else { throw mismatch("an object") }
        return KeyedDecodingContainer(Keyed<Key>(o: o, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let a) = json else { throw mismatch("an array") }
        return Unkeyed(a: a, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(json: json, codingPath: codingPath) }

    static func decodeValue<T: Decodable>(_ type: T.Type, _ j: JSON, path: [CodingKey]) throws -> T {
        let d = ValueDecoder(j, path: path)
        if T.self == JSON.self { return j as! T }
        if T.self == String.self || T.self == Bool.self || T.self == Double.self || T.self == Int.self
            || T.self == Int64.self || T.self == UInt64.self || T.self == Int32.self || T.self == UInt32.self
            || T.self == UInt8.self || T.self == UInt16.self {
            return try Single(json: j, codingPath: path).decode(type)
        }
        return try T(from: d)
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let o: [String: JSON]
        let codingPath: [CodingKey]
        var allKeys: [Key] { o.keys.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { o[key.stringValue] != nil }
        func value(_ key: Key) throws -> JSON {
            guard let v = o[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                    debugDescription: "\(ValueDecoder.where_(codingPath + [key])): missing"))
            }
            return v
        }
        func decodeNil(forKey key: Key) throws -> Bool { (o[key.stringValue] ?? .null) == .null }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try ValueDecoder.decodeValue(type, try value(key), path: codingPath + [key])
        }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let v = o[key.stringValue], v != .null else { return nil }
            return try ValueDecoder.decodeValue(type, v, path: codingPath + [key])
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey> {
            try ValueDecoder(try value(key), path: codingPath + [key]).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            try ValueDecoder(try value(key), path: codingPath + [key]).unkeyedContainer()
        }
        func superDecoder() throws -> Decoder { ValueDecoder(.object(o), path: codingPath) }
        func superDecoder(forKey key: Key) throws -> Decoder {
            ValueDecoder(try value(key), path: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let a: [JSON]
        let codingPath: [CodingKey]
        var currentIndex = 0
        var count: Int? { a.count }
        var isAtEnd: Bool { currentIndex >= a.count }

        mutating func next() throws -> (JSON, [CodingKey]) {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath,
                    debugDescription: "\(ValueDecoder.where_(codingPath)): array too short"))
            }
            defer { currentIndex += 1 }
            return (a[currentIndex], codingPath + [AnyKey(intValue: currentIndex)])
        }
        mutating func decodeNil() throws -> Bool {
            if !isAtEnd, a[currentIndex] == .null { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (v, p) = try next()
            return try ValueDecoder.decodeValue(type, v, path: p)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey> {
            let (v, p) = try next()
            return try ValueDecoder(v, path: p).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            let (v, p) = try next()
            return try ValueDecoder(v, path: p).unkeyedContainer()
        }
        mutating func superDecoder() throws -> Decoder {
            let (v, p) = try next()
            return ValueDecoder(v, path: p)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let json: JSON
        let codingPath: [CodingKey]
        func fail(_ what: String) -> DecodingError {
            .typeMismatch(Any.self, .init(codingPath: codingPath,
                                          debugDescription: "\(ValueDecoder.where_(codingPath)): expected \(what)"))
        }
        func decodeNil() -> Bool { json == .null }
        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let b) = json else { throw fail("true or false") }
            return b
        }
        func decode(_ type: String.Type) throws -> String {
            guard case .string(let s) = json else { throw fail("a string") }
            return s
        }
        func decode(_ type: Double.Type) throws -> Double {
            switch json {
            case .double(let d): return d
            case .int(let i): return Double(i)
            case .uint(let u): return Double(u)
            default: throw fail("a number")
            }
        }
        func decode(_ type: Int64.Type) throws -> Int64 {
            switch json {
            case .int(let i): return i
            case .uint(let u): if let i = Int64(exactly: u) { return i }
            case .double(let d): if let i = Int64(exactly: d) { return i }
            default: break
            }
            throw fail("an integer")
        }
        func decode(_ type: UInt64.Type) throws -> UInt64 {
            switch json {
            case .uint(let u): return u
            case .int(let i): if let u = UInt64(exactly: i) { return u }
            case .double(let d): if let u = UInt64(exactly: d) { return u }
            default: break
            }
            throw fail("an unsigned integer")
        }
        func narrow<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            if case .uint(let u) = json, let v = I(exactly: u) { return v }
            guard let v = I(exactly: try decode(Int64.self)) else { throw fail("an integer in range") }
            return v
        }
        func decode(_ type: Int.Type) throws -> Int {
            guard let i = Int(exactly: try decode(Int64.self)) else { throw fail("an integer") }
            return i
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            switch type {
            case is Bool.Type: return try decode(Bool.self) as! T
            case is String.Type: return try decode(String.self) as! T
            case is Double.Type: return try decode(Double.self) as! T
            case is Int.Type: return try decode(Int.self) as! T
            case is Int64.Type: return try decode(Int64.self) as! T
            case is UInt64.Type: return try decode(UInt64.self) as! T
            case is Int32.Type: return try narrow(Int32.self) as! T
            case is UInt32.Type: return try narrow(UInt32.self) as! T
            case is Int16.Type: return try narrow(Int16.self) as! T
            case is UInt16.Type: return try narrow(UInt16.self) as! T
            case is Int8.Type: return try narrow(Int8.self) as! T
            case is UInt8.Type: return try narrow(UInt8.self) as! T
            case is UInt.Type: return try narrow(UInt.self) as! T
            case is Float.Type: return Float(try decode(Double.self)) as! T
            default: return try T(from: ValueDecoder(json, path: codingPath))
            }
        }
    }
}

extension JSON {
    /// The JSON number of a Swift integer or floating-point value (or a `JSON` value itself); nil for
    /// anything else. Both encoders (the tree one above and `TextEncoder`) box numbers through it.
    static func scalar(_ v: Any) -> JSON? {
        switch v {
        case let i as Int: return .int(Int64(i))
        case let d as Double: return .double(d)
        case let i as Int64: return .int(i)
        case let i as Int32: return .int(Int64(i))
        case let u as UInt64: return .uint(u)
        case let u as UInt32: return .int(Int64(u))
        case let u as UInt8: return .int(Int64(u))
        case let u as UInt16: return .int(Int64(u))
        case let i as Int16: return .int(Int64(i))
        case let i as Int8: return .int(Int64(i))
        case let f as Float: return .double(Double(f))
        case let u as UInt: return .uint(UInt64(u))
        case let j as JSON: return j
        default: return nil
        }
    }
}
