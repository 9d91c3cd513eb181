/// A cursor over JSON bytes: the one JSON grammar of the project. `JSON.parse` builds a whole value tree
/// with it; a reader that needs a few fields of a large document (the fleet's report reader) walks the
/// document with it instead, taking the values it wants and skipping the others with `skipValue`, which
/// checks the same grammar (and the same nesting bound) without building anything.
///
/// The bytes are the caller's (`withUnsafeBytes`) and must outlive the scanner. Every error is a
/// `JSON.ParseError` naming the offset; no input crashes it or makes it recurse deeper than `JSON.maxDepth`.
public struct JSONScanner {
    @usableFromInline let p: UnsafePointer<UInt8>
    public let count: Int
    /// The offset of the next byte to read.
    public var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            p = base.assumingMemoryBound(to: UInt8.self)
            count = bytes.count
        } else {
            p = UnsafePointer(bitPattern: 1)!   // never read: count is 0
            count = 0
        }
    }

    public func fail(_ reason: String) -> JSON.ParseError { JSON.ParseError(offset: offset, reason: reason) }

    public var isAtEnd: Bool { offset >= count }

    /// The next byte, or nil at the end (no space skipped).
    @inlinable public func peek() -> UInt8? { offset < count ? p[offset] : nil }

    @inlinable public mutating func skipSpace() {
        var i = offset
        while i < count {
            let c = p[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i += 1
        }
        offset = i
    }

    /// After space, `byte`: consumed (true), or left (false).
    @inlinable public mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        if offset < count && p[offset] == byte { offset += 1; return true }
        return false
    }

    /// Only space is left.
    public mutating func end() throws {
        skipSpace()
        if offset != count { throw fail("trailing characters") }
    }

    // MARK: objects and arrays, a member at a time

    /// After space, `{` (consumed); true when the object has a first member (whose key comes next).
    public mutating func beginObject() throws -> Bool {
        skipSpace()
        guard offset < count else { throw fail("unexpected end of input") }
        guard p[offset] == UInt8(ascii: "{") else { throw fail("expected an object") }
        offset += 1
        skipSpace()
        if offset < count, p[offset] == UInt8(ascii: "}") { offset += 1; return false }
        return true
    }

    /// A member's key and its `:`; the key's bytes when it has no escape (nil when it has one: the caller
    /// cannot compare it byte by byte). The scanner then stands at the member's value.
    public mutating func key() throws -> UnsafeRawBufferPointer? {
        skipSpace()
        guard offset < count, p[offset] == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let raw = try stringBytes()
        skipSpace()
        guard offset < count, p[offset] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        offset += 1
        skipSpace()
        return raw
    }

    /// After a member's value: true at `,` (another member follows), false at `}` (the object is done).
    public mutating func nextMember() throws -> Bool {
        skipSpace()
        guard offset < count else { throw fail("unexpected end of input") }
        if p[offset] == UInt8(ascii: ",") { offset += 1; return true }
        if p[offset] == UInt8(ascii: "}") { offset += 1; return false }
        throw fail("expected ',' or '}'")
    }

    /// After space, `[` (consumed); true when the array has a first element (which comes next).
    public mutating func beginArray() throws -> Bool {
        skipSpace()
        guard offset < count else { throw fail("unexpected end of input") }
        guard p[offset] == UInt8(ascii: "[") else { throw fail("expected an array") }
        offset += 1
        skipSpace()
        if offset < count, p[offset] == UInt8(ascii: "]") { offset += 1; return false }
        skipSpace()
        return true
    }

    /// After an element: true at `,` (another element follows), false at `]`.
    public mutating func nextElement() throws -> Bool {
        skipSpace()
        guard offset < count else { throw fail("unexpected end of input") }
        if p[offset] == UInt8(ascii: ",") { offset += 1; skipSpace(); return true }
        if p[offset] == UInt8(ascii: "]") { offset += 1; return false }
        throw fail("expected ',' or ']'")
    }

    // MARK: scalars

    /// After space, a string's value.
    public mutating func string() throws -> String {
        skipSpace()
        guard offset < count, p[offset] == UInt8(ascii: "\"") else {
            throw offset < count ? fail("expected a string") : fail("unexpected end of input")
        }
        let start = offset + 1
        if let raw = try stringBytes() { return String(decoding: raw, as: UTF8.self) }
        // With escapes: decode from the start again (the first pass checked it).
        offset = start
        var out: [UInt8] = []
        while true {
            let c = p[offset]
            if c == UInt8(ascii: "\"") { offset += 1; break }
            if c != UInt8(ascii: "\\") { out.append(c); offset += 1; continue }
            offset += 1
            try escape(&out, keep: true)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A string at the cursor (its opening quote), checked and consumed; its bytes between the quotes
    /// when it has no escape, nil when it has.
    public mutating func stringBytes() throws -> UnsafeRawBufferPointer? {
        let start = offset + 1  // after the opening quote
        var i = start
        var escaped = false
        let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C)
        let space = SIMD16<UInt8>(repeating: 0x20)
        while true {
            // Sixteen bytes at a time while none is a quote, a backslash or a control character.
            while i + 16 <= count {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
                if any((v .== quote) .| (v .== backslash) .| (v .< space)) { break }
                i += 16
            }
            guard i < count else { offset = i; throw fail("unterminated string") }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                offset = i + 1
                return escaped ? nil : UnsafeRawBufferPointer(start: p + start, count: i - start)
            }
            if c < 0x20 { offset = i; throw fail("control character in string") }
            if c == UInt8(ascii: "\\") {
                offset = i + 1
                escaped = true
                var none: [UInt8] = []
                try escape(&none, keep: false)
                i = offset
            } else {
                i += 1
            }
        }
    }

    /// The escape after a backslash (the cursor at its letter), checked, and appended to `out` when `keep`.
    mutating func escape(_ out: inout [UInt8], keep: Bool) throws {
        guard offset < count else { throw fail("unterminated escape") }
        let e = p[offset]
        offset += 1
        let byte: UInt8
        switch e {
        case UInt8(ascii: "\""): byte = 0x22
        case UInt8(ascii: "\\"): byte = 0x5C
        case UInt8(ascii: "/"): byte = 0x2F
        case UInt8(ascii: "b"): byte = 0x08
        case UInt8(ascii: "f"): byte = 0x0C
        case UInt8(ascii: "n"): byte = 0x0A
        case UInt8(ascii: "r"): byte = 0x0D
        case UInt8(ascii: "t"): byte = 0x09
        case UInt8(ascii: "u"):
            var v = try hex4()
            if (0xD800...0xDBFF).contains(v) {
                guard offset + 6 <= count, p[offset] == UInt8(ascii: "\\"), p[offset + 1] == UInt8(ascii: "u") else {
                    throw fail("lone surrogate")
                }
                offset += 2
                let lo = try hex4()
                guard (0xDC00...0xDFFF).contains(lo) else { throw fail("lone surrogate") }
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(v) {
                throw fail("lone surrogate")
            }
            guard let s = Unicode.Scalar(v) else { throw fail("bad code point") }
            if keep { out.append(contentsOf: Array(String(Character(s)).utf8)) }
            return
        default: throw fail("bad escape")
        }
        if keep { out.append(byte) }
    }

    mutating func hex4() throws -> UInt32 {
        guard offset + 4 <= count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[offset]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad \\u escape")
            }
            v = v << 4 | d
            offset += 1
        }
        return v
    }

    /// A number at the cursor: its text checked (`-`, digits, fraction, exponent) and consumed; whether it
    /// is an integer (no fraction, no exponent).
    mutating func numberToken() throws -> (start: Int, integer: Bool) {
        let start = offset
        var integer = true
        if offset < count, p[offset] == UInt8(ascii: "-") { offset += 1 }
        let digits = offset
        while offset < count, p[offset] &- 0x30 < 10 { offset += 1 }
        if offset == digits { throw fail("unexpected character") }
        if offset < count, p[offset] == UInt8(ascii: ".") {
            integer = false
            offset += 1
            let f = offset
            while offset < count, p[offset] &- 0x30 < 10 { offset += 1 }
            if offset == f { throw fail("digit expected after '.'") }
        }
        if offset < count, p[offset] == UInt8(ascii: "e") || p[offset] == UInt8(ascii: "E") {
            integer = false
            offset += 1
            if offset < count, p[offset] == UInt8(ascii: "+") || p[offset] == UInt8(ascii: "-") { offset += 1 }
            let e = offset
            while offset < count, p[offset] &- 0x30 < 10 { offset += 1 }
            if offset == e { throw fail("digit expected in exponent") }
        }
        return (start, integer)
    }

    /// After space, a number: `int` or `uint` when it is an integer that fits, `double` otherwise.
    public mutating func number() throws -> JSON {
        skipSpace()
        let (start, integer) = try numberToken()
        let text = String(decoding: UnsafeRawBufferPointer(start: p + start, count: offset - start), as: UTF8.self)
        if integer {
            if let v = Int64(text) { return .int(v) }
            if let v = UInt64(text) { return .uint(v) }
        }
        guard let d = Double(text) else { throw JSON.ParseError(offset: start, reason: "bad number") }
        return .double(d)
    }

    /// After space, `true` or `false`.
    public mutating func bool() throws -> Bool {
        skipSpace()
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw fail("expected true or false")
    }

    /// After space, `null` (consumed: true) or something else (left: false).
    public mutating func null() throws -> Bool {
        skipSpace()
        return try literal("null")
    }

    /// `word` at the cursor: consumed (true) or not there (false).
    mutating func literal(_ word: StaticString) throws -> Bool {
        let n = word.utf8CodeUnitCount
        guard offset + n <= count else { return false }
        for k in 0..<n where p[offset + k] != word.utf8Start[k] { return false }
        offset += n
        return true
    }

    // MARK: whole values

    /// The value at the cursor as a tree, nested values at `depth + 1` (at most `JSON.maxDepth`).
    public mutating func value(depth: Int) throws -> JSON {
        guard depth < JSON.maxDepth else { throw fail("nesting deeper than \(JSON.maxDepth)") }
        guard offset < count else { throw fail("unexpected end of input") }
        switch p[offset] {
        case UInt8(ascii: "{"):
            offset += 1
            var o: [String: JSON] = [:]
            skipSpace()
            if offset < count, p[offset] == UInt8(ascii: "}") { offset += 1; return .object(o) }
            while true {
                skipSpace()
                guard offset < count, p[offset] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let k = try string()
                skipSpace()
                guard offset < count, p[offset] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                offset += 1
                skipSpace()
                o[k] = try value(depth: depth + 1)
                skipSpace()
                guard offset < count else { throw fail("unexpected end of input") }
                if p[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if p[offset] == UInt8(ascii: "}") { offset += 1; return .object(o) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            offset += 1
            var a: [JSON] = []
            skipSpace()
            if offset < count, p[offset] == UInt8(ascii: "]") { offset += 1; return .array(a) }
            while true {
                skipSpace()
                a.append(try value(depth: depth + 1))
                skipSpace()
                guard offset < count else { throw fail("unexpected end of input") }
                if p[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if p[offset] == UInt8(ascii: "]") { offset += 1; return .array(a) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            guard try literal("true") else { throw fail("unexpected character") }
            return .bool(true)
        case UInt8(ascii: "f"):
            guard try literal("false") else { throw fail("unexpected character") }
            return .bool(false)
        case UInt8(ascii: "n"):
            guard try literal("null") else { throw fail("unexpected character") }
            return .null
        default:
            return try number()
        }
    }

    /// The value at the cursor checked and passed over: what `value(depth:)` accepts, and only that, with
    /// the same errors, but nothing built and no recursion (the open containers are bits of a 256-bit stack).
    public mutating func skipValue(depth: Int) throws {
        var stack = SIMD4<UInt64>(repeating: 0)   // bit `level - 1`: 1 object, 0 array (level <= maxDepth)
        var level = 0
        func isObject(_ l: Int) -> Bool { stack[(l - 1) >> 6] >> UInt64((l - 1) & 63) & 1 == 1 }
        var wantValue = true
        while true {
            if wantValue {
                guard depth + level < JSON.maxDepth else { throw fail("nesting deeper than \(JSON.maxDepth)") }
                guard offset < count else { throw fail("unexpected end of input") }
                switch p[offset] {
                case UInt8(ascii: "{"):
                    offset += 1
                    skipSpace()
                    if offset < count, p[offset] == UInt8(ascii: "}") { offset += 1; wantValue = false; break }
                    stack[level >> 6] |= 1 << UInt64(level & 63)
                    level += 1
                    _ = try key()
                    continue
                case UInt8(ascii: "["):
                    offset += 1
                    skipSpace()
                    if offset < count, p[offset] == UInt8(ascii: "]") { offset += 1; wantValue = false; break }
                    stack[level >> 6] &= ~(1 << UInt64(level & 63))
                    level += 1
                    skipSpace()
                    continue
                case UInt8(ascii: "\""):
                    _ = try stringBytes()
                case UInt8(ascii: "t"):
                    guard try literal("true") else { throw fail("unexpected character") }
                case UInt8(ascii: "f"):
                    guard try literal("false") else { throw fail("unexpected character") }
                case UInt8(ascii: "n"):
                    guard try literal("null") else { throw fail("unexpected character") }
                default:
                    _ = try numberToken()
                }
                wantValue = false
            }
            // After a value: the end, or the next member or element of the innermost open container.
            if level == 0 { return }
            skipSpace()
            guard offset < count else { throw fail("unexpected end of input") }
            let c = p[offset]
            if isObject(level) {
                if c == UInt8(ascii: ",") { offset += 1; _ = try key(); wantValue = true; continue }
                if c == UInt8(ascii: "}") { offset += 1; level -= 1; continue }
                throw fail("expected ',' or '}'")
            } else {
                if c == UInt8(ascii: ",") { offset += 1; skipSpace(); wantValue = true; continue }
                if c == UInt8(ascii: "]") { offset += 1; level -= 1; continue }
                throw fail("expected ',' or ']'")
            }
        }
    }
}
