/// A minimal JSON tree with a deterministic writer: object keys are sorted,
/// integers (signed or unsigned 64-bit) are written as JSON integers (never
/// through Double), strings are escaped per RFC 8259.
enum JSONValue: Equatable {
    case uint(UInt64)
    case int(Int64)
    case bool(Bool)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    static func num<T: BinaryInteger>(_ v: T) -> JSONValue {
        v < 0 ? .int(Int64(v)) : .uint(UInt64(v))
    }

    static func nums<T: BinaryInteger>(_ vs: [T]) -> JSONValue {
        .array(vs.map { num($0) })
    }

    static func strings(_ vs: [String]) -> JSONValue {
        .array(vs.map { .string($0) })
    }

    func serialized(pretty: Bool) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .uint(let v): out += String(v)
        case .int(let v): out += String(v)
        case .bool(let v): out += v ? "true" : "false"
        case .null: out += "null"
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            writeContainer(
                items.map { (nil, $0) }, open: "[", close: "]", to: &out, pretty: pretty, indent: indent)
        case .object(let dict):
            writeContainer(
                dict.keys.sorted().map { ($0, dict[$0]!) }, open: "{", close: "}",
                to: &out, pretty: pretty, indent: indent)
        }
    }

    private func writeContainer(
        _ items: [(String?, JSONValue)], open: String, close: String,
        to out: inout String, pretty: Bool, indent: Int
    ) {
        out += open
        if items.isEmpty {
            out += close
            return
        }
        let pad = String(repeating: "  ", count: indent + 1)
        for (i, (key, value)) in items.enumerated() {
            if i > 0 { out += "," }
            if pretty { out += "\n" + pad }
            if let key {
                JSONValue.writeString(key, to: &out)
                out += pretty ? ": " : ":"
            }
            value.write(to: &out, pretty: pretty, indent: indent + 1)
        }
        if pretty { out += "\n" + String(repeating: "  ", count: indent) }
        out += close
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let h = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
