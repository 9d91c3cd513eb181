import Synchronization

/// `Encodable` straight to JSON text: `JSONCoding.serialize(v)` is `JSONCoding.encode(v).serialized()`, byte
/// for byte, without the `JSON` tree's dictionaries in between. The values are gathered in a light tree
/// (objects as key/value lists, sorted only when written) and written into one byte buffer: a report of
/// 10,000 files read is written in a few milliseconds instead of building 10,000 hashed dictionaries.
extension JSONCoding {
    public static func serialize<T: Encodable>(_ value: T, pretty: Bool = true, trailingNewline: Bool = true) throws -> String {
        let enc = TextEncoder(parent: nil, key: .none)
        try value.encode(to: enc)
        var w = JSONTextWriter(pretty: pretty, capacity: 1 << 16)
        w.write(enc.node.item, indent: 0)
        if pretty && trailingNewline { w.bytes.append(0x0A) }
        return w.text
    }

    /// The same text, handed to `sink` in pieces of about `chunk` bytes as it is written: a big document is
    /// never whole in memory (a piece may end inside a character; the pieces joined are the UTF-8 text).
    /// `keepingTree`: the document's tree is not freed after the write but kept until the process ends (a
    /// command whose last act is this write: freeing a big report's tree node by node took ~5 ms).
    public static func serialize<T: Encodable>(_ value: T, pretty: Bool = true, trailingNewline: Bool = true,
                                               chunk: Int = 1 << 16, keepingTree: Bool = false,
                                               to sink: (UnsafeRawBufferPointer) -> Void) throws {
        let enc = TextEncoder(parent: nil, key: .none)
        try value.encode(to: enc)
        if keepingTree { KeptUntilExit.keep(enc) }
        withoutActuallyEscaping(sink) { sink in
            var w = JSONTextWriter(pretty: pretty, chunk: chunk, sink: sink)
            w.write(enc.node.item, indent: 0)
            if pretty && trailingNewline { w.bytes.append(0x0A) }
            w.finish()
        }
    }
}

/// A type a report holds by the thousand (a file read) that `JSONCoding.serialize` writes without the
/// `Encodable` machinery: `jsonFields` gives, in any order, exactly the fields its `encode(to:)` writes
/// (nil as null where `encode(to:)` writes null; a field it leaves out, left out). `JSONCoding.encode` and
/// decoding still go through `Codable`; the tests hold both texts equal.
public protocol JSONRow: Encodable {
    func jsonFields(_ fields: inout JSONRowFields)
}

/// The fields of one `JSONRow`.
public struct JSONRowFields {
    var keys: [String] = []
    var values: [TextItem] = []

    init() {
        keys.reserveCapacity(8)
        values.reserveCapacity(8)
    }

    /// A string, or null.
    public mutating func string(_ key: String, _ value: String?) {
        keys.append(key)
        values.append(value.map { .string($0) } ?? .null)
    }

    /// An integer, or null.
    public mutating func int(_ key: String, _ value: Int?) {
        keys.append(key)
        values.append(value.map { .int(Int64($0)) } ?? .null)
    }
}

/// What an encoded value became: a scalar (kept unboxed: `JSON` is an indirect enum), a `JSON` value
/// encoded as such, or an object or array still being filled.
enum TextItem {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case value(JSON)
    case node(TextNode)
}

/// An object or array under construction (shared by the containers that write into it).
final class TextNode {
    enum Kind { case none, object, array, value }
    var kind = Kind.none
    var keys: [String] = []
    var values: [TextItem] = []
    var other: TextItem = .null

    var item: TextItem {
        switch kind {
        case .none: return .null
        case .value: return other
        case .object, .array: return .node(self)
        }
    }

    func become(_ k: Kind) {
        guard kind != k else { return }
        kind = k
        keys = []
        values = []
        other = .null
    }

    func set(_ key: String, _ v: TextItem) {
        become(.object)
        keys.append(key)
        values.append(v)
    }

    func append(_ v: TextItem) {
        become(.array)
        values.append(v)
    }

    /// A single value; an object or array given whole (a `JSON` value) is kept as it is.
    func setValue(_ v: TextItem) {
        if case .node(let n) = v {
            become(n.kind)
            keys = n.keys
            values = n.values
            other = n.other
            return
        }
        become(.value)
        other = v
    }
}

extension JSONTextWriter {
    mutating func write(_ item: TextItem, indent: Int) {
        switch item {
        case .null: ascii("null")
        case .bool(let b): if b { ascii("true") } else { ascii("false") }
        case .int(let i): integer(i)
        case .uint(let u): unsigned(u)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .value(let v): write(v, indent: indent)
        case .node(let n): write(n, indent: indent)
        }
    }

    mutating func write(_ n: TextNode, indent: Int) {
        if n.kind == .array {
            let a = n.values
            if a.isEmpty { ascii("[]"); return }
            bytes.append(0x5B)
            for i in a.indices {
                newline(indent + 1)
                write(a[i], indent: indent + 1)
                if i < a.count - 1 { bytes.append(0x2C) }
                maybeFlush()
            }
            newline(indent)
            bytes.append(0x5D)
            return
        }
        // An object: keys sorted; a key set twice keeps its last value (as a dictionary would).
        if n.keys.isEmpty { ascii("{}"); return }
        let keys = n.keys
        let order: [Int]
        if keys == lastKeys {
            order = lastOrder   // the next row of the same type: its keys came in the same order
        } else {
            var o = Array(keys.indices)
            o.sort { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            order = o
            lastKeys = keys
            lastOrder = o
        }
        bytes.append(0x7B)
        var first = true
        for (j, i) in order.enumerated() {
            if j + 1 < order.count && keys[order[j + 1]] == keys[i] { continue }
            if !first { bytes.append(0x2C) }
            first = false
            newline(indent + 1)
            string(keys[i])
            keySeparator()
            write(n.values[i], indent: indent + 1)
            maybeFlush()
        }
        newline(indent)
        bytes.append(0x7D)
    }
}

/// The encoder of `JSONCoding.serialize`: the same answers as `ValueEncoder`, into a `TextNode`. Its coding
/// path is kept as a link to the parent encoder and built only when asked (an error, a type that reads it):
/// ten thousand rows do not each allocate the array of keys above them.
final class TextEncoder: Encoder {
    enum PathKey {
        case none
        case index(Int)
        case key(CodingKey)
    }

    let parent: TextEncoder?
    let key: PathKey
    var userInfo: [CodingUserInfoKey: Any] = [:]
    let node = TextNode()

    init(parent: TextEncoder?, key: PathKey) {
        self.parent = parent
        self.key = key
    }

    var codingPath: [CodingKey] {
        var keys: [CodingKey] = []
        var e: TextEncoder? = self
        while let x = e {
            switch x.key {
            case .none: break
            case .index(let i): keys.append(AnyKey(intValue: i))
            case .key(let k): keys.append(k)
            }
            e = x.parent
        }
        return keys.reversed()
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.kind == .none { node.become(.object) }
        return KeyedEncodingContainer(Keyed<Key>(encoder: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if node.kind == .none { node.become(.array) }
        return Unkeyed(encoder: self)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { Single(encoder: self) }

    static func encodeValue<T: Encodable>(_ v: T, parent: TextEncoder?, key: PathKey) throws -> TextItem {
        // Type tests by metatype (a pointer compare each), not by casting the value: most values of a big
        // report are rows (structs) that would fail every cast in turn.
        let t = T.self
        if t == String.self { return .string(unsafeBitCast(v, to: String.self)) }
        if t == Int.self { return .int(Int64(unsafeBitCast(v, to: Int.self))) }
        if t == Bool.self { return .bool(unsafeBitCast(v, to: Bool.self)) }
        if t == Double.self { return .double(unsafeBitCast(v, to: Double.self)) }
        if let row = v as? JSONRow {
            var fields = JSONRowFields()
            row.jsonFields(&fields)
            let n = TextNode()
            n.become(.object)
            n.keys = fields.keys
            n.values = fields.values
            return .node(n)
        }
        switch JSON.scalar(v) {
        case .int(let i)?: return .int(i)
        case .uint(let u)?: return .uint(u)
        case .double(let d)?: return .double(d)
        case let j?: return .value(j)
        case nil:
            let e = TextEncoder(parent: parent, key: key)
            try v.encode(to: e)
            return e.node.item
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: TextEncoder
        var node: TextNode { encoder.node }
        var codingPath: [CodingKey] { encoder.codingPath }

        mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, .null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.set(key.stringValue, try TextEncoder.encodeValue(value, parent: encoder, key: .key(key)))
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        // As `ValueEncoder`: nil is written as null, never left out.
        mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Double, forKey key: Key) throws { node.set(key.stringValue, .double(value)) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { node.set(key.stringValue, value.map { .string($0) } ?? .null) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { node.set(key.stringValue, value.map { .int(Int64($0)) } ?? .null) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { node.set(key.stringValue, value.map { .double($0) } ?? .null) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { node.set(key.stringValue, value.map { .bool($0) } ?? .null) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey> {
            let child = TextEncoder(parent: encoder, key: .key(key))
            child.node.become(.object)
            node.set(key.stringValue, .node(child.node))
            return KeyedEncodingContainer(Keyed<NestedKey>(encoder: child))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            fatalError("nested unkeyed containers are not used by report documents")
        }
        mutating func superEncoder() -> Encoder { TextEncoder(parent: encoder.parent, key: encoder.key) }
        mutating func superEncoder(forKey key: Key) -> Encoder { TextEncoder(parent: encoder, key: .key(key)) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: TextEncoder
        var node: TextNode { encoder.node }
        var codingPath: [CodingKey] { encoder.codingPath }
        var count: Int { node.kind == .array ? node.values.count : 0 }

        mutating func encodeNil() throws { node.append(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            node.append(try TextEncoder.encodeValue(value, parent: encoder, key: .index(count)))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey> {
            fatalError("nested containers in arrays are not used by report documents")
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            fatalError("nested containers in arrays are not used by report documents")
        }
        mutating func superEncoder() -> Encoder { TextEncoder(parent: encoder.parent, key: encoder.key) }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: TextEncoder
        var codingPath: [CodingKey] { encoder.codingPath }
        mutating func encodeNil() throws { encoder.node.setValue(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.node.setValue(try TextEncoder.encodeValue(value, parent: encoder.parent, key: encoder.key))
        }
    }
}

/// Values kept until the process ends, never freed: a command's last big values (a snapshot, a report, a
/// written document's tree) go with the process's memory at exit, at once, instead of object by object.
public enum KeptUntilExit {
    nonisolated(unsafe) private static var held: [Any] = []
    private static let lock = Mutex<Void>(())

    public static func keep(_ value: Any) {
        lock.withLock { _ in held.append(value) }
    }
}
