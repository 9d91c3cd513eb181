/// The DMAR (DMA Remapping, Intel VT-d) ACPI table.
public struct DMARTable: ACPIDecodedTable, Equatable {
    /// Header (36) + host address width (1) + flags (1) + reserved (10).
    static let fixedPartSize = 48

    public static let kind = ACPITableKind.dmar

    public let header: ACPITableHeader
    /// The raw Host Address Width field: the platform's DMA address width minus one.
    public let hostAddressWidth: UInt8
    public let flags: UInt8
    /// Remapping structures in table order.
    public let structures: [DMARStructure]
    public let warnings: [ACPIDecodeWarning]

    /// DMA physical address width in bits (`hostAddressWidth + 1`).
    public var hostAddressWidthBits: Int { Int(hostAddressWidth) + 1 }
    /// Flags bit 0: interrupt remapping is supported.
    public var intrRemap: Bool { flags & 0x01 != 0 }
    /// Flags bit 1: firmware asks the OS not to enable x2APIC mode.
    public var x2apicOptOut: Bool { flags & 0x02 != 0 }
    /// Flags bit 2: the platform opts in to DMA protection control.
    public var dmaCtrlPlatformOptIn: Bool { flags & 0x04 != 0 }
    /// Names of the set flag bits (INTR_REMAP, X2APIC_OPT_OUT, DMA_CTRL_PLATFORM_OPT_IN, bitN).
    public var flagNames: [String] { bitNames(flags, DMARTable.flagBitNames) }
    static let flagBitNames = ["INTR_REMAP", "X2APIC_OPT_OUT", "DMA_CTRL_PLATFORM_OPT_IN"]

    public var drhdUnits: [DMARHardwareUnit] {
        structures.compactMap { if case .drhd(let s) = $0 { return s } else { return nil } }
    }
    public var rmrrs: [DMARReservedMemory] {
        structures.compactMap { if case .rmrr(let s) = $0 { return s } else { return nil } }
    }
    public var atsrs: [DMARRootPortATS] {
        structures.compactMap { if case .atsr(let s) = $0 { return s } else { return nil } }
    }
    public var rhsas: [DMARHardwareAffinity] {
        structures.compactMap { if case .rhsa(let s) = $0 { return s } else { return nil } }
    }
    public var andds: [DMARNamespaceDevice] {
        structures.compactMap { if case .andd(let s) = $0 { return s } else { return nil } }
    }
    public var satcs: [DMARSoCATC] {
        structures.compactMap { if case .satc(let s) = $0 { return s } else { return nil } }
    }
    public var sidps: [DMARSoCDeviceProperty] {
        structures.compactMap { if case .sidp(let s) = $0 { return s } else { return nil } }
    }

    public static func decode(_ bytes: [UInt8]) throws -> DMARTable {
        var warnings: [ACPIDecodeWarning] = []
        let (header, table) = try ACPITableHeader.decode(
            bytes, kind: .dmar, fixedPartSize: fixedPartSize, warnings: &warnings)
        var structures: [DMARStructure] = []
        var offset = fixedPartSize
        while offset < table.end {
            if table.end - offset < 4 {
                throw ACPIDecodeError(
                    offset: offset,
                    reason: "\(table.end - offset) bytes left at the table end, too few for a 4-byte remapping structure header")
            }
            let type = try table.u16(offset)
            let length = Int(try table.u16(offset + 2))
            let name = type < DMARStructure.typeNames.count ? DMARStructure.typeNames[Int(type)] : "unknown (type \(type))"
            try checkItemLength(
                "\(name) structure", offset: offset, length: length,
                minimum: minimumLength(type), containerEnd: table.end, container: "table")
            let structure = try decodeStructure(
                type: type, StructureContext(reader: table.limited(to: offset + length), offset: offset),
                warnings: &warnings)
            structures.append(structure)
            offset += length
        }
        return DMARTable(
            header: header, hostAddressWidth: try table.u8(36), flags: try table.u8(37),
            structures: structures, warnings: inTableOrder(warnings))
    }

    /// Fixed part of each structure type (before scopes / names).
    static func minimumLength(_ type: UInt16) -> Int {
        switch type {
        case 0: return 16   // DRHD
        case 1: return 24   // RMRR
        case 3: return 20   // RHSA
        case 2, 4, 5, 6: return 8   // ATSR, ANDD, SATC, SIDP
        default: return 4
        }
    }

    /// Where a structure lives: its reader is limited to the structure's end.
    struct StructureContext {
        let reader: ByteReader
        let offset: Int
        var end: Int { reader.end }
        var length: UInt16 { UInt16(end - offset) }
        func u8(_ at: Int) throws -> UInt8 { try reader.u8(offset + at) }
        func u16(_ at: Int) throws -> UInt16 { try reader.u16(offset + at) }
        func u32(_ at: Int) throws -> UInt32 { try reader.u32(offset + at) }
        func u64(_ at: Int) throws -> UInt64 { try reader.u64(offset + at) }
        /// Device scopes from `at` to the structure end.
        func scopes(from at: Int, _ warnings: inout [ACPIDecodeWarning]) throws -> [DMARDeviceScope] {
            try DMARTable.decodeScopes(reader, from: offset + at, warnings: &warnings)
        }
    }

    static func decodeStructure(
        type: UInt16, _ s: StructureContext, warnings: inout [ACPIDecodeWarning]
    ) throws -> DMARStructure {
        switch type {
        case 0:
            return .drhd(DMARHardwareUnit(
                offset: s.offset, length: s.length, flags: try s.u8(4), size: try s.u8(5),
                segment: try s.u16(6), registerBaseAddress: try s.u64(8),
                deviceScopes: try s.scopes(from: 16, &warnings)))
        case 1:
            return .rmrr(DMARReservedMemory(
                offset: s.offset, length: s.length, segment: try s.u16(6),
                baseAddress: try s.u64(8), endAddress: try s.u64(16),
                deviceScopes: try s.scopes(from: 24, &warnings)))
        case 2:
            return .atsr(DMARRootPortATS(
                offset: s.offset, length: s.length, flags: try s.u8(4), segment: try s.u16(6),
                deviceScopes: try s.scopes(from: 8, &warnings)))
        case 3:
            if s.length > 20 {
                warnings.append(ACPIDecodeWarning(
                    offset: s.offset, message: "RHSA structure length \(s.length) is longer than 20; extra bytes ignored"))
            }
            return .rhsa(DMARHardwareAffinity(
                offset: s.offset, length: s.length, registerBaseAddress: try s.u64(8),
                proximityDomain: try s.u32(16)))
        case 4:
            let nameBytes = try s.reader.slice(s.offset + 8, s.end - s.offset - 8)
            if !nameBytes.contains(0) {
                warnings.append(ACPIDecodeWarning(
                    offset: s.offset + 8, message: "ANDD object name is not NUL-terminated within the structure"))
            }
            return .andd(DMARNamespaceDevice(
                offset: s.offset, length: s.length, acpiDeviceNumber: try s.u8(7),
                acpiObjectName: acpiText(nameBytes)))
        case 5:
            return .satc(DMARSoCATC(
                offset: s.offset, length: s.length, flags: try s.u8(4), segment: try s.u16(6),
                deviceScopes: try s.scopes(from: 8, &warnings)))
        case 6:
            return .sidp(DMARSoCDeviceProperty(
                offset: s.offset, length: s.length, segment: try s.u16(6),
                deviceScopes: try s.scopes(from: 8, &warnings)))
        default:
            warnings.append(ACPIDecodeWarning(
                offset: s.offset, message: "unknown remapping structure type \(type) (length \(s.length)) kept raw"))
            return .unknown(DMARUnknownStructure(
                offset: s.offset, typeCode: type, length: s.length,
                body: try s.reader.slice(s.offset + 4, s.end - s.offset - 4)))
        }
    }

    /// Device scopes from `start` to `reader.end` (the enclosing structure's end).
    static func decodeScopes(
        _ reader: ByteReader, from start: Int, warnings: inout [ACPIDecodeWarning]
    ) throws -> [DMARDeviceScope] {
        var scopes: [DMARDeviceScope] = []
        var offset = start
        while offset < reader.end {
            if reader.end - offset < 2 {
                throw ACPIDecodeError(
                    offset: offset,
                    reason: "1 byte left at the structure end, too few for a device scope header")
            }
            let typeCode = try reader.u8(offset)
            let length = Int(try reader.u8(offset + 1))
            try checkItemLength(
                "device scope", offset: offset, length: length, minimum: DMARDeviceScope.headerSize,
                containerEnd: reader.end, container: "structure")
            let pathBytes = length - DMARDeviceScope.headerSize
            if pathBytes % 2 != 0 {
                warnings.append(ACPIDecodeWarning(
                    offset: offset,
                    message: "device scope length \(length) leaves an odd path byte; the last byte is ignored"))
            }
            var path: [DMARPathEntry] = []
            path.reserveCapacity(pathBytes / 2)
            var p = offset + DMARDeviceScope.headerSize
            while p + 1 < offset + length {
                path.append(DMARPathEntry(device: try reader.u8(p), function: try reader.u8(p + 1)))
                p += 2
            }
            let scope = DMARDeviceScope(
                offset: offset, typeCode: typeCode, length: UInt8(length), flags: try reader.u8(offset + 2),
                enumerationID: try reader.u8(offset + 4), startBus: try reader.u8(offset + 5), path: path)
            if case .unknown = scope.type {
                warnings.append(ACPIDecodeWarning(offset: offset, message: "reserved device scope type \(typeCode)"))
            }
            scopes.append(scope)
            offset += length
        }
        return scopes
    }
}
