/// ACPICA `acpidump` text output: what support engineers usually receive instead of binary tables.
///
/// ```
/// DMAR @ 0x000000007B7E4000
///     0000: 44 4D 41 52 C8 00 00 00 01 5E 49 4E 54 45 4C 20  DMAR.....^INTEL
///     0010: …
///
/// ```
/// Each table is a `SIGN @ 0xADDRESS` line followed by hex lines (`OFFSET: ` up to 16 bytes, then the ASCII
/// column) and a blank line. The parser reads the hex column only: the offset of each line must follow on from
/// the bytes before it, and a table is cut to its header's Length (the ASCII column of a short last line can
/// look like hex). Lines that are neither (a shell prompt, a mail's prose, CR line ends) are skipped.
public enum AcpidumpText {
    public struct Table: Sendable, Equatable {
        public var signature: String
        public var address: UInt64?
        public var bytes: [UInt8]
        /// Why the table's bytes are not what its header says (nil when they are).
        public var problem: String?
    }

    /// True when `bytes` look like acpidump text rather than a binary table (a `XXXX @ 0x` line near the top).
    public static func looks(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return head.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).prefix(50).contains { header(Substring($0)) != nil }
    }

    /// Every table in the text, in order.
    public static func parse(_ text: String) -> [Table] {
        var tables: [Table] = []
        var current: Table?
        var expectedOffset = 0
        func finish() {
            guard var t = current else { return }
            if t.bytes.count >= 8 {
                let length = Int(t.bytes[4]) | Int(t.bytes[5]) << 8 | Int(t.bytes[6]) << 16 | Int(t.bytes[7]) << 24
                if length >= 8 && length < t.bytes.count {
                    t.bytes.removeLast(t.bytes.count - length)
                } else if length > t.bytes.count {
                    t.problem = "the dump holds \(t.bytes.count) of the \(length) bytes its header gives"
                }
            }
            tables.append(t)
            current = nil
        }
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let h = header(line) {
                finish()
                current = Table(signature: h.signature, address: h.address, bytes: [])
                expectedOffset = 0
                continue
            }
            guard current != nil else { continue }
            guard let (offset, bytes) = hexLine(line) else {
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) && !(current?.bytes.isEmpty ?? true) { finish() }
                continue
            }
            if offset != expectedOffset {
                if current!.problem == nil { current!.problem = "line at offset \(hexString(offset)) follows \(hexString(expectedOffset)) bytes" }
                finish()
                continue
            }
            current!.bytes += bytes
            expectedOffset += bytes.count
        }
        finish()
        return tables
    }

    /// The first table with `signature` in the text (nil if none).
    public static func table(_ signature: String, in bytes: [UInt8]) -> Table? {
        parse(String(decoding: bytes, as: UTF8.self)).first { $0.signature == signature }
    }

    /// The table as acpidump prints it.
    public static func render(signature: String, address: UInt64 = 0, bytes: [UInt8]) -> String {
        var out = "\(signature) @ 0x\(hexString(Int(address), width: 16))\n"
        var offset = 0
        while offset < bytes.count {
            let row = bytes[offset..<min(offset + 16, bytes.count)]
            var line = String(repeating: " ", count: max(0, 8 - max(4, hexString(offset).count))) + hexString(offset, width: 4) + ": "
            for b in row { line += hexString(Int(b), width: 2) + " " }
            line += String(repeating: "   ", count: 16 - row.count) + " "
            for b in row { line.unicodeScalars.append(b >= 0x20 && b < 0x7F ? Unicode.Scalar(b) : ".") }
            out += line + "\n"
            offset += 16
        }
        return out + "\n"
    }

    /// "DMAR @ 0x000000007B7E4000" → ("DMAR", 0x7B7E4000).
    static func header(_ line: Substring) -> (signature: String, address: UInt64?)? {
        let t = line.drop { $0 == " " }
        let words = t.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 3, words[1] == "@", words[2].hasPrefix("0x"), words[0].count == 4,
              words[0].allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_" || $0 == "!") }) else { return nil }
        return (String(words[0]), UInt64(words[2].dropFirst(2), radix: 16))
    }

    /// "    0010: 45 44 4B 32 …  EDK2…" → (0x10, bytes of the hex column).
    static func hexLine(_ line: Substring) -> (Int, [UInt8])? {
        let t = line.drop { $0 == " " || $0 == "\t" }
        guard let colon = t.firstIndex(of: ":"), colon > t.startIndex, let offset = Int(t[..<colon], radix: 16) else { return nil }
        var bytes: [UInt8] = []
        var rest = t[t.index(after: colon)...]
        while bytes.count < 16 {
            guard rest.first == " " else { break }
            let afterSpace = rest.dropFirst()
            let pair = afterSpace.prefix(2)
            guard pair.count == 2, let b = UInt8(pair, radix: 16),
                  afterSpace.dropFirst(2).first.map({ $0 == " " }) ?? true else { break }
            bytes.append(b)
            rest = afterSpace.dropFirst(2)
        }
        return bytes.isEmpty ? nil : (offset, bytes)
    }

    static func hexString(_ v: Int, width: Int = 0) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
