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
    public var functions: [PCIFunction] = []
    /// Why sys/bus/pci/devices could not be listed.
    public var problem: FSError?

    public func function(_ address: String) -> PCIFunction? { functions.first { $0.address == address } }

    /// Physical functions that carry (or could carry) VFs: network class first, then others, by address.
    public var sriovPFs: [PCIFunction] {
        let pfs = functions.filter { !$0.isVF && ($0.sriov != nil || $0.hasSRIOVCapability) }
        return pfs.filter(\.isNetwork) + pfs.filter { !$0.isNetwork }
    }

    /// Network-class physical functions (VFs excluded).
    public var nics: [PCIFunction] { functions.filter { $0.isNetwork && !$0.isVF } }

    /// Config spaces through libpci's sysfs method, where the tree on disk is one libpci can walk
    /// (the live host, a capture that kept its symlinks); nil otherwise.
    static func libpciConfigs(_ root: HostRoot) -> [String: [UInt8]]? {
        guard let first = root.entries(devicesDir).first,
              root.backend.kind("\(devicesDir)/\(first)") == .link,
              let dir = root.absolutePath("sys/bus/pci"),
              let records = try? PCIAccess.scanSysfs(path: dir) else { return nil }
        var map: [String: [UInt8]] = [:]
        for r in records { map[r.address.description] = r.config }
        return map
    }

    static func collect(_ root: HostRoot) -> PCIFacts {
        var facts = PCIFacts()
        let names: [String]
        switch root.list(devicesDir) {
        case .success(let n): names = n
        case .failure(let e): facts.problem = e; return facts
        }
        let viaLibpci = libpciConfigs(root)
        for name in names {
            let dir = "\(devicesDir)/\(name)"
            let path = (try? root.canonical(dir).get()) ?? dir
            func hexValue(_ attr: String) -> UInt64? { root.value("\(path)/\(attr)")?.parseInteger(hex: true) }
            func intValue(_ attr: String) -> Int? { root.value("\(path)/\(attr)").flatMap { Int($0) } }
            // libpci reads what the kernel gives: a short config file stays short (the caller reports it).
            let fileSize = root.size("\(path)/config")
            var config: Result<[UInt8], FSError>
            if let b = viaLibpci?[name], let size = fileSize, size >= b.count {
                config = .success(Array(b.prefix(size)))
            } else {
                config = root.read("\(path)/config", limit: 4096)
            }
            var f = PCIFunction(address: name, path: path, config: config)
            if case .success(let b) = config { f.caps = PCICapabilities(b) }
            f.vendorID = hexValue("vendor").map { UInt16(truncatingIfNeeded: $0) }
            f.deviceID = hexValue("device").map { UInt16(truncatingIfNeeded: $0) }
            f.subsystemVendorID = hexValue("subsystem_vendor").map { UInt16(truncatingIfNeeded: $0) }
            f.subsystemDeviceID = hexValue("subsystem_device").map { UInt16(truncatingIfNeeded: $0) }
            f.classCode = hexValue("class").map { UInt32(truncatingIfNeeded: $0) }
            f.driver = root.linkName("\(path)/driver")
            f.iommuGroup = root.linkName("\(path)/iommu_group")
            f.numaNode = intValue("numa_node")
            f.linkSpeed = root.value("\(path)/current_link_speed")
            f.linkWidth = root.value("\(path)/current_link_width")
            f.ariEnabled = intValue("ari_enabled").map { $0 != 0 }
            f.secondaryBus = intValue("secondary_bus_number")
            if root.exists("\(path)/sriov_totalvfs") {
                f.sriov = SRIOVAttributes(
                    totalVFs: intValue("sriov_totalvfs"), numVFs: intValue("sriov_numvfs"),
                    offset: intValue("sriov_offset"), stride: intValue("sriov_stride"),
                    vfDevice: hexValue("sriov_vf_device").map { UInt16(truncatingIfNeeded: $0) },
                    driversAutoprobe: intValue("sriov_drivers_autoprobe").map { $0 != 0 })
            }
            let entries = root.entries(path)
            let virtfns = entries.compactMap { e -> (Int, String)? in
                guard e.hasPrefix("virtfn"), let n = Int(e.dropFirst(6)), let t = root.linkName("\(path)/\(e)") else { return nil }
                return (n, t)
            }
            f.virtfns = virtfns.sorted { $0.0 < $1.0 }.map(\.1)
            f.physfn = entries.contains("physfn") ? root.linkName("\(path)/physfn") : nil
            if entries.contains("net") { f.netdevs = root.entries("\(path)/net") }
            if case .success(let text) = root.text("\(path)/resource") {
                for (i, line) in text.lines.enumerated() {
                    let v = line.split(separator: " ").compactMap { String($0).parseInteger(hex: true) }
                    if v.count == 3 { f.resources.append(PCIResource(index: i, start: v[0], end: v[1], flags: v[2])) }
                }
            }
            let comps = path.split(separator: "/")
            if comps.count >= 2, let p = comps.dropLast().last, p.split(separator: ":").count == 3, p.contains(".") {
                f.parent = String(p)
            }
            facts.functions.append(f)
        }
        facts.functions.sort { $0.address < $1.address }
        return facts
    }
}
