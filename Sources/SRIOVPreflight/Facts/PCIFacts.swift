import Dispatch
import PCIAccess

/// One line of a PCI function's sysfs `resource` file (0–5 BARs, 6 ROM, 7–12 the IOV BARs).
public struct PCIResource: Sendable, Equatable {
    public var index: Int
    public var start: UInt64
    public var end: UInt64
    public var flags: UInt64

    public var assigned: Bool { end > start || (start != 0 && end != 0) }
    public var size: UInt64 { assigned ? end &- start &+ 1 : 0 }
    /// IORESOURCE_MEM_64
    public var is64: Bool { flags & 0x0010_0000 != 0 }
    /// IORESOURCE_PREFETCH
    public var prefetchable: Bool { flags & 0x2000 != 0 }
    /// IORESOURCE_UNSET: a BAR the kernel could not place.
    public var unset: Bool { flags & 0x2000_0000 != 0 }
}

/// The sysfs SR-IOV attributes of a physical function (present only when the kernel sees the capability).
public struct SRIOVAttributes: Sendable, Equatable {
    public var totalVFs: Int?
    public var numVFs: Int?
    public var offset: Int?
    public var stride: Int?
    public var vfDevice: UInt16?
    public var driversAutoprobe: Bool?
}

/// One PCI function as sysfs and its config space show it.
public struct PCIFunction: Sendable {
    public var address: String
    /// Canonical root-relative device directory ("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0").
    public var path: String
    public var vendorID: UInt16?
    public var deviceID: UInt16?
    public var subsystemVendorID: UInt16?
    public var subsystemDeviceID: UInt16?
    public var classCode: UInt32?
    public var driver: String?
    public var iommuGroup: String?
    public var numaNode: Int?
    public var linkSpeed: String?
    public var linkWidth: String?
    public var sriov: SRIOVAttributes?
    /// VF addresses from the `virtfnN` links, in N order.
    public var virtfns: [String] = []
    /// The PF of a VF (the `physfn` link).
    public var physfn: String?
    public var resources: [PCIResource] = []
    /// Config space bytes as read (64 for a non-root reader of real sysfs, 256 or 4096 for root).
    public var config: Result<[UInt8], FSError>
    /// Network interfaces under the device (`net/*`).
    public var netdevs: [String] = []
    /// The address of the bridge above this function (nil at a root bus).
    public var parent: String?
    public var ariEnabled: Bool?
    /// Secondary bus number for bridges.
    public var secondaryBus: Int?
    /// Capabilities decoded from `config`.
    public var caps: PCICapabilities?
    /// Read from a report's text outputs (a sosreport's lspci text, proc/bus/pci), not from sysfs: the sysfs
    /// attributes (`sriov_*`, `resource`, the `virtfn`/`physfn` links) are not in this evidence.
    public var fromText = false
    /// Where `config` came from when it is not `path/config` (proc/bus/pci/BB/DD.F, or the lspci text it was rebuilt from).
    public var configSource: String?

    public var isNetwork: Bool { classCode.map { $0 >> 16 == 0x02 } ?? false }
    public var isBridge: Bool { classCode.map { $0 >> 8 == 0x0604 } ?? false }
    public var isVF: Bool { physfn != nil }

    /// Config space too short to hold extended capabilities: what a non-root user reads from sysfs.
    public var configNeedsRoot: Bool {
        if case .success(let b) = config { return b.count < 256 }
        if case .failure(.permissionDenied) = config { return true }
        return false
    }

    /// The IOV BARs: resource lines 7–12.
    public var iovResources: [PCIResource] { resources.filter { (7...12).contains($0.index) } }

    /// "8086:10c9".
    public var ids: String { "\(vendorID.map { hex($0, 4) } ?? "????"):\(deviceID.map { hex($0, 4) } ?? "????")" }
}

/// Every PCI function of the host, read from sys/bus/pci/devices.
public struct PCIFacts: Sendable {
    public static let devicesDir = "sys/bus/pci/devices"
    public var functions: [PCIFunction] = [] {
        didSet { index = Dictionary(functions.enumerated().map { ($1.address, $0) }, uniquingKeysWith: { a, _ in a }) }
    }
    private var index: [String: Int] = [:]
    /// Why sys/bus/pci/devices could not be listed.
    public var problem: FSError?

    public func function(_ address: String) -> PCIFunction? { index[address].map { functions[$0] } }

    /// Physical functions that carry (or could carry) VFs: network class first, then others, by address.
    public var sriovPFs: [PCIFunction] {
        let pfs = functions.filter { !$0.isVF && ($0.sriov != nil || $0.hasSRIOVCapability) }
        return pfs.filter(\.isNetwork) + pfs.filter { !$0.isNetwork }
    }

    /// Network-class physical functions (VFs excluded).
    public var nics: [PCIFunction] { functions.filter { $0.isNetwork && !$0.isVF } }

    /// Config spaces through libpci's sysfs method: on the live host only. libpci opens the files itself,
    /// blocking and following the operating system's links, so on any other root (a capture, an unpacked
    /// bundle) a FIFO in place of `config` would hang it and a link whose target leaves the root (absolute, or
    /// `../` past the top) would make it read the machine the tool runs on. There `config` is read through
    /// HostRoot, confined to the root, non-blocking and refusing anything but a regular file.
    static func libpciConfigs(_ root: HostRoot) -> [String: [UInt8]]? {
        guard root.isLive,
              let first = root.entries(devicesDir).first,
              root.backend.kind("\(devicesDir)/\(first)") == .link,
              let dir = root.absolutePath("sys/bus/pci"),
              let records = try? PCIAccess.scanSysfs(path: dir) else { return nil }
        var map: [String: [UInt8]] = [:]
        for r in records { map[r.address.description] = r.config }
        return map
    }

    public static func collectForBench(_ root: HostRoot) -> PCIFacts { collect(root) }

    /// The sysfs side of one function (config space is filled in by the caller).
    static func readFunction(_ root: HostRoot, _ name: String) -> PCIFunction {
        let dir = "\(devicesDir)/\(name)"
        let path = (try? root.canonical(dir).get()) ?? dir
        let entries = Set(root.entries(path))
        func text(_ attr: String) -> String? { entries.contains(attr) ? root.value("\(path)/\(attr)") : nil }
        func hexValue(_ attr: String) -> UInt64? { text(attr)?.parseInteger(hex: true) }
        func intValue(_ attr: String) -> Int? { text(attr).flatMap { Int($0) } }
        func link(_ attr: String) -> String? { entries.contains(attr) ? root.linkName("\(path)/\(attr)") : nil }
        var f = PCIFunction(address: name, path: path, config: .failure(.missing))
        f.vendorID = hexValue("vendor").map { UInt16(truncatingIfNeeded: $0) }
        f.deviceID = hexValue("device").map { UInt16(truncatingIfNeeded: $0) }
        f.subsystemVendorID = hexValue("subsystem_vendor").map { UInt16(truncatingIfNeeded: $0) }
        f.subsystemDeviceID = hexValue("subsystem_device").map { UInt16(truncatingIfNeeded: $0) }
        f.classCode = hexValue("class").map { UInt32(truncatingIfNeeded: $0) }
        f.driver = link("driver")
        f.iommuGroup = link("iommu_group")
        f.numaNode = intValue("numa_node")
        f.linkSpeed = text("current_link_speed")
        f.linkWidth = text("current_link_width")
        f.ariEnabled = intValue("ari_enabled").map { $0 != 0 }
        f.secondaryBus = intValue("secondary_bus_number").flatMap { (0...0xFF).contains($0) ? $0 : nil }
        // 16-bit fields of the SR-IOV capability: anything else in these files is garbage, not a count.
        func u16Value(_ attr: String) -> Int? { intValue(attr).flatMap { (0...0xFFFF).contains($0) ? $0 : nil } }
        if entries.contains("sriov_totalvfs") {
            f.sriov = SRIOVAttributes(
                totalVFs: u16Value("sriov_totalvfs"), numVFs: u16Value("sriov_numvfs"),
                offset: u16Value("sriov_offset"), stride: u16Value("sriov_stride"),
                vfDevice: hexValue("sriov_vf_device").map { UInt16(truncatingIfNeeded: $0) },
                driversAutoprobe: intValue("sriov_drivers_autoprobe").map { $0 != 0 })
        }
        let virtfns = entries.compactMap { e -> (Int, String)? in
            guard e.hasPrefix("virtfn"), let n = Int(e.dropFirst(6)), let t = root.linkName("\(path)/\(e)") else { return nil }
            return (n, t)
        }
        f.virtfns = virtfns.sorted { $0.0 < $1.0 }.map(\.1)
        f.physfn = link("physfn")
        if entries.contains("net") { f.netdevs = root.entries("\(path)/net") }
        // The BARs are a PF's question (its IOV BARs, lines 7–12): a VF's `resource` is not read.
        if f.physfn == nil, let text = text("resource") {
            for (i, line) in text.utf8.split(separator: 0x0A).enumerated() {
                let v = line.split(separator: 0x20).compactMap { w -> UInt64? in
                    let digits = w.starts(with: "0x".utf8) ? w.dropFirst(2) : w[...]
                    return UInt64(Substring(digits), radix: 16)
                }
                if v.count == 3 { f.resources.append(PCIResource(index: i, start: v[0], end: v[1], flags: v[2])) }
            }
        }
        let comps = path.split(separator: "/")
        if comps.count >= 2, let p = comps.dropLast().last, PCIAddressText.isValid(String(p)) {
            f.parent = String(p)
        }
        return f
    }

    static func collect(_ root: HostRoot) -> PCIFacts {
        var facts = PCIFacts()
        let names: [String]
        switch root.list(devicesDir) {
        case .success(let n): names = n
        case .failure(let e): facts.problem = e; return facts
        }
        // Two workers read sysfs attributes (and, off the live host, config spaces through HostRoot) while,
        // on the live host, a third scans config spaces through libpci.
        let live = root.isLive
        let (viaLibpci, slots) = Parallel.both({ live ? libpciConfigs(root) : nil },
                                               { Parallel.map(names.count) { k in
                                                   var f = readFunction(root, names[k])
                                                   if !live { f.config = root.read("\(f.path)/config", limit: 4096) }
                                                   return f
                                               } })
        var functions: [PCIFunction] = []
        functions.reserveCapacity(names.count)
        for case var f? in slots {
            // libpci's read of the kernel's config file: as long as the file gives (64 bytes for non-root).
            let config: Result<[UInt8], FSError> = live
                ? (viaLibpci?[f.address].map { .success($0) } ?? root.read("\(f.path)/config", limit: 4096))
                : f.config
            f.config = config
            if case .success(let b) = config { f.caps = PCICapabilities(b) }
            functions.append(f)
        }
        facts.functions = functions.sorted { $0.address < $1.address }
        return facts
    }
}
