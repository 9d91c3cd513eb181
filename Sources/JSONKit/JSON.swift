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
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        if pretty && trailingNewline { out += "\n" }
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        let nl = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let endPad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .double(let d):
            if d.isFinite {
                let r = (d * 1000).rounded() / 1000
                out += r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
            } else {
                out += "null"
            }
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, v) in a.enumerated() {
                out += pad
                v.write(into: &out, pretty: pretty, indent: indent + 1)
                out += (i < a.count - 1 ? "," : "") + nl
            }
            out += endPad + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{" + nl
            let keys = o.keys.sorted()
            for (i, k) in keys.enumerated() {
                out += pad
                JSON.escape(k, into: &out)
                out += pretty ? ": " : ":"
                o[k]!.write(into: &out, pretty: pretty, indent: indent + 1)
                out += (i < keys.count - 1 ? "," : "") + nl
            }
            out += endPad + "}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\u" + hex4(u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

extension JSON {
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSON]? { if case .object(let o) = self { return o }; return nil }
    public subscript(key: String) -> JSON? { objectValue?[key] }
}

/// Four lower-case hex digits.
func hex4(_ v: UInt32) -> String {
    let h = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 4 - h.count)) + h
}

extension JSON {
    public static func nums<T: BinaryInteger>(_ vs: [T]) -> JSON { .array(vs.map { num($0) }) }
    public static func strings(_ vs: [String]) -> JSON { .array(vs.map { .string($0) }) }
}
