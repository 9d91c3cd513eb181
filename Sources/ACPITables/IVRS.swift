/// The IVRS (I/O Virtualization Reporting Structure, AMD-Vi) ACPI table.
public struct IVRSTable: ACPIDecodedTable, Equatable {
    /// Header (36) + IVinfo (4) + reserved (8).
    static let fixedPartSize = 48

    public static let kind = ACPITableKind.ivrs

    public let header: ACPITableHeader
    public let ivInfo: IVRSInfo
    /// IVHD / IVMD / unknown blocks in table order.
    public let blocks: [IVRSBlock]
    public let warnings: [ACPIDecodeWarning]

    /// IVinfo EFRSup.
    public var efrSupported: Bool { ivInfo.efrSupported }

    public var ivhdBlocks: [IVHDBlock] {
        blocks.compactMap { if case .ivhd(let b) = $0 { return b } else { return nil } }
    }
    public var ivmdBlocks: [IVMDBlock] {
        blocks.compactMap { if case .ivmd(let b) = $0 { return b } else { return nil } }
    }

    public static func decode(_ bytes: [UInt8]) throws -> IVRSTable {
        var warnings: [ACPIDecodeWarning] = []
        let (header, table) = try ACPITableHeader.decode(
            bytes, kind: .ivrs, fixedPartSize: fixedPartSize, warnings: &warnings)
        var blocks: [IVRSBlock] = []
        var offset = fixedPartSize
        while offset < table.end {
            if table.end - offset < 4 {
                throw ACPIDecodeError(
                    offset: offset,
                    reason: "\(table.end - offset) bytes left at the table end, too few for a 4-byte IVRS block header")
            }
            let type = try table.u8(offset)
            let length = Int(try table.u16(offset + 2))
            try checkItemLength(
                "\(blockName(type)) block (type \(hex(type, 2)))", offset: offset, length: length,
                minimum: minimumLength(type), containerEnd: table.end, container: "table")
            let block = table.limited(to: offset + length)
            blocks.append(try decodeBlock(type: type, block, at: offset, warnings: &warnings))
            offset += length
        }
        return IVRSTable(
            header: header, ivInfo: IVRSInfo(raw: try table.u32(36)), blocks: blocks, warnings: inTableOrder(warnings))
    }

    static func blockName(_ type: UInt8) -> String {
        switch type {
        case 0x10, 0x11, 0x40: return "IVHD"
        case 0x20, 0x21, 0x22: return "IVMD"
        default: return "unknown"
        }
    }

    static func minimumLength(_ type: UInt8) -> Int {
        switch blockName(type) {
        case "IVHD": return IVHDBlock.headerSize(type)
        case "IVMD": return IVMDBlock.size
        default: return 4
        }
    }

    /// `r` is limited to the block's end.
    static func decodeBlock(
        type: UInt8, _ r: ByteReader, at o: Int, warnings: inout [ACPIDecodeWarning]
    ) throws -> IVRSBlock {
        let flags = try r.u8(o + 1)
        let length = UInt16(r.end - o)
        switch blockName(type) {
        case "IVHD":
            let long = type != 0x10
            return .ivhd(IVHDBlock(
                offset: o, typeCode: type, flags: flags, length: length, deviceID: try r.u16(o + 4),
                capabilityOffset: try r.u16(o + 6), baseAddress: try r.u64(o + 8),
                pciSegmentGroup: try r.u16(o + 16), iommuInfo: try r.u16(o + 18),
                iommuFeatures: long ? nil : try r.u32(o + 20),
                iommuAttributes: long ? try r.u32(o + 20) : nil,
                efrRegisterImage: long ? try r.u64(o + 24) : nil,
                efrRegisterImage2: long ? try r.u64(o + 32) : nil,
                entries: try decodeEntries(r, from: o + IVHDBlock.headerSize(type), warnings: &warnings)))
        case "IVMD":
            if length > IVMDBlock.size {
                warnings.append(ACPIDecodeWarning(
                    offset: o, message: "IVMD block length \(length) is longer than 32; extra bytes ignored"))
            }
            return .ivmd(IVMDBlock(
                offset: o, typeCode: type, flags: flags, length: length, deviceID: try r.u16(o + 4),
                auxiliaryData: try r.u16(o + 6), startAddress: try r.u64(o + 16),
                memoryBlockLength: try r.u64(o + 24)))
        default:
            warnings.append(ACPIDecodeWarning(
                offset: o, message: "unknown IVRS block type \(hex(type, 2)) (length \(length)) skipped"))
            return .unknown(IVRSUnknownBlock(
                offset: o, typeCode: type, flags: flags, length: length, body: try r.slice(o + 4, Int(length) - 4)))
        }
    }

    /// Device entries from `start` to the end of the IVHD block (`r.end`).
    static func decodeEntries(
        _ r: ByteReader, from start: Int, warnings: inout [ACPIDecodeWarning]
    ) throws -> [IVHDDeviceEntry] {
        var entries: [IVHDDeviceEntry] = []
        var o = start
        while o < r.end {
            let type = try r.u8(o)
            let length: Int
            if let fixed = IVHDDeviceEntry.fixedLength(type) {
                length = fixed
            } else {
                if r.end - o < IVHDACPIDevice.fixedSize {
                    throw ACPIDecodeError(
                        offset: o,
                        reason: "ACPI HID device entry needs \(IVHDACPIDevice.fixedSize) bytes before its UID "
                            + "but only \(r.end - o) remain in the IVHD block (ends at \(hex(r.end)))")
                }
                length = IVHDACPIDevice.fixedSize + Int(try r.u8(o + 21))
            }
            if length > r.end - o {
                throw ACPIDecodeError(
                    offset: o,
                    reason: "device entry type \(hex(type, 2)) of \(length) bytes runs past the IVHD block end "
                        + "(entry would end at \(hex(o + length)), block ends at \(hex(r.end)): \(r.end - o) bytes left)")
            }
            let entry = IVHDDeviceEntry(
                offset: o, typeCode: type, length: length, deviceID: try r.u16(o + 1),
                dataSetting: try r.u8(o + 3), payload: try decodePayload(type: type, r, at: o, length: length))
            if case .reserved = entry.payload {
                warnings.append(ACPIDecodeWarning(
                    offset: o, message: "reserved device entry type \(hex(type, 2)) (\(length) bytes) kept raw"))
            }
            entries.append(entry)
            o += length
        }
        return entries
    }

    static func decodePayload(
        type: UInt8, _ r: ByteReader, at o: Int, length: Int
    ) throws -> IVHDDeviceEntry.Payload {
        switch type {
        case 0x00, 0x40: return .padding
        case 0x01: return .all
        case 0x02: return .select
        case 0x03: return .rangeStart
        case 0x04: return .rangeEnd
        case 0x42, 0x43: return .alias(sourceDeviceID: try r.u16(o + 5))
        case 0x46, 0x47: return .extended(data: try r.u32(o + 4))
        case 0x48: return .special(handle: try r.u8(o + 4), sourceDeviceID: try r.u16(o + 5), variety: try r.u8(o + 7))
        case 0xF0:
            let uidLength = try r.u8(o + 21)
            return .acpiHID(IVHDACPIDevice(
                hid: try r.text(o + 4, 8), cid: try r.u64(o + 12), uidFormat: try r.u8(o + 20),
                uidLength: uidLength, uid: try r.slice(o + 22, Int(uidLength))))
        default:
            return .reserved(data: try r.slice(o + 4, length - 4))
        }
    }
}
