// Blocks and device entries of the IVRS table (AMD I/O Virtualization
// Technology (IOMMU) Specification, "I/O Virtualization Reporting Structure").
// Offsets are absolute byte offsets in the table.

/// The IVinfo field at offset 36.
public struct IVRSInfo: Sendable, Equatable {
    public let raw: UInt32

    public init(raw: UInt32) { self.raw = raw }

    /// Bit 0 (EFRSup): IVHD types 11h/40h carry a valid EFR register image.
    public var efrSupported: Bool { raw & 0x1 != 0 }
    /// Bit 1: DMA remapping support / pre-boot DMA protection requested.
    public var dmaRemapSupport: Bool { raw & 0x2 != 0 }
    /// Bits 7:5 (GVASize): guest virtual address size code (2 = 48 bits).
    public var guestVirtualAddressSize: UInt8 { UInt8((raw >> 5) & 0x7) }
    /// Bits 14:8 (PASize): physical address size in bits.
    public var physicalAddressSize: UInt8 { UInt8((raw >> 8) & 0x7F) }
    /// Bits 21:15 (VASize): virtual address size in bits.
    public var virtualAddressSize: UInt8 { UInt8((raw >> 15) & 0x7F) }
    /// Bit 22 (HtAtsResv): ATS response address range reserved.
    public var htAtsReserved: Bool { raw & 0x40_0000 != 0 }
}

/// An I/O Virtualization Hardware Definition block (types 10h, 11h, 40h).
public struct IVHDBlock: Sendable, Equatable {
    public let offset: Int
    public let typeCode: UInt8
    public let flags: UInt8
    public let length: UInt16
    /// PCI requester id of the IOMMU itself (bus << 8 | device << 3 | function).
    public let deviceID: UInt16
    public let capabilityOffset: UInt16
    /// IOMMU MMIO base address.
    public let baseAddress: UInt64
    public let pciSegmentGroup: UInt16
    /// IOMMU Info: MSI number (bits 4:0), UnitID (bits 12:8).
    public let iommuInfo: UInt16
    /// Type 10h only: IOMMU Feature Reporting.
    public let iommuFeatures: UInt32?
    /// Types 11h/40h only: IOMMU Attributes.
    public let iommuAttributes: UInt32?
    /// Types 11h/40h only: image of the Extended Feature Register.
    public let efrRegisterImage: UInt64?
    /// Types 11h/40h only: image of EFR2 (reserved in older specifications).
    public let efrRegisterImage2: UInt64?
    public let entries: [IVHDDeviceEntry]

    /// Fixed header size by type: 24 for 10h, 40 for 11h and 40h.
    static func headerSize(_ type: UInt8) -> Int { type == 0x10 ? 24 : 40 }

    public var msiNumber: UInt8 { UInt8(iommuInfo & 0x1F) }
    public var unitID: UInt8 { UInt8((iommuInfo >> 8) & 0x1F) }
    /// Names of the set flag bits.
    public var flagNames: [String] { bitNames(flags, IVHDBlock.flagBitNames) }
    static let flagBitNames = ["HtTunEn", "PassPW", "ResPassPW", "Isoc", "IotlbSup", "Coherent", "PrefSup", "PPRSup"]
}

/// An I/O Virtualization Memory Definition block (types 20h, 21h, 22h).
public struct IVMDBlock: Sendable, Equatable {
    static let size = 32

    public let offset: Int
    public let typeCode: UInt8
    public let flags: UInt8
    public let length: UInt16
    /// 21h: the device; 22h: first device of the range; 20h: reserved.
    public let deviceID: UInt16
    /// 22h: last device of the range; otherwise reserved.
    public let auxiliaryData: UInt16
    public let startAddress: UInt64
    public let memoryBlockLength: UInt64

    /// Flags: Unity (bit 0), IR (1), IW (2), ExclusionRange (3).
    public var unity: Bool { flags & 0x1 != 0 }
    public var readable: Bool { flags & 0x2 != 0 }
    public var writable: Bool { flags & 0x4 != 0 }
    public var exclusionRange: Bool { flags & 0x8 != 0 }
    public var flagNames: [String] { bitNames(flags, IVMDBlock.flagBitNames) }
    static let flagBitNames = ["Unity", "IR", "IW", "ExclusionRange"]

    /// Which devices the block applies to, by type.
    public var scope: String {
        switch typeCode {
        case 0x20: return "all peripherals"
        case 0x21: return "device \(deviceIDString(deviceID))"
        default: return "devices \(deviceIDString(deviceID))...\(deviceIDString(auxiliaryData))"
        }
    }
}

/// A block of a type this decoder does not know (e.g. 51h), skipped by its length.
public struct IVRSUnknownBlock: Sendable, Equatable {
    public let offset: Int
    public let typeCode: UInt8
    public let flags: UInt8
    public let length: UInt16
    /// The bytes after the 4-byte type/flags/length header.
    public let body: [UInt8]
}

/// One block of the IVRS table.
public enum IVRSBlock: Sendable, Equatable {
    case ivhd(IVHDBlock)
    case ivmd(IVMDBlock)
    case unknown(IVRSUnknownBlock)

    /// "IVHD", "IVMD" or "unknown".
    public var typeName: String {
        switch self {
        case .ivhd: return "IVHD"
        case .ivmd: return "IVMD"
        case .unknown: return "unknown"
        }
    }

    /// The block's value, for the fields all blocks share.
    public var block: any IVRSBlockHeader {
        switch self {
        case .ivhd(let b): return b
        case .ivmd(let b): return b
        case .unknown(let b): return b
        }
    }

    public var offset: Int { block.offset }
    public var typeCode: UInt8 { block.typeCode }
    public var flags: UInt8 { block.flags }
    public var length: UInt16 { block.length }
}

/// The 4-byte header every IVRS block starts with, and its offset.
public protocol IVRSBlockHeader: Sendable {
    /// Byte offset of the block in the table.
    var offset: Int { get }
    var typeCode: UInt8 { get }
    var flags: UInt8 { get }
    /// The block's Length field.
    var length: UInt16 { get }
}

extension IVHDBlock: IVRSBlockHeader {}
extension IVMDBlock: IVRSBlockHeader {}
extension IVRSUnknownBlock: IVRSBlockHeader {}

/// The ACPI HID named device of a variable-length device entry (type F0h).
public struct IVHDACPIDevice: Sendable, Equatable {
    /// Fixed part of an F0h entry before the UID bytes.
    static let fixedSize = 22

    /// _HID, 8 ASCII bytes ("AMDI0020").
    public let hid: String
    /// _CID as a little-endian 64-bit value (0 when absent).
    public let cid: UInt64
    /// 0: no UID, 1: integer, 2: string.
    public let uidFormat: UInt8
    public let uidLength: UInt8
    /// The raw UID bytes (`uidLength` of them).
    public let uid: [UInt8]

    /// The UID as text when `uidFormat` is 2.
    public var uidString: String? { uidFormat == 2 ? acpiText(uid) : nil }
    /// The UID as a little-endian integer when `uidFormat` is 1 and it fits in 64 bits.
    public var uidInteger: UInt64? {
        guard uidFormat == 1, uid.count <= 8 else { return nil }
        return uid.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// A device entry of an IVHD block.
public struct IVHDDeviceEntry: Sendable, Equatable {
    public enum Payload: Sendable, Equatable {
        /// 00h (4-byte) and 40h (8-byte) padding.
        case padding
        /// 01h: all devices.
        case all
        /// 02h: one device.
        case select
        /// 03h: first device of a range (ends at the next 04h entry).
        case rangeStart
        /// 04h: last device of a range.
        case rangeEnd
        /// 42h (select) / 43h (range start): requests appear with `sourceDeviceID`.
        case alias(sourceDeviceID: UInt16)
        /// 46h (select) / 47h (range start) with extended data.
        case extended(data: UInt32)
        /// 48h: IOAPIC (variety 1) or HPET (variety 2) `handle`, whose requester id is `sourceDeviceID`.
        case special(handle: UInt8, sourceDeviceID: UInt16, variety: UInt8)
        /// F0h: a device named by ACPI HID/UID.
        case acpiHID(IVHDACPIDevice)
        /// A reserved type, kept raw (the bytes after the 4-byte entry header).
        case reserved(data: [UInt8])
    }

    public let offset: Int
    public let typeCode: UInt8
    public let length: Int
    /// Device id (bus << 8 | device << 3 | function); reserved (0) in 48h entries.
    public let deviceID: UInt16
    /// DTE settings: INITPass, EIntPass, NMIPass, SysMgt (bits 5:4), Lint0Pass, Lint1Pass.
    public let dataSetting: UInt8
    public let payload: Payload

    /// Entry kind name, e.g. "SELECT", "ALIAS_RANGE_START", "SPECIAL", "ACPI_HID".
    public var typeName: String {
        switch typeCode {
        case 0x00: return "PAD4"
        case 0x01: return "ALL"
        case 0x02: return "SELECT"
        case 0x03: return "RANGE_START"
        case 0x04: return "RANGE_END"
        case 0x40: return "PAD8"
        case 0x42: return "ALIAS_SELECT"
        case 0x43: return "ALIAS_RANGE_START"
        case 0x46: return "EXT_SELECT"
        case 0x47: return "EXT_RANGE_START"
        case 0x48: return "SPECIAL"
        case 0xF0: return "ACPI_HID"
        default: return "RESERVED"
        }
    }

    /// Set data-setting flags by name; the 2-bit SysMgt field as "SysMgt=N".
    public var dataSettingNames: [String] {
        var names = bitNames(dataSetting & 0xCF, ["INITPass", "EIntPass", "NMIPass", "", "", "", "Lint0Pass", "Lint1Pass"])
        let sysMgt = (dataSetting >> 4) & 3
        if sysMgt != 0 { names.insert("SysMgt=\(sysMgt)", at: names.firstIndex { $0.hasPrefix("Lint") } ?? names.endIndex) }
        return names
    }

    /// "IOAPIC" / "HPET" for special entries of variety 1 / 2.
    static func varietyName(_ variety: UInt8) -> String {
        switch variety {
        case 1: return "IOAPIC"
        case 2: return "HPET"
        default: return "unknown"
        }
    }

    /// Length of the entry starting with `type`: 4 << (type >> 6) (4, 8, 16 or
    /// 32 bytes, the encoding of the entry type's top two bits), except F0h,
    /// whose length is 22 + its UID length (needs the UID length byte: nil).
    static func fixedLength(_ type: UInt8) -> Int? {
        type == 0xF0 ? nil : 4 << Int(type >> 6)
    }
}

/// "bb:dd.f" for a 16-bit PCI requester id.
func deviceIDString(_ id: UInt16) -> String {
    let bus = String(id >> 8, radix: 16), dev = String((id >> 3) & 0x1F, radix: 16)
    return (bus.count < 2 ? "0" + bus : bus) + ":" + (dev.count < 2 ? "0" + dev : dev) + "." + String(id & 7)
}
