/// The Single Root I/O Virtualization extended capability (ID 0x0010).
/// Register offsets are relative to the capability; the structure is 0x40 bytes.
public struct SRIOVCapability: Sendable, Equatable {
    /// One VF BAR region decoded from the six VF BAR registers (cap + 0x24 ... 0x38).
    public struct VFBAR: Sendable, Equatable {
        /// BAR type field (bits 2:1).
        public enum MemoryType: Sendable, Equatable {
            case bits32      // 00b
            case below1MB    // 01b, legacy
            case bits64      // 10b: the next register holds the upper 32 bits
            case reserved    // 11b
        }

        /// Register index 0...5 of the (lower) BAR register.
        public let index: Int
        /// The lower register as read.
        public let register: UInt32
        public let memoryType: MemoryType
        public let prefetchable: Bool
        /// Base address, including the upper half of a 64-bit BAR.
        public let baseAddress: UInt64

        public var is64Bit: Bool { memoryType == .bits64 }
    }

    public let offset: Int
    public let version: UInt8
    /// SR-IOV Capabilities register (cap + 0x04).
    public let capabilities: UInt32
    /// SR-IOV Control register (cap + 0x08).
    public let control: UInt16
    /// SR-IOV Status register (cap + 0x0A).
    public let status: UInt16
    public let initialVFs: UInt16
    public let totalVFs: UInt16
    public let numVFs: UInt16
    public let functionDependencyLink: UInt8
    public let firstVFOffset: UInt16
    public let vfStride: UInt16
    public let vfDeviceID: UInt16
    public let supportedPageSizes: UInt32
    public let systemPageSize: UInt32
    /// The six raw VF BAR registers.
    public let vfBARRegisters: [UInt32]
    /// VF Migration State Array Offset register (cap + 0x3C): offset bits 31:3, BIR bits 2:0.
    public let vfMigrationStateArrayOffset: UInt32

    /// Decodes the capability at `offset`; nil unless the whole 0x40-byte
    /// structure is present and the header carries ID 0x0010.
    public init?(config: PCIConfigSpace, offset: Int, version: UInt8? = nil) {
        guard config.contains(offset: offset, length: 0x40),
              let header = config.dword(at: offset), header & 0xffff == UInt32(PCIConfigSpace.ExtendedCapabilityID.sriov)
        else { return nil }
        // The range check above makes every read below succeed.
        func word(_ at: Int) -> UInt16 { config.word(at: offset + at) ?? 0 }
        func dword(_ at: Int) -> UInt32 { config.dword(at: offset + at) ?? 0 }
        self.offset = offset
        self.version = version ?? UInt8(header.bits(16, count: 4))
        capabilities = dword(0x04)
        control = word(0x08)
        status = word(0x0A)
        initialVFs = word(0x0C)
        totalVFs = word(0x0E)
        numVFs = word(0x10)
        functionDependencyLink = config.byte(at: offset + 0x12) ?? 0
        firstVFOffset = word(0x14)
        vfStride = word(0x16)
        vfDeviceID = word(0x1A)
        supportedPageSizes = dword(0x1C)
        systemPageSize = dword(0x20)
        vfBARRegisters = (0..<6).map { dword(0x24 + 4 * $0) }
        vfMigrationStateArrayOffset = dword(0x3C)
    }

    // MARK: Capabilities register bits
    public var vfMigrationCapable: Bool { capabilities.bit(0) }
    public var ariCapableHierarchyPreserved: Bool { capabilities.bit(1) }
    public var vf10BitTagRequesterSupported: Bool { capabilities.bit(2) }
    /// VF Migration Interrupt Message Number (bits 31:21).
    public var vfMigrationInterruptMessageNumber: UInt16 { UInt16(capabilities >> 21) }

    // MARK: Control register bits
    public var vfEnable: Bool { control.bit(0) }
    public var vfMigrationEnable: Bool { control.bit(1) }
    public var vfMigrationInterruptEnable: Bool { control.bit(2) }
    public var vfMSE: Bool { control.bit(3) }
    public var ariCapableHierarchy: Bool { control.bit(4) }
    public var vf10BitTagRequesterEnable: Bool { control.bit(5) }

    // MARK: Status register bits
    public var vfMigrationStatus: Bool { status.bit(0) }

    // MARK: VF Migration State Array
    public var vfMigrationStateBIR: UInt8 { UInt8(vfMigrationStateArrayOffset & 0x7) }
    public var vfMigrationStateOffset: UInt32 { vfMigrationStateArrayOffset & ~0x7 }

    /// The VF BAR regions. A register that reads 0 (unimplemented) or all ones is
    /// skipped; a 64-bit BAR consumes the following register as its upper half.
    /// (Like lspci, a 64-bit BAR in the last slot takes its upper half from the
    /// next dword, the migration-state register; such a structure is malformed.)
    public var vfBARs: [VFBAR] {
        let registers = vfBARRegisters + [vfMigrationStateArrayOffset]
        var regions: [VFBAR] = []
        var index = 0
        while index < 6 {
            let low = registers[index]
            guard low != 0, low != .max else {
                index += 1
                continue
            }
            let type: VFBAR.MemoryType = switch low.bits(1, count: 2) {
            case 0: .bits32
            case 1: .below1MB
            case 2: .bits64
            default: .reserved
            }
            var base = UInt64(low & ~0xf)
            if type == .bits64 {
                base |= UInt64(registers[index + 1]) << 32
            }
            regions.append(VFBAR(index: index, register: low, memoryType: type,
                                 prefetchable: low.bit(3), baseAddress: base))
            index += type == .bits64 ? 2 : 1
        }
        return regions
    }

    /// Addresses of the VFs: routing ID = PF routing ID + First VF Offset + i * VF Stride
    /// for i < `count` (default: NumVFs), in the PF's domain. VFs whose routing ID would
    /// pass 0xFFFF are omitted.
    public func vfAddresses(pf: PCIAddress, count: Int? = nil) -> [PCIAddress] {
        let total = max(0, count ?? Int(numVFs))
        let first = Int(pf.routingID) + Int(firstVFOffset)
        return (0..<total).lazy
            .map { first + $0 * Int(self.vfStride) }
            .prefix { $0 <= 0xFFFF }
            .map { PCIAddress(domain: pf.domain, routingID: UInt16($0)) }
    }

    /// What `lspci -vvv` (pciutils 3.9.0) prints for this capability, without the
    /// leading indentation.
    public func lspciLines() -> [String] {
        typealias T = LspciText
        var lines = [
            T.extendedHeader(offset: offset, version: version, name: "Single Root I/O Virtualization (SR-IOV)"),
            "IOVCap:\t" + T.flags([("Migration", vfMigrationCapable), ("10BitTagReq", vf10BitTagRequesterSupported)])
                + " Interrupt Message Number: \(T.hex(vfMigrationInterruptMessageNumber, digits: 3))",
            "IOVCtl:\t" + T.flags([
                ("Enable", vfEnable), ("Migration", vfMigrationEnable), ("Interrupt", vfMigrationInterruptEnable),
                ("MSE", vfMSE), ("ARIHierarchy", ariCapableHierarchy), ("10BitTagReq", vf10BitTagRequesterEnable),
            ]),
            "IOVSta:\t" + T.flag("Migration", vfMigrationStatus),
            "Initial VFs: \(initialVFs), Total VFs: \(totalVFs), Number of VFs: \(numVFs), "
                + "Function Dependency Link: \(T.hex(functionDependencyLink, digits: 2))",
            "VF offset: \(firstVFOffset), stride: \(vfStride), Device ID: \(T.hex(vfDeviceID, digits: 4))",
            "Supported Page Size: \(T.hex(supportedPageSizes, digits: 8)), "
                + "System Page Size: \(T.hex(systemPageSize, digits: 8))",
        ]
        for bar in vfBARs {
            let address = T.hex(bar.baseAddress, digits: bar.is64Bit ? 16 : 8)
            let width = bar.memoryType == .bits32 ? "32" : "64"
            lines.append("Region \(bar.index): Memory at \(address) (\(width)-bit, \(bar.prefetchable ? "" : "non-")prefetchable)")
        }
        lines.append("VF Migration: offset: \(T.hex(vfMigrationStateOffset, digits: 8)), BIR: \(T.hex(vfMigrationStateBIR, digits: 1))")
        return lines
    }
}
