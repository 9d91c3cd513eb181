/// Bounds-checked little-endian reads over the window `[0, end)` of a byte
/// array. Offsets are absolute (from the start of the table) so errors can
/// name them directly. Every read checks the window; nothing here can trap.
struct ByteReader {
    let bytes: [UInt8]
    /// Exclusive end of the readable window; always <= bytes.count.
    let end: Int

    init(_ bytes: [UInt8], end: Int? = nil) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
    }

    /// The same bytes, readable only up to `newEnd` (clamped to this window).
    func limited(to newEnd: Int) -> ByteReader {
        ByteReader(bytes, end: min(newEnd, end))
    }

    func remaining(from offset: Int) -> Int {
        offset >= end ? 0 : end - offset
    }

    /// Throws unless `count` bytes starting at `offset` lie inside the window.
    func require(_ offset: Int, _ count: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, count >= 0, offset <= end, count <= end - offset else {
            throw ACPIDecodeError(
                offset: offset,
                reason: "\(what()) needs \(count) bytes but only \(remaining(from: offset)) remain before \(hex(end))")
        }
    }

    func u8(_ offset: Int) throws -> UInt8 {
        try require(offset, 1, "1-byte field")
        return bytes[offset]
    }

    func u16(_ offset: Int) throws -> UInt16 {
        UInt16(truncatingIfNeeded: try uint(offset, 2))
    }

    func u32(_ offset: Int) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try uint(offset, 4))
    }

    func u64(_ offset: Int) throws -> UInt64 {
        try uint(offset, 8)
    }

    /// Little-endian unsigned integer of `size` (1...8) bytes.
    func uint(_ offset: Int, _ size: Int) throws -> UInt64 {
        try require(offset, size, "\(size)-byte field")
        var value: UInt64 = 0
        for i in stride(from: size - 1, through: 0, by: -1) {
            value = (value << 8) | UInt64(bytes[offset + i])
        }
        return value
    }

    func slice(_ offset: Int, _ count: Int) throws -> [UInt8] {
        try require(offset, count, "\(count)-byte field")
        return Array(bytes[offset..<(offset + count)])
    }

    /// A fixed-size text field (signature, OEM id, ACPI HID, ...).
    func text(_ offset: Int, _ count: Int) throws -> String {
        acpiText(try slice(offset, count))
    }
}

/// Text of an ACPI character field, as `iasl -d` shows it: stops at the first
/// NUL, and every byte outside printable ASCII (0x20...0x7E) becomes a space.
/// Trailing spaces are kept ("HP    ").
func acpiText<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    var scalars = String.UnicodeScalarView()
    for b in bytes {
        if b == 0 { break }
        scalars.append(Unicode.Scalar((0x20...0x7E).contains(b) ? b : 0x20))
    }
    return String(scalars)
}

/// Validates the declared length of a length-prefixed item (structure, block,
/// scope, entry) that starts at `offset` inside a container ending at
/// `containerEnd`. Length 0, a length below `minimum`, and a length that runs
/// past the container are errors naming `offset`.
func checkItemLength(
    _ what: String, offset: Int, length: Int, minimum: Int,
    containerEnd: Int, container: String
) throws {
    if length == 0 {
        throw ACPIDecodeError(
            offset: offset, reason: "\(what) length 0 (minimum \(minimum) bytes); cannot step to the next item")
    }
    if length < minimum {
        throw ACPIDecodeError(
            offset: offset, reason: "\(what) length \(length) is shorter than its \(minimum)-byte minimum")
    }
    if length > containerEnd - offset {
        throw ACPIDecodeError(
            offset: offset,
            reason: "\(what) length \(length) runs past the \(container) end (item would end at \(hex(offset + length)), "
                + "\(container) ends at \(hex(containerEnd)): \(containerEnd - offset) bytes left)")
    }
}
