/// Config-space views of a PCI function (decoding lives in the PCIAccess module).
public struct SRIOVCapabilityView: Sendable, Equatable {
    public var totalVFs: Int
    public var numVFs: Int
    public var initialVFs: Int
    public var firstVFOffset: Int
    public var vfStride: Int
    public var vfDeviceID: UInt16
    public var vfEnable: Bool
    public var ariCapableHierarchy: Bool
}

extension PCIFunction {
    var configBytes: [UInt8]? { try? config.get() }

    /// Offset of an extended capability, walking the chain from 0x100 (bounded, loop-safe).
    func extendedCapability(_ id: UInt16) -> Int? {
        guard let b = configBytes, b.count >= 0x104 else { return nil }
        var off = 0x100
        var seen = Set<Int>()
        while off >= 0x100, off + 4 <= b.count, seen.insert(off).inserted {
            let header = UInt32(b[off]) | UInt32(b[off + 1]) << 8 | UInt32(b[off + 2]) << 16 | UInt32(b[off + 3]) << 24
            if header == 0 || header == 0xFFFF_FFFF { return nil }
            if UInt16(header & 0xFFFF) == id { return off }
            off = Int(header >> 20) & 0xFFC
        }
        return nil
    }

    public var hasSRIOVCapability: Bool { extendedCapability(0x0010) != nil }

    public var sriovCapability: SRIOVCapabilityView? {
        guard let o = extendedCapability(0x0010), let b = configBytes, o + 0x24 <= b.count else { return nil }
        func w(_ i: Int) -> Int { Int(b[o + i]) | Int(b[o + i + 1]) << 8 }
        return SRIOVCapabilityView(totalVFs: w(0x0E), numVFs: w(0x10), initialVFs: w(0x0C), firstVFOffset: w(0x14),
                                   vfStride: w(0x16), vfDeviceID: UInt16(w(0x1A)), vfEnable: b[o + 8] & 1 != 0,
                                   ariCapableHierarchy: b[o + 8] & 0x10 != 0)
    }
}

/// Vendor and device names from pci.ids, loaded only when a report shows them.
public final class PCINames: @unchecked Sendable {
    public init() {}
    public func model(_ f: PCIFunction) -> String { f.ids }
}
