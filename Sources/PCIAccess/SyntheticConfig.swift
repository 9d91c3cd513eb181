/// Builders of valid config spaces for tests and synthetic hosts: an SR-IOV
/// physical function (PCI Express endpoint with ARI and SR-IOV extended
/// capabilities, optionally ACS) and its virtual functions, plus a renderer of
/// `lspci -xxxx` dump text that libpci's dump method reads back.
///
/// PF layout: header, PCI Express capability at 0x40 (the only standard one),
/// extended chain ARI @0x100 -> SR-IOV @0x140 [-> ACS @0x180].
/// VF layout: header, PCI Express capability at 0x40, ARI @0x100.
public enum SyntheticConfig {
    public static let pcieCapabilityOffset = 0x40
    public static let ariOffset = 0x100
    public static let sriovOffset = 0x140
    public static let acsOffset = 0x180

    /// A VF BAR to encode in the PF's SR-IOV capability.
    public struct VFBAR: Sendable, Equatable {
        /// Register index 0...5; a 64-bit BAR also occupies index + 1.
        public var index: Int
        public var baseAddress: UInt64
        public var is64Bit: Bool
        public var prefetchable: Bool

        public init(index: Int, baseAddress: UInt64, is64Bit: Bool = true, prefetchable: Bool = false) {
            self.index = index
            self.baseAddress = baseAddress
            self.is64Bit = is64Bit
            self.prefetchable = prefetchable
        }
    }

    /// A 4096-byte config space of an SR-IOV PF. VF Enable and VF MSE are set when
    /// `numVFs` > 0; `initialVFs` defaults to `totalVFs`. `ariNextFunction` is the
    /// next PF of the same device in the ARI chain (0 ends it). `acs` adds an ACS
    /// capability with these capability bits (and no control bits enabled). VF BARs
    /// with an index outside 0...5, or 64-bit at index 5, are left out.
    public static func sriovPF(
        vendorID: UInt16, deviceID: UInt16, classCode: UInt32 = 0x020000, revision: UInt8 = 1,
        subsystemVendorID: UInt16 = 0, subsystemID: UInt16 = 0, multiFunction: Bool = false,
        totalVFs: UInt16, initialVFs: UInt16? = nil, numVFs: UInt16,
        firstVFOffset: UInt16, vfStride: UInt16, vfDeviceID: UInt16, vfBARs: [VFBAR] = [],
        ariCapableHierarchy: Bool = true, functionDependencyLink: UInt8 = 0, ariNextFunction: UInt8 = 0,
        acs: ACSCapability.Features? = nil, linkSpeed: UInt8 = 3, linkWidth: UInt8 = 8,
        supportedPageSizes: UInt32 = 0x0000_0553, systemPageSize: UInt32 = 0x0000_0001
    ) -> [UInt8] {
        var config = ConfigBuilder()
        config.header(vendorID: vendorID, deviceID: deviceID, classCode: classCode, revision: revision,
                      subsystemVendorID: subsystemVendorID, subsystemID: subsystemID, multiFunction: multiFunction)
        config.set16(0x04, 0x0006) // command: memory space + bus master
        config.pcieEndpoint(linkSpeed: linkSpeed, linkWidth: linkWidth)
        var chain: [(id: UInt16, offset: Int)] = [(PCIConfigSpace.ExtendedCapabilityID.ari, ariOffset),
                                                   (PCIConfigSpace.ExtendedCapabilityID.sriov, sriovOffset)]
        if acs != nil { chain.append((PCIConfigSpace.ExtendedCapabilityID.acs, acsOffset)) }
        config.extendedChain(chain)

        config.set16(ariOffset + 0x04, UInt16(ariNextFunction) << 8)

        let s = sriovOffset
        let enabled = numVFs > 0
        config.set16(s + 0x08, (enabled ? 0x0009 : 0) | (ariCapableHierarchy ? 0x0010 : 0))
        config.set16(s + 0x0C, initialVFs ?? totalVFs)
        config.set16(s + 0x0E, totalVFs)
        config.set16(s + 0x10, numVFs)
        config.set8(s + 0x12, functionDependencyLink)
        config.set16(s + 0x14, firstVFOffset)
        config.set16(s + 0x16, vfStride)
        config.set16(s + 0x1A, vfDeviceID)
        config.set32(s + 0x1C, supportedPageSizes) // default 0x553: 4K, 8K, 64K, 256K, 1M, 4M pages
        config.set32(s + 0x20, systemPageSize)     // default 1: 4K system pages
        for bar in vfBARs where (0..<6).contains(bar.index) && (!bar.is64Bit || bar.index < 5) {
            let flags: UInt32 = (bar.is64Bit ? 0x4 : 0) | (bar.prefetchable ? 0x8 : 0)
            config.set32(s + 0x24 + 4 * bar.index, UInt32(truncatingIfNeeded: bar.baseAddress) & ~0xf | flags)
            if bar.is64Bit { config.set32(s + 0x28 + 4 * bar.index, UInt32(truncatingIfNeeded: bar.baseAddress >> 32)) }
        }

        if let acs { config.set16(acsOffset + 0x04, acs.rawValue & 0x7f) }
        return config.bytes
    }

    /// A 4096-byte config space of a VF. As the specification requires, its Vendor
    /// and Device ID registers read 0xFFFF (the kernel's sysfs `vendor`/`device`
    /// files give the PF's vendor and the SR-IOV VF Device ID); its BARs read 0.
    public static func sriovVF(
        classCode: UInt32 = 0x020000, revision: UInt8 = 1, subsystemVendorID: UInt16 = 0, subsystemID: UInt16 = 0,
        linkSpeed: UInt8 = 3, linkWidth: UInt8 = 8
    ) -> [UInt8] {
        var config = ConfigBuilder()
        config.header(vendorID: 0xFFFF, deviceID: 0xFFFF, classCode: classCode, revision: revision,
                      subsystemVendorID: subsystemVendorID, subsystemID: subsystemID, multiFunction: false)
        config.pcieEndpoint(linkSpeed: linkSpeed, linkWidth: linkWidth)
        config.extendedChain([(PCIConfigSpace.ExtendedCapabilityID.ari, ariOffset)])
        return config.bytes
    }

    /// `lspci -xxxx`-style dump text (address line, 16 bytes per line, blank line
    /// between functions) that `PCIAccess.scanDump` and `lspci -F` read back.
    /// A 4096-byte config space of a PCI Express root port (type 1 header) with the given secondary bus,
    /// ARI forwarding supported and enabled when `ariForwarding`, and an ACS capability when `acs` is given.
    public static func rootPort(
        vendorID: UInt16 = 0x8086, deviceID: UInt16 = 0x2030, secondaryBus: UInt8, ariForwarding: Bool,
        acs: ACSCapability.Features? = nil
    ) -> [UInt8] {
        var config = ConfigBuilder()
        config.header(vendorID: vendorID, deviceID: deviceID, classCode: 0x060400, revision: 1,
                      subsystemVendorID: 0, subsystemID: 0, multiFunction: false)
        config.set8(0x0E, 0x01)                      // header type 1 (bridge)
        config.set8(0x18, 0)                         // primary bus
        config.set8(0x19, secondaryBus)
        config.set8(0x1A, secondaryBus)              // subordinate bus
        config.pcieEndpoint(linkSpeed: 3, linkWidth: 8)
        let cap = pcieCapabilityOffset
        config.set16(cap + 0x02, 0x0042)             // version 2, root port
        if ariForwarding {
            config.set32(cap + 0x24, 1 << 5)         // DevCap2: ARI forwarding supported
            config.set16(cap + 0x28, 1 << 5)         // DevCtl2: ARI forwarding enabled
        }
        if let acs {
            // A port's only extended capability: the chain starts at 0x100, where the decoder looks first.
            let offset = 0x100
            config.extendedChain([(PCIConfigSpace.ExtendedCapabilityID.acs, offset)])
            config.set16(offset + 0x04, acs.rawValue & 0x7f)
            config.set16(offset + 0x06, acs.rawValue & 0x7f)
        }
        return config.bytes
    }

    public static func lspciDump(_ functions: [(address: PCIAddress, config: [UInt8])]) -> String {
        var text = ""
        for function in functions {
            text += "\(function.address) Synthetic function\n"
            for line in stride(from: 0, to: function.config.count, by: 16) {
                let bytes = function.config[line..<min(line + 16, function.config.count)]
                text += LspciText.hex(line, digits: line < 0x100 ? 2 : 3) + ": "
                    + bytes.map { LspciText.hex($0, digits: 2) }.joined(separator: " ") + "\n"
            }
            text += "\n"
        }
        return text
    }
}

/// A zeroed 4096-byte config space with little-endian register writers.
struct ConfigBuilder {
    var bytes = [UInt8](repeating: 0, count: 4096)

    mutating func set8(_ offset: Int, _ value: UInt8) {
        bytes[offset] = value
    }

    mutating func set16(_ offset: Int, _ value: UInt16) {
        set8(offset, UInt8(value & 0xff))
        set8(offset + 1, UInt8(value >> 8))
    }

    mutating func set32(_ offset: Int, _ value: UInt32) {
        set16(offset, UInt16(value & 0xffff))
        set16(offset + 2, UInt16(value >> 16))
    }

    /// Type 0 header with the capability list bit set and the list at 0x40.
    mutating func header(vendorID: UInt16, deviceID: UInt16, classCode: UInt32, revision: UInt8,
                         subsystemVendorID: UInt16, subsystemID: UInt16, multiFunction: Bool) {
        set16(0x00, vendorID)
        set16(0x02, deviceID)
        set16(0x06, 0x0010) // status: capability list
        set8(0x08, revision)
        set8(0x09, UInt8(classCode & 0xff))
        set8(0x0A, UInt8((classCode >> 8) & 0xff))
        set8(0x0B, UInt8((classCode >> 16) & 0xff))
        set8(0x0E, multiFunction ? 0x80 : 0x00)
        set16(0x2C, subsystemVendorID)
        set16(0x2E, subsystemID)
        set8(0x34, UInt8(SyntheticConfig.pcieCapabilityOffset))
    }

    /// A version 2 PCI Express capability of an endpoint, alone in the list.
    mutating func pcieEndpoint(linkSpeed: UInt8, linkWidth: UInt8) {
        let cap = SyntheticConfig.pcieCapabilityOffset
        set8(cap, PCIConfigSpace.CapabilityID.pciExpress)
        set8(cap + 1, 0)
        set16(cap + 0x02, 0x0002)
        let link = UInt16(linkSpeed & 0xf) | UInt16(linkWidth & 0x3f) << 4
        set32(cap + 0x0C, UInt32(link))
        set16(cap + 0x12, link)
    }

    /// Extended capability headers (version 1), each pointing at the next.
    mutating func extendedChain(_ chain: [(id: UInt16, offset: Int)]) {
        for (position, cap) in chain.enumerated() {
            let next = position + 1 < chain.count ? chain[position + 1].offset : 0
            set32(cap.offset, UInt32(cap.id) | 1 << 16 | UInt32(next) << 20)
        }
    }
}
