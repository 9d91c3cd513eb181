/// Reads JSON text into a `JSON` value (RFC 8259). Integers that fit stay integers (`int`/`uint`), so a
/// document read back and written again is byte-identical. Nesting and size are bounded: a hostile file
/// gives an error naming the offset, never a crash. The grammar is `JSONScanner`'s.
extension JSON {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var offset: Int
        public var reason: String
        public var description: String { "JSON: \(reason) at byte \(offset)" }
        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    public static let maxDepth = 256

    public static func parse(_ text: String) throws -> JSON {
        var text = text
        return try text.withUTF8 { try parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSON {
        try bytes.withUnsafeBytes { try parse($0) }
    }

    /// One value and nothing after it but space.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSON {
        var s = JSONScanner(bytes)
        s.skipSpace()
        let v = try s.value(depth: 0)
        try s.end()
        return v
    }
}
