/// The bytes of JSON text, written straight into one growing UTF-8 buffer: what `JSON.serialized` and
/// `JSONCoding.serialize` share, so both give the same text for the same value (sorted keys, two-space indent
/// when `pretty`, integers as integers, doubles to the thousandth).
struct JSONTextWriter {
    let pretty: Bool
    var bytes: [UInt8] = []
    /// Where full chunks go when the text is streamed (nil: the whole text stays in `bytes`).
    private let sink: ((UnsafeRawBufferPointer) -> Void)?
    private let chunk: Int
    /// The keys of the last object written and their sorted order (rows of one type repeat them).
    var lastKeys: [String] = []
    var lastOrder: [Int] = []

    init(pretty: Bool, capacity: Int = 1 << 12) {
        self.pretty = pretty
        sink = nil
        chunk = .max
        bytes.reserveCapacity(capacity)
    }

    /// A writer that hands `sink` the text in pieces of about `chunk` bytes (a piece may end inside a
    /// character); `finish()` hands over the rest.
    init(pretty: Bool, chunk: Int, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.pretty = pretty
        self.sink = sink
        self.chunk = chunk
        bytes.reserveCapacity(chunk + 4096)
    }

    /// Streaming: passes the buffer on once it holds a chunk (called between values).
    @inline(__always)
    mutating func maybeFlush() {
        if bytes.count >= chunk { finish() }
    }

    mutating func finish() {
        guard let sink, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { sink($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// The text (the buffer is UTF-8: every string written came from a Swift string).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A line break and the indentation of depth `level` (nothing when not pretty).
    @inline(__always)
    mutating func newline(_ level: Int) {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<level { bytes.append(0x20); bytes.append(0x20) }
    }

    mutating func keySeparator() { if pretty { ascii(": ") } else { bytes.append(0x3A) } }

    mutating func write(_ value: JSON, indent: Int) {
        switch value {
        case .null: ascii("null")
        case .bool(let b): if b { ascii("true") } else { ascii("false") }
        case .int(let i): integer(i)
        case .uint(let u): unsigned(u)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let a):
            if a.isEmpty { ascii("[]"); return }
            bytes.append(0x5B)
            for (i, v) in a.enumerated() {
                newline(indent + 1)
                write(v, indent: indent + 1)
                if i < a.count - 1 { bytes.append(0x2C) }
                maybeFlush()
            }
            newline(indent)
            bytes.append(0x5D)
        case .object(let o):
            if o.isEmpty { ascii("{}"); return }
            bytes.append(0x7B)
            let keys = o.keys.sorted()
            for (i, k) in keys.enumerated() {
                newline(indent + 1)
                string(k)
                keySeparator()
                write(o[k]!, indent: indent + 1)
                if i < keys.count - 1 { bytes.append(0x2C) }
                maybeFlush()
            }
            newline(indent)
            bytes.append(0x7D)
        }
    }

    mutating func integer(_ i: Int64) {
        if i < 0 {
            bytes.append(0x2D)
            unsigned(i == .min ? UInt64(Int64.max) + 1 : UInt64(-i))
        } else {
            unsigned(UInt64(i))
        }
    }

    mutating func unsigned(_ u: UInt64) {
        if u < 10 { bytes.append(0x30 + UInt8(u)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 20 digits at most, written backwards
        withUnsafeMutableBytes(of: &digits) { buf in
            var v = u
            var n = 0
            while v > 0 {
                n += 1
                buf[24 - n] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[(24 - n)...]))
        }
    }

    mutating func double(_ d: Double) {
        guard d.isFinite else { ascii("null"); return }
        let r = (d * 1000).rounded() / 1000
        if r == r.rounded() && abs(r) < 1e15 { integer(Int64(r)) } else { bytes.append(contentsOf: String(r).utf8) }
    }

    /// A JSON string: `"`, `\\`, newline, return and tab as two-character escapes, other control characters
    /// (and DEL) as `\\u00XX`; everything else as it is. Byte by byte over the UTF-8, which is the same as
    /// scalar by scalar: no byte of a multi-byte sequence is below 0x80.
    mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { u in
            var start = 0
            for i in 0..<u.count {
                let b = u[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else { continue }
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
                start = i + 1
                switch b {
                case 0x22: ascii("\\\"")
                case 0x5C: ascii("\\\\")
                case 0x0A: ascii("\\n")
                case 0x0D: ascii("\\r")
                case 0x09: ascii("\\t")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    ascii("\\u00")
                    hex.withUTF8Buffer { h in
                        bytes.append(h[Int(b >> 4)])
                        bytes.append(h[Int(b & 15)])
                    }
                }
            }
            if u.count > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<u.count])) }
        }
        bytes.append(0x22)
    }
}
