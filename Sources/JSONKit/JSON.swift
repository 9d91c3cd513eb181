/// The one JSON writer of the project (reports, journals, manifests, decoded tables): a JSON value with
/// deterministic output: sorted keys, integers as integers (64-bit included).
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    public static func str(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
    public static func num<T: BinaryInteger>(_ v: T) -> JSON {
        if let i = Int64(exactly: v) { return .int(i) }
        return .uint(UInt64(truncatingIfNeeded: v))
    }

    /// Serialized text; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = true, trailingNewline: Bool = true) -> String {
        var w = JSONTextWriter(pretty: pretty)
        w.write(self, indent: 0)
        if pretty && trailingNewline { w.bytes.append(0x0A) }
        return w.text
    }
}

extension JSON {
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSON]? { if case .object(let o) = self { return o }; return nil }
    public subscript(key: String) -> JSON? { objectValue?[key] }
}

extension JSON {
    public static func nums<T: BinaryInteger>(_ vs: [T]) -> JSON { .array(vs.map { num($0) }) }
    public static func strings(_ vs: [String]) -> JSON { .array(vs.map { .string($0) }) }
}
