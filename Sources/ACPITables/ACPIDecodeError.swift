/// A table that cannot be decoded: `offset` is the byte offset (from the start
/// of the table) of the header, structure, scope or entry at fault, `reason`
/// says what is wrong there.
///
/// Errors are raised for anything that would make a reader walk outside the
/// bytes it was given or stop making progress: a truncated or empty input, a
/// wrong signature, a header length larger than the input or smaller than the
/// fixed part, and any structure / block / scope / entry whose declared length
/// is 0, below its minimum, or past the end of its container.
public struct ACPIDecodeError: Error, CustomStringConvertible, Equatable, Sendable {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "at offset \(hex(offset)): \(reason)"
    }
}

/// An anomaly that does not stop decoding; it is kept in the decoded value
/// (`warnings`) and shown in JSON and text output.
///
/// Warnings: a bad checksum, bytes beyond the header length, unknown
/// structure / block / scope / device-entry types (kept raw), an odd byte at
/// the end of a device scope path, an ANDD name without its NUL terminator,
/// and fixed-size structures (RHSA, IVMD) longer than their defined size.
public struct ACPIDecodeWarning: CustomStringConvertible, Equatable, Sendable {
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "at offset \(hex(offset)): \(message)"
    }
}

/// Warnings in table order (by offset; equal offsets keep their order).
func inTableOrder(_ warnings: [ACPIDecodeWarning]) -> [ACPIDecodeWarning] {
    warnings.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
}

/// "0x1F" style hex for offsets and small values (no padding).
func hex<T: BinaryInteger>(_ value: T) -> String {
    "0x" + String(value, radix: 16, uppercase: true)
}

/// Zero-padded hex with `digits` digits, e.g. hex(0x1F, 4) == "0x001F".
func hex<T: BinaryInteger>(_ value: T, _ digits: Int) -> String {
    let s = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
}
