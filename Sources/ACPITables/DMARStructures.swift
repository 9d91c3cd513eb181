// Remapping structures and device scopes of the DMAR table (Intel VT-d
// specification, "DMA Remapping Reporting Structure"). Offsets are absolute
// byte offsets in the table.

/// One (device, function) hop of a device scope path.
public struct DMARPathEntry: Sendable, Equatable {
    public let device: UInt8
    public let function: UInt8

    public init(device: UInt8, function: UInt8) {
        self.device = device
        self.function = function
    }
}

/// Device scope entry types.
public enum DMARDeviceScopeType: Sendable, Equatable {
    case pciEndpoint            // 1
    case pciBridge              // 2
    case ioapic                 // 3
    case msiCapableHPET         // 4
    case acpiNamespaceDevice    // 5
    case unknown(UInt8)         // 0 and >= 6 are reserved

    public init(code: UInt8) {
        switch code {
        case 1: self = .pciEndpoint
        case 2: self = .pciBridge
        case 3: self = .ioapic
        case 4: self = .msiCapableHPET
        case 5: self = .acpiNamespaceDevice
        default: self = .unknown(code)
        }
    }

    /// Short name used in JSON and text ("PCI_ENDPOINT", ...; "unknown" for reserved codes).
    public var name: String {
        switch self {
        case .pciEndpoint: return "PCI_ENDPOINT"
        case .pciBridge: return "PCI_BRIDGE"
        case .ioapic: return "IOAPIC"
        case .msiCapableHPET: return "MSI_CAPABLE_HPET"
        case .acpiNamespaceDevice: return "ACPI_NAMESPACE_DEVICE"
        case .unknown: return "unknown"
        }
    }
}

/// A Device Scope structure inside DRHD, RMRR, ATSR, SATC or SIDP.
public struct DMARDeviceScope: Sendable, Equatable {
    /// Minimum length: type, length, flags, reserved, enumeration id, start bus.
    static let headerSize = 6

    public let offset: Int
    public let typeCode: UInt8
    public let length: UInt8
    /// Flags (VT-d 3.4+, used by SIDP; was reserved before).
    public let flags: UInt8
    /// IOAPIC id / HPET number / ACPI device number; 0 for PCI scopes.
    public let enumerationID: UInt8
    public let startBus: UInt8
    /// Hierarchical path from `startBus`: first hop is on `startBus`, each
    /// further hop is on the secondary bus of the bridge before it.
    public let path: [DMARPathEntry]

    public var type: DMARDeviceScopeType { DMARDeviceScopeType(code: typeCode) }

    /// Names of the set flag bits (REQ_WO_PASID_*_NOTALLOWED, ATC_HARDENED, ATC_REQUIRED).
    public var flagNames: [String] { bitNames(flags, DMARDeviceScope.flagBitNames) }
    static let flagBitNames = [
        "REQ_WO_PASID_NESTED_NOTALLOWED", "REQ_WO_PASID_PWSNP_NOTALLOWED",
        "REQ_WO_PASID_PGSNP_NOTALLOWED", "ATC_HARDENED", "ATC_REQUIRED",
    ]

    /// The path as tuples, for callers that prefer them.
    public var pathPairs: [(device: UInt8, function: UInt8)] {
        path.map { ($0.device, $0.function) }
    }

    /// Bus/device/function when the path has exactly one hop (no bridge to
    /// resolve): (startBus, path[0]). Nil for an empty or multi-hop path.
    public var directAddress: (bus: UInt8, device: UInt8, function: UInt8)? {
        guard path.count == 1 else { return nil }
        return (startBus, path[0].device, path[0].function)
    }

    /// Resolves the device this scope names. `secondaryBus(bus, device,
    /// function)` must return the secondary bus number of the PCI bridge at
    /// that address (e.g. from config space offset 0x19), or nil if unknown.
    /// A one-hop path needs no lookups. Returns nil for an empty path or if
    /// a bridge cannot be resolved.
    public func endpointAddress(
        secondaryBus: (UInt8, UInt8, UInt8) -> UInt8?
    ) -> (bus: UInt8, device: UInt8, function: UInt8)? {
        guard let last = path.last else { return nil }
        var bus = startBus
        for hop in path.dropLast() {
            guard let next = secondaryBus(bus, hop.device, hop.function) else { return nil }
            bus = next
        }
        return (bus, last.device, last.function)
    }
}

/// Type 0: DMA Remapping Hardware Unit Definition.
public struct DMARHardwareUnit: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let flags: UInt8
    /// Register set size: 2^(size & 0xF) pages of 4 KiB.
    public let size: UInt8
    public let segment: UInt16
    public let registerBaseAddress: UInt64
    public let deviceScopes: [DMARDeviceScope]

    /// Flags bit 0: this unit covers every PCI device of the segment not
    /// claimed by another DRHD (its scopes then list only IOAPIC/HPET/ACPI devices).
    public var includePCIAll: Bool { flags & 0x01 != 0 }
    /// Size of the register set in 4 KiB pages.
    public var registerSetPages: Int { 1 << Int(size & 0x0F) }
}

/// Type 1: Reserved Memory Region Reporting.
public struct DMARReservedMemory: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let segment: UInt16
    public let baseAddress: UInt64
    /// Last byte of the region (the spec's "limit"), inclusive.
    public let endAddress: UInt64
    /// The devices that need this region identity-mapped.
    public let deviceScopes: [DMARDeviceScope]
}

/// Type 2: Root Port ATS Capability Reporting.
public struct DMARRootPortATS: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let flags: UInt8
    public let segment: UInt16
    public let deviceScopes: [DMARDeviceScope]

    /// Flags bit 0: all root ports of the segment support ATS.
    public var allPorts: Bool { flags & 0x01 != 0 }
}

/// Type 3: Remapping Hardware Static Affinity.
public struct DMARHardwareAffinity: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let registerBaseAddress: UInt64
    public let proximityDomain: UInt32
}

/// Type 4: ACPI Name-space Device Declaration.
public struct DMARNamespaceDevice: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let acpiDeviceNumber: UInt8
    /// Fully qualified ACPI object name, e.g. "\_SB.PCI0.I2C0".
    public let acpiObjectName: String
}

/// Type 5: SoC Integrated Address Translation Cache.
public struct DMARSoCATC: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let flags: UInt8
    public let segment: UInt16
    public let deviceScopes: [DMARDeviceScope]

    /// Flags bit 0: the listed devices need ATC enabled for correct operation.
    public var atcRequired: Bool { flags & 0x01 != 0 }
}

/// Type 6: SoC Integrated Device Property Reporting.
public struct DMARSoCDeviceProperty: Sendable, Equatable {
    public let offset: Int
    public let length: UInt16
    public let segment: UInt16
    /// Properties are in each scope's `flags`.
    public let deviceScopes: [DMARDeviceScope]
}

/// A remapping structure of a reserved type (7 and above), kept raw.
public struct DMARUnknownStructure: Sendable, Equatable {
    public let offset: Int
    public let typeCode: UInt16
    public let length: UInt16
    /// The bytes after the 4-byte type/length header.
    public let body: [UInt8]
}

/// One remapping structure of the DMAR table.
public enum DMARStructure: Sendable, Equatable {
    case drhd(DMARHardwareUnit)
    case rmrr(DMARReservedMemory)
    case atsr(DMARRootPortATS)
    case rhsa(DMARHardwareAffinity)
    case andd(DMARNamespaceDevice)
    case satc(DMARSoCATC)
    case sidp(DMARSoCDeviceProperty)
    case unknown(DMARUnknownStructure)

    /// Short type names by type code (index = code).
    static let typeNames = ["DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP"]

    /// "DRHD", "RMRR", ... or "unknown".
    public var typeName: String {
        let code = Int(typeCode)
        if case .unknown = self { return "unknown" }
        return DMARStructure.typeNames[code]
    }

    public var typeCode: UInt16 {
        switch self {
        case .drhd: return 0
        case .rmrr: return 1
        case .atsr: return 2
        case .rhsa: return 3
        case .andd: return 4
        case .satc: return 5
        case .sidp: return 6
        case .unknown(let s): return s.typeCode
        }
    }

    /// The structure's value, for the fields all structures share.
    public var structure: any DMARRemappingStructure {
        switch self {
        case .drhd(let s): return s
        case .rmrr(let s): return s
        case .atsr(let s): return s
        case .rhsa(let s): return s
        case .andd(let s): return s
        case .satc(let s): return s
        case .sidp(let s): return s
        case .unknown(let s): return s
        }
    }

    public var offset: Int { structure.offset }
    public var length: UInt16 { structure.length }
    /// Device scopes of DRHD/RMRR/ATSR/SATC/SIDP; empty for the others.
    public var deviceScopes: [DMARDeviceScope] { structure.deviceScopes }
}

/// What every remapping structure has.
public protocol DMARRemappingStructure: Sendable {
    /// Byte offset of the structure in the table.
    var offset: Int { get }
    /// The structure's Length field.
    var length: UInt16 { get }
    /// Device scopes (none for RHSA, ANDD and unknown types).
    var deviceScopes: [DMARDeviceScope] { get }
}

extension DMARRemappingStructure {
    public var deviceScopes: [DMARDeviceScope] { [] }
}

extension DMARHardwareUnit: DMARRemappingStructure {}
extension DMARReservedMemory: DMARRemappingStructure {}
extension DMARRootPortATS: DMARRemappingStructure {}
extension DMARHardwareAffinity: DMARRemappingStructure {}
extension DMARNamespaceDevice: DMARRemappingStructure {}
extension DMARSoCATC: DMARRemappingStructure {}
extension DMARSoCDeviceProperty: DMARRemappingStructure {}
extension DMARUnknownStructure: DMARRemappingStructure {}

/// Names of the set bits of `value`, `names[i]` naming bit i; set bits with
/// no name come out as "bitN".
func bitNames<T: BinaryInteger>(_ value: T, _ names: [String]) -> [String] {
    var result: [String] = []
    for bit in 0..<(MemoryLayout<T>.size * 8) where (value >> bit) & 1 == 1 {
        result.append(bit < names.count && !names[bit].isEmpty ? names[bit] : "bit\(bit)")
    }
    return result
}
