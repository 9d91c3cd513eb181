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
    /// The directory each `virtfnN` link names when it has the kernel's form ("../ADDRESS": the PF's sibling),
    /// else "": a VF's directory found without its own link in sys/bus/pci/devices.
    var virtfnPaths: [String] = []
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

    /// The identity fields of a config space header, where they mean what the kernel's sysfs attributes say
    /// (the kernel reads `vendor`, `device`, `class`, `subsystem_*` from the same bytes when it enumerates):
    /// vendor and device unless they read 0xFFFF (a VF's, whose IDs the kernel takes from its PF), the class
    /// from 12 bytes on, the subsystem IDs of a type-0 header.
    struct Header {
        var vendorID: UInt16?
        var deviceID: UInt16?
        var classCode: UInt32?
        var subsystemVendorID: UInt16?
        var subsystemDeviceID: UInt16?

        init(_ config: Result<[UInt8], FSError>) {
            guard case .success(let b) = config else { return }
            func u16(_ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
            if b.count >= 4, u16(0) != 0xFFFF { vendorID = u16(0); deviceID = u16(2) }
            if b.count >= 12 { classCode = UInt32(b[9]) | UInt32(b[10]) << 8 | UInt32(b[11]) << 16 }
            if b.count >= 0x30, b[0x0E] & 0x7F == 0 { subsystemVendorID = u16(0x2C); subsystemDeviceID = u16(0x2E) }
        }
    }

    /// The sysfs side of one function (config space is filled in by the caller); `path` is its canonical
    /// directory. The IDs and the class come from `config` where it has them (see `Header`), else from the
    /// sysfs attributes.
    static func readFunction(_ root: HostRoot, _ name: String, path: String, config: Result<[UInt8], FSError>) -> PCIFunction {
        let entries = Set(root.entries(path))
        func text(_ attr: String) -> String? { entries.contains(attr) ? root.value("\(path)/\(attr)") : nil }
        func hexValue(_ attr: String) -> UInt64? { text(attr)?.parseInteger(hex: true) }
        func intValue(_ attr: String) -> Int? { text(attr).flatMap { Int($0) } }
        func link(_ attr: String) -> String? { entries.contains(attr) ? root.linkName("\(path)/\(attr)") : nil }
        var f = PCIFunction(address: name, path: path, config: .failure(.missing))
        let header = Header(config)
        f.physfn = link("physfn")
        // A VF's config space reads 0xFFFF for its IDs; its sysfs attributes say what the kernel took from the PF.
        let ids = f.physfn == nil ? header : Header(.failure(.missing))
        f.vendorID = ids.vendorID ?? hexValue("vendor").map { UInt16(truncatingIfNeeded: $0) }
        f.deviceID = ids.vendorID != nil ? ids.deviceID : hexValue("device").map { UInt16(truncatingIfNeeded: $0) }
        if let v = header.subsystemVendorID, let d = header.subsystemDeviceID {
            f.subsystemVendorID = v
            f.subsystemDeviceID = d
        } else {
            f.subsystemVendorID = hexValue("subsystem_vendor").map { UInt16(truncatingIfNeeded: $0) }
            f.subsystemDeviceID = hexValue("subsystem_device").map { UInt16(truncatingIfNeeded: $0) }
        }
        f.classCode = header.classCode ?? hexValue("class").map { UInt32(truncatingIfNeeded: $0) }
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
        let virtfns = entries.compactMap { e -> (Int, String, String)? in
            guard e.hasPrefix("virtfn"), let n = Int(e.dropFirst(6)), let t = root.linkTarget("\(path)/\(e)"),
                  let last = t.split(separator: "/").last else { return nil }
            // The kernel's form, "../ADDRESS": the VF's directory is the PF's sibling (the PF's path holds no link).
            let sibling = t.hasPrefix("../") && !t.dropFirst(3).contains("/") && !t.hasSuffix("/..") && t != "../.."
                ? HostRoot.parent(path).0 + "/" + last : ""
            return (n, String(last), sibling)
        }.sorted { $0.0 < $1.0 }
        f.virtfns = virtfns.map(\.1)
        f.virtfnPaths = virtfns.map(\.2)
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
        f.parent = parentAddress(path)
        return f
    }

    /// The address of the bridge above a function's canonical directory.
    static func parentAddress(_ path: String) -> String? {
        var u = path.utf8[...]
        while u.last == 0x2F { u = u.dropLast() }
        guard let slash = u.lastIndex(of: 0x2F) else { return nil }
        u = u[..<slash]
        while u.last == 0x2F { u = u.dropLast() }
        let p = String(Substring(u[(u.lastIndex(of: 0x2F).map { u.index(after: $0) } ?? u.startIndex)...]))
        return !p.isEmpty && PCIAddressText.isValid(p) ? p : nil
    }

    /// A VF its PF named (a `virtfnN` link of a PF read in full): what the VF checks ask of it is its config
    /// space, its driver link and its `iommu_group` link. Its PF is the one that named it (the kernel's
    /// `physfn` link says the same); its IDs are the ones the kernel gives a VF — the PF's vendor and the VF
    /// device ID of the PF's SR-IOV capability — unless its config space has its own. Nothing else of its
    /// directory is read.
    static func readVF(_ root: HostRoot, _ name: String, path: String, config: Result<[UInt8], FSError>,
                       pf: PCIFunction) -> PCIFunction {
        var f = PCIFunction(address: name, path: path, config: .failure(.missing))
        f.physfn = pf.address
        let header = Header(config)
        f.vendorID = header.vendorID ?? pf.vendorID
        f.deviceID = header.vendorID != nil ? header.deviceID : (pf.sriov?.vfDevice ?? pf.caps?.sriov?.vfDeviceID)
        if f.vendorID == nil || f.deviceID == nil {
            f.vendorID = root.value("\(path)/vendor")?.parseInteger(hex: true).map { UInt16(truncatingIfNeeded: $0) }
            f.deviceID = root.value("\(path)/device")?.parseInteger(hex: true).map { UInt16(truncatingIfNeeded: $0) }
        }
        f.subsystemVendorID = header.subsystemVendorID
        f.subsystemDeviceID = header.subsystemDeviceID
        f.classCode = header.classCode ?? root.value("\(path)/class")?.parseInteger(hex: true).map { UInt32(truncatingIfNeeded: $0) }
        f.driver = root.linkName("\(path)/driver")
        f.iommuGroup = root.linkName("\(path)/iommu_group")
        f.parent = parentAddress(path)
        return f
    }

    /// Every function of sys/bus/pci/devices.
    ///
    /// The system-call budget. In address order (a PF comes before its VFs: a VF's routing ID is the PF's plus
    /// its offset), a function no PF has named yet is located by its link (one readlink) and its config space
    /// (fstatat, openat2, read, close: the open also proves its directory holds no link); one that may be a PF
    /// (an SR-IOV capability, or a config space too short or unreadable to tell) is then read in full from its
    /// directory listing, which names its VFs. A VF a PF named is found through the PF's `virtfnN` link and
    /// reads its config space, its driver and its `iommu_group` links only (`readVF`); every other function is
    /// read in full.
    static func collect(_ root: HostRoot) -> PCIFacts {
        collectRest(root, collectPFs(root))
    }

    /// What the first, serial, part of `collect` found: the functions read in full (the PFs first), the VFs
    /// they named, the functions left to read.
    struct FirstPass: Sendable {
        var names: [String]
        var index: [String: Int]
        var viaLibpci: [String: [UInt8]]?
        var done: [PCIFunction?]
        var pending: [(k: Int, path: String, config: Result<[UInt8], FSError>, caps: PCICapabilities?)]
        /// VF address → (its directory as its PF's link names it, the PF's index).
        var named: [Int: (path: String, pf: Int)]
    }

    /// The config space of a function: on the live host through libpci (the kernel's config file, as long as
    /// it gives: 64 bytes for non-root); nil elsewhere (HostRoot reads it).
    static func liveConfig(_ root: HostRoot, _ viaLibpci: [String: [UInt8]]?, _ name: String, _ path: String) -> Result<[UInt8], FSError>? {
        root.isLive ? (viaLibpci?[name].map { .success($0) } ?? root.read("\(path)/config", limit: 4096)) : nil
    }

    /// The serial part of `collect`: every function no PF has named, in address order (see `collect`).
    static func collectPFs(_ root: HostRoot) -> Result<FirstPass, FSError> {
        let names: [String]
        switch root.list(devicesDir) {
        case .success(let n): names = n.sorted()
        case .failure(let e): return .failure(e)
        }
        // On the live host the config spaces come from libpci.
        let viaLibpci = root.isLive ? libpciConfigs(root) : nil
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let config: @Sendable (String, String) -> Result<[UInt8], FSError>? = { liveConfig(root, viaLibpci, $0, $1) }
        var first = FirstPass(names: names, index: index, viaLibpci: viaLibpci,
                              done: Array(repeating: nil, count: names.count), pending: [], named: [:])
        for (k, name) in names.enumerated() where first.named[k] == nil {
            let located = locate(root, name, config: config)
            let caps: PCICapabilities? = { if case .success(let b) = located.config { return PCICapabilities(b) }; return nil }()
            let mayBePF: Bool = {
                guard case .success(let b) = located.config, b.count >= 256 else { return true }
                return caps?.sriov != nil
            }()
            guard mayBePF else { first.pending.append((k, located.path, located.config, caps)); continue }
            var f = readFunction(root, name, path: located.path, config: located.config)
            f.config = located.config
            f.caps = caps
            for (vf, dir) in zip(f.virtfns, f.virtfnPaths) {
                guard !dir.isEmpty, let v = index[vf], v > k, first.named[v] == nil else { continue }
                first.named[v] = (dir, k)
            }
            first.done[k] = f
        }
        return .success(first)
    }

    /// The rest of `collect`: the VFs the PFs named and the other functions, on two workers (or why
    /// sys/bus/pci/devices could not be listed).
    static func collectRest(_ root: HostRoot, _ firstPass: Result<FirstPass, FSError>) -> PCIFacts {
        let first: FirstPass
        switch firstPass {
        case .success(let f): first = f
        case .failure(let e): var facts = PCIFacts(); facts.problem = e; return facts
        }
        let live = root.isLive
        let names = first.names
        let viaLibpci = first.viaLibpci
        let config: @Sendable (String, String) -> Result<[UInt8], FSError>? = { liveConfig(root, viaLibpci, $0, $1) }
        let vfs = first.named.keys.sorted()
        let pfs = first.done
        let namedVFs = first.named
        let light = Parallel.map(vfs.count) { i -> PCIFunction in
            let k = vfs[i]
            let (dir, p) = namedVFs[k]!
            let name = names[k]
            let (c, file) = live ? (config(name, dir) ?? .failure(.missing), "\(dir)/config")
                                 : root.readResolved("\(dir)/config", limit: 4096)
            guard case .success(let b) = c, let pf = pfs[p] else {
                // Not where its PF's link says: read as any other function.
                let located = locate(root, name, config: config)
                var f = readFunction(root, name, path: located.path, config: located.config)
                f.config = located.config
                if case .success(let b) = located.config { f.caps = PCICapabilities(b) }
                return f
            }
            var f = readVF(root, name, path: HostRoot.parent(file).0, config: c, pf: pf)
            f.config = c
            f.caps = PCICapabilities(b)
            return f
        }
        let rest = first.pending
        let others = Parallel.map(rest.count) { i -> PCIFunction in
            let r = rest[i]
            var f = readFunction(root, names[r.k], path: r.path, config: r.config)
            f.config = r.config
            f.caps = r.caps
            return f
        }
        var facts = PCIFacts()
        facts.functions = (first.done.compactMap { $0 } + light + others).sorted { $0.address < $1.address }
        return facts
    }

    /// A function's canonical directory (its link read once; the config read, off the live host, proves the
    /// rest) and its config space.
    static func locate(_ root: HostRoot, _ name: String, config: @Sendable (String, String) -> Result<[UInt8], FSError>?)
        -> (path: String, config: Result<[UInt8], FSError>)
    {
        let dir = "\(devicesDir)/\(name)"
        _ = root.linkTarget(dir)
        if !root.isLive {
            let (r, file) = root.readResolved("\(dir)/config", limit: 4096)
            if case .success = r { return (HostRoot.parent(file).0, r) }
            return ((try? root.canonical(dir).get()) ?? dir, r)
        }
        let path = (try? root.canonical(dir).get()) ?? dir
        return (path, config(name, path) ?? .failure(.missing))
    }
}
