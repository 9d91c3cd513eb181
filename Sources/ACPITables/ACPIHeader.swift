/// The two tables this module decodes.
public enum ACPITableKind: String, Sendable, CaseIterable {
    case dmar = "DMAR"
    case ivrs = "IVRS"

    /// The 4-character signature at offset 0.
    public var signature: String { rawValue }

    /// Which kind `bytes` claims to be, by its signature (nil if neither or too short).
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 4 else { return nil }
        self.init(rawValue: acpiText(bytes[0..<4]))
    }
}

/// The standard 36-byte ACPI System Description Table header.
public struct ACPITableHeader: Sendable, Equatable {
    /// Size of the standard header in bytes.
    public static let size = 36

    public let signature: String
    /// The header's Length field: the table's size in bytes.
    public let length: UInt32
    public let revision: UInt8
    public let checksum: UInt8
    /// True when the bytes `[0, length)` sum to 0 modulo 256.
    public let checksumValid: Bool
    public let oemID: String
    public let oemTableID: String
    public let oemRevision: UInt32
    /// "Creator ID" (iasl: Asl Compiler ID).
    public let creatorID: String
    /// "Creator Revision" (iasl: Asl Compiler Revision).
    public let creatorRevision: UInt32

    /// True if `bytes` holds at least a header, its Length field is within
    /// `36...bytes.count`, and the first Length bytes sum to 0 modulo 256.
    public static func verifyChecksum(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= size else { return false }
        let length = Int(UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24)
        guard length >= size, length <= bytes.count else { return false }
        return byteSum(bytes, length) == 0
    }

    static func byteSum(_ bytes: [UInt8], _ count: Int) -> UInt8 {
        var sum: UInt8 = 0
        for i in 0..<count { sum &+= bytes[i] }
        return sum
    }

    /// Decodes and validates the header shared by DMAR and IVRS. Returns the
    /// header and a reader limited to the header's Length; appends warnings
    /// for a bad checksum and for bytes beyond Length.
    static func decode(
        _ bytes: [UInt8], kind: ACPITableKind, fixedPartSize: Int,
        warnings: inout [ACPIDecodeWarning]
    ) throws -> (ACPITableHeader, ByteReader) {
        try decode(bytes, signature: kind.signature, fixedPartSize: fixedPartSize, warnings: &warnings)
    }

    /// The header of a table with `signature` (also one this module decodes beside DMAR and IVRS: APIC).
    static func decode(
        _ bytes: [UInt8], signature expected: String, fixedPartSize: Int,
        warnings: inout [ACPIDecodeWarning]
    ) throws -> (ACPITableHeader, ByteReader) {
        if bytes.count < size {
            throw ACPIDecodeError(
                offset: bytes.count,
                reason: bytes.isEmpty
                    ? "empty input (0 bytes): an ACPI table needs at least its 36-byte header"
                    : "ACPI header truncated: \(bytes.count) bytes supplied, the header needs 36")
        }
        let reader = ByteReader(bytes)
        let signature = try reader.text(0, 4)
        guard signature == expected else {
            throw ACPIDecodeError(offset: 0, reason: "signature \"\(signature)\" is not \"\(expected)\"")
        }
        let length = try reader.u32(4)
        if Int(length) < fixedPartSize {
            throw ACPIDecodeError(
                offset: 4,
                reason: "header length \(length) is shorter than the \(fixedPartSize)-byte fixed part of a \(expected) table")
        }
        if Int(length) > bytes.count {
            throw ACPIDecodeError(
                offset: 4,
                reason: "header length \(length) runs past the end of the input (\(bytes.count) bytes supplied): table truncated")
        }
        let tableLength = Int(length)
        let valid = byteSum(bytes, tableLength) == 0
        let header = ACPITableHeader(
            signature: signature, length: length,
            revision: try reader.u8(8), checksum: try reader.u8(9), checksumValid: valid,
            oemID: try reader.text(10, 6), oemTableID: try reader.text(16, 8),
            oemRevision: try reader.u32(24), creatorID: try reader.text(28, 4),
            creatorRevision: try reader.u32(32))
        if !valid {
            warnings.append(ACPIDecodeWarning(
                offset: 9,
                message: "checksum mismatch: the \(tableLength) bytes sum to \(hex(byteSum(bytes, tableLength), 2)), not 0"))
        }
        if bytes.count > tableLength {
            warnings.append(ACPIDecodeWarning(
                offset: tableLength,
                message: "\(bytes.count - tableLength) bytes beyond the header length \(tableLength) ignored"))
        }
        return (header, reader.limited(to: tableLength))
    }
}

/// What DMARTable and IVRSTable have in common.
public protocol ACPIDecodedTable: Sendable {
    static var kind: ACPITableKind { get }
    /// Decodes a whole table; throws `ACPIDecodeError`.
    static func decode(_ bytes: [UInt8]) throws -> Self
    var header: ACPITableHeader { get }
    /// Anomalies that did not stop decoding (see `ACPIDecodeWarning`).
    var warnings: [ACPIDecodeWarning] { get }
    /// Deterministic JSON (sorted keys, integers as JSON integers).
    func jsonString(pretty: Bool) -> String
    /// A compact, readable view for a support engineer.
    func textDescription() -> String
}

extension ACPIDecodedTable {
    /// Same as `ACPITableHeader.verifyChecksum`.
    public static func verifyChecksum(_ bytes: [UInt8]) -> Bool {
        ACPITableHeader.verifyChecksum(bytes)
    }

    /// UTF-8 bytes of `jsonString(pretty:)`.
    public func jsonData(pretty: Bool = false) -> [UInt8] {
        Array(jsonString(pretty: pretty).utf8)
    }
}

/// A DMAR or IVRS table, decoded by signature.
public enum ACPITable: Sendable {
    case dmar(DMARTable)
    case ivrs(IVRSTable)

    /// Decodes `bytes` as DMAR or IVRS according to its signature.
    public static func decode(_ bytes: [UInt8]) throws -> ACPITable {
        switch ACPITableKind(bytes: bytes) {
        case .dmar: return .dmar(try DMARTable.decode(bytes))
        case .ivrs: return .ivrs(try IVRSTable.decode(bytes))
        case nil:
            if bytes.count < 4 {
                throw ACPIDecodeError(offset: bytes.count, reason: "input of \(bytes.count) bytes has no 4-byte signature")
            }
            throw ACPIDecodeError(offset: 0, reason: "signature \"\(acpiText(bytes[0..<4]))\" is neither DMAR nor IVRS")
        }
    }

    public var kind: ACPITableKind {
        switch self {
        case .dmar: return .dmar
        case .ivrs: return .ivrs
        }
    }

    private var table: any ACPIDecodedTable {
        switch self {
        case .dmar(let t): return t
        case .ivrs(let t): return t
        }
    }

    public var header: ACPITableHeader { table.header }
    public var warnings: [ACPIDecodeWarning] { table.warnings }
    public func jsonString(pretty: Bool = false) -> String { table.jsonString(pretty: pretty) }
    public func jsonData(pretty: Bool = false) -> [UInt8] { table.jsonData(pretty: pretty) }
    public func textDescription() -> String { table.textDescription() }
}
