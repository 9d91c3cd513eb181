/// A function's configuration space as bytes, with bounds-checked register reads and
/// loop-safe capability walks. Any byte array is accepted: short or garbage input
/// yields fewer (or no) capabilities, never a crash.
public struct PCIConfigSpace: Sendable {
    /// Standard capability IDs used here.
    public enum CapabilityID {
        public static let pciX: UInt8 = 0x07
        public static let pciExpress: UInt8 = 0x10
    }

    /// Extended capability IDs used here.
    public enum ExtendedCapabilityID {
        public static let acs: UInt16 = 0x000D
        public static let ari: UInt16 = 0x000E
        public static let sriov: UInt16 = 0x0010
    }

    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var count: Int { bytes.count }

    // MARK: Register access (little-endian; nil when any byte is out of range)

    public func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        return bytes[offset]
    }

    public func word(at offset: Int) -> UInt16? {
        guard let low = byte(at: offset), let high = byte(at: offset + 1) else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    public func dword(at offset: Int) -> UInt32? {
        guard let low = word(at: offset), let high = word(at: offset + 2) else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// True when `length` bytes starting at `offset` are all present.
    public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count - length
    }

    // MARK: Header fields

    public var vendorID: UInt16? { word(at: 0x00) }
    public var deviceID: UInt16? { word(at: 0x02) }
    public var status: UInt16? { word(at: 0x06) }
    /// Header type without the multi-function bit.
    public var headerType: UInt8? { byte(at: 0x0E).map { $0 & 0x7f } }
    public var isMultiFunction: Bool { byte(at: 0x0E).map { $0.bit(7) } ?? false }

    // MARK: Capability walks

    /// Standard capabilities in chain order, starting from the pointer at 0x34
    /// (0x14 for a CardBus bridge) when status bit 4 (capability list) is set.
    /// The walk stops at a zero pointer, a pointer below 0x40 or past the data,
    /// an ID of 0xff (chain broken, as lspci treats it) or an offset seen before.
    public var capabilities: [(id: UInt8, offset: Int)] {
        guard let status, status.bit(4) else { return [] }
        let pointerRegister = headerType == 2 ? 0x14 : 0x34
        var result: [(id: UInt8, offset: Int)] = []
        var seen = Set<Int>()
        var offset = Int(byte(at: pointerRegister) ?? 0) & ~3
        while offset >= 0x40, seen.insert(offset).inserted,
              let id = byte(at: offset), let next = byte(at: offset + 1), id != 0xff {
            result.append((id: id, offset: offset))
            offset = Int(next) & ~3
        }
        return result
    }

    /// Extended capabilities in chain order, starting at 0x100. As in lspci and
    /// libpci, the chain is only followed for functions with a PCI Express (or
    /// PCI-X) capability. The walk stops at a zero or all-ones header, a header
    /// that does not fit in the data, a next pointer below 0x100 or an offset
    /// seen before. A truncated (64- or 256-byte) config space has none.
    public var extendedCapabilities: [(id: UInt16, version: UInt8, offset: Int)] {
        let ids = capabilities.map(\.id)
        guard ids.contains(CapabilityID.pciExpress) || ids.contains(CapabilityID.pciX) else { return [] }
        var result: [(id: UInt16, version: UInt8, offset: Int)] = []
        var seen = Set<Int>()
        var offset = 0x100
        while seen.insert(offset).inserted, let header = dword(at: offset), header != 0, header != .max {
            result.append((id: UInt16(header & 0xffff), version: UInt8(header.bits(16, count: 4)), offset: offset))
            offset = Int(header >> 20) & ~3
            if offset < 0x100 { break }
        }
        return result
    }

    /// Offset of the first standard capability with this ID.
    public func capabilityOffset(id: UInt8) -> Int? {
        capabilities.first { $0.id == id }?.offset
    }

    /// Offset and version of the first extended capability with this ID.
    public func extendedCapability(id: UInt16) -> (version: UInt8, offset: Int)? {
        extendedCapabilities.first { $0.id == id }.map { (version: $0.version, offset: $0.offset) }
    }

    // MARK: Decoded capabilities

    public var pcie: PCIeCapability? {
        capabilityOffset(id: CapabilityID.pciExpress).flatMap { PCIeCapability(config: self, offset: $0) }
    }

    public var sriov: SRIOVCapability? {
        extendedCapability(id: ExtendedCapabilityID.sriov).flatMap {
            SRIOVCapability(config: self, offset: $0.offset, version: $0.version)
        }
    }

    public var ari: ARICapability? {
        extendedCapability(id: ExtendedCapabilityID.ari).flatMap {
            ARICapability(config: self, offset: $0.offset, version: $0.version)
        }
    }

    public var acs: ACSCapability? {
        extendedCapability(id: ExtendedCapabilityID.acs).flatMap {
            ACSCapability(config: self, offset: $0.offset, version: $0.version)
        }
    }

    /// `lspci -vvv` lines for every SR-IOV, ARI and ACS capability in the extended
    /// chain, in chain order (one inner array per capability).
    public func virtualizationCapabilityBlocks() -> [[String]] {
        extendedCapabilities.compactMap { cap -> [String]? in
            switch cap.id {
            case ExtendedCapabilityID.sriov:
                return SRIOVCapability(config: self, offset: cap.offset, version: cap.version)?.lspciLines()
            case ExtendedCapabilityID.ari:
                return ARICapability(config: self, offset: cap.offset, version: cap.version)?.lspciLines()
            case ExtendedCapabilityID.acs:
                return ACSCapability(config: self, offset: cap.offset, version: cap.version)?.lspciLines()
            default:
                return nil
            }
        }
    }
}
