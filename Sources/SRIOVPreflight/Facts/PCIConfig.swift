import PCIAccess

/// The capabilities decoded from a function's config space (nil when it is absent or too short).
public struct PCICapabilities: Sendable {
    public var pcie: PCIeCapability?
    public var sriov: SRIOVCapability?
    public var ari: ARICapability?
    public var acs: ACSCapability?

    init(_ bytes: [UInt8]) {
        let space = PCIConfigSpace(bytes: bytes)
        pcie = space.pcie
        // Extended capabilities exist only in a full config space; a 64-byte read (non-root) has none.
        if bytes.count >= 256 {
            sriov = space.sriov
            ari = space.ari
            acs = space.acs
        }
    }
}

extension PCIFunction {
    public var hasSRIOVCapability: Bool { caps?.sriov != nil }
    public var sriovCapability: SRIOVCapability? { caps?.sriov }

    /// TotalVFs: sysfs first (what the kernel allows), else the capability.
    public var totalVFs: Int { sriov?.totalVFs ?? caps?.sriov.map { Int($0.totalVFs) } ?? 0 }

    /// NumVFs: sysfs first, else the `virtfn*` links, else the capability.
    public var numVFs: Int { sriov?.numVFs ?? (virtfns.isEmpty ? caps?.sriov.map { Int($0.numVFs) } ?? 0 : virtfns.count) }
}

/// Vendor and device names from pci.ids (of the machine running the tool), loaded only when a report
/// shows them.
public final class PCINames: @unchecked Sendable {
    private let db = PCINameDatabase()
    public init() {}

    public func model(_ f: PCIFunction) -> String {
        guard let v = f.vendorID, let d = f.deviceID else { return f.ids }
        let vendor = db.vendorName(v)
        let device = db.deviceName(vendor: v, device: d)
        switch (vendor, device) {
        case (let vn?, let dn?): return "\(Self.short(vn)) \(dn)"
        case (let vn?, nil): return "\(Self.short(vn)) \(f.ids)"
        default: return f.ids
        }
    }

    /// "Intel Corporation" → "Intel".
    static func short(_ vendor: String) -> String {
        var v = vendor
        for suffix in [" Corporation", " Corp.", ", Inc.", " Inc.", " Co., Ltd.", " Technologies", " Ltd."] where v.hasSuffix(suffix) {
            v.removeLast(suffix.count)
        }
        return v
    }
}
