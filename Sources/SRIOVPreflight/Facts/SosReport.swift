import PCIAccess

/// An unpacked sosreport (sos 4.x): `sos_commands/` beside `sos_reports/`, `sos_logs/` or `version.txt`, with the
/// host's own files (`proc/`, `etc/`, `sys/module/*/parameters`, `sys/firmware/acpi/tables`, `proc/net/bonding`)
/// at their places. What sysfs would show of PCI functions and interfaces comes from the text outputs instead:
/// `sos_commands/pci/lspci_-nnvv` (ids, class, driver, IOMMU group, capabilities), `proc/bus/pci/*/*` (config
/// spaces as the kernel gave them to sos), `sos_commands/networking/ip_-d_link` (state, MTU, MAC, master, `vf N`
/// lines), `ethtool_-i_*` (driver, bus-info, firmware) and `ethtool_*` (speed, link).
public struct SosReport: Sendable, Equatable {
    /// "4.0", from version.txt's `sosreport: 4.0`.
    public var version: String?
    /// The lspci text the PCI functions were read from (nil when the report has none).
    public var lspciSource: String?
    /// The kernel-log files tried, in order.
    public static let kernelLogFiles = [
        "sos_commands/kernel/dmesg", "sos_commands/logs/journalctl_--no-pager_--catalog_--boot",
        "sos_commands/logs/journalctl_--no-pager_--boot", "sos_commands/kernel/journalctl_--no-pager_-k", "var/log/dmesg",
    ]
    public static let lspciFiles = [
        "sos_commands/pci/lspci_-nnvv", "sos_commands/pci/lspci_-nnvvv", "sos_commands/pci/lspci_-vvv", "sos_commands/pci/lspci_-vv",
    ]
    public static let ipLinkFiles = [
        "sos_commands/networking/ip_-d_link", "sos_commands/networking/ip_-s_-d_link", "sos_commands/networking/ip_link",
    ]
    static let networking = "sos_commands/networking"

    /// The layout of `root`, or nil when it is not an unpacked sosreport (the live host never is).
    public static func detect(_ root: HostRoot) -> SosReport? {
        // From the root's listing (read anyway): a host root that is no report records no probe for one.
        guard !root.isLive else { return nil }
        let top = Set(root.entries(""))
        guard top.contains("sos_commands"), top.contains("sos_reports") || top.contains("sos_logs") || top.contains("version.txt"),
              root.isDirectory("sos_commands") else { return nil }
        var r = SosReport()
        if root.exists("version.txt"), case .success(let t) = root.text("version.txt", limit: 65536) {
            for line in t.lines where line.hasPrefix("sosreport: ") {
                r.version = line.dropFirst("sosreport: ".count).trimmingCharacters()
            }
        }
        r.lspciSource = lspciFiles.first { root.exists($0) }
        return r
    }

    /// Where the kernel log comes from: the first file that holds the start of the boot, else the first readable.
    static func kernelLog(_ root: HostRoot) -> KernelLog {
        var reasons: [String] = []
        var fallback: KernelLog?
        for path in kernelLogFiles where root.exists(path) {
            switch root.read(path, limit: 64 << 20) {
            case .success(let b):
                let log = KernelLog(source: path, bytes: b)
                if log.hasBootStart { return log }
                if fallback == nil && log.lineCount > 0 { fallback = log }
            case .failure(let e): reasons.append("\(path): \(e)")
            }
        }
        if let fallback { return fallback }
        return KernelLog(source: kernelLogFiles[0],
                         unavailable: "not in this evidence: " + (reasons.isEmpty ? kernelLogFiles.joined(separator: ", ") : reasons.joined(separator: "; ")))
    }
}

// MARK: text outputs

/// One interface of `ip -d link` / `ip -s -d link`.
public struct IPLinkEntry: Sendable, Equatable {
    public var name: String
    public var flags: [String] = []
    public var mtu: Int?
    public var state: String?
    public var master: String?
    public var mac: String?
    /// The `vf N` lines under a PF: the VFs the PF driver reports.
    public var vfs: [Int] = []

    /// Every interface of the text, in order. Lines that fit no shape are skipped.
    public static func parse(_ text: String) -> [IPLinkEntry] {
        var out: [IPLinkEntry] = []
        for line in text.lines.prefix(200_000) {
            if let first = line.first, first.isNumber {
                // "2: ens1f0: <BROADCAST,…,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 state UP mode DEFAULT …"
                let parts = line.split(separator: ":", maxSplits: 2)
                guard parts.count == 3, parts[0].allSatisfy(\.isNumber) else { continue }
                var name = parts[1].trimmingCharacters()
                if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
                guard !name.isEmpty else { continue }
                var e = IPLinkEntry(name: name)
                let rest = parts[2]
                if let open = rest.firstIndex(of: "<"), let close = rest.firstIndex(of: ">"), open < close {
                    e.flags = rest[rest.index(after: open)..<close].split(separator: ",").map(String.init)
                }
                let words = rest.split(separator: " ").map(String.init)
                for (i, w) in words.enumerated() where i + 1 < words.count {
                    switch w {
                    case "mtu": e.mtu = Int(words[i + 1])
                    case "state": e.state = words[i + 1].lowercased()
                    case "master": e.master = words[i + 1]
                    default: break
                    }
                }
                out.append(e)
            } else if !out.isEmpty {
                let t = line.trimmingCharacters()
                if t.hasPrefix("link/ether ") || t.hasPrefix("link/infiniband ") {
                    out[out.count - 1].mac = t.split(separator: " ").dropFirst().first.map(String.init)
                } else if t.hasPrefix("vf "), let n = Int(t.dropFirst(3).prefix { $0.isNumber }) {
                    if out[out.count - 1].vfs.count < 4096 { out[out.count - 1].vfs.append(n) }
                }
            }
        }
        return out
    }
}

/// `ethtool -i NAME` and `ethtool NAME`: "key: value" lines.
enum EthtoolText {
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.lines.prefix(10_000) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters()
            if out[key] == nil { out[key] = line[line.index(after: colon)...].trimmingCharacters() }
        }
        return out
    }
}

extension NetFacts {
    /// The interfaces of a sosreport: the names of sys/class/net and `ip -d link`, completed from the text outputs.
    static func completeFromSos(_ facts: inout NetFacts, _ root: HostRoot) {
        var links: [IPLinkEntry] = []
        if let path = SosReport.ipLinkFiles.first(where: { root.exists($0) }), case .success(let t) = root.text(path) {
            links = IPLinkEntry.parse(t)
        }
        let files = Set(root.entries(SosReport.networking))
        for l in links where facts.interface(l.name) == nil {
            facts.interfaces.append(NetInterface(name: l.name))
        }
        for k in facts.interfaces.indices {
            var i = facts.interfaces[k]
            if let l = links.first(where: { $0.name == i.name }) {
                i.operstate = i.operstate ?? l.state
                if i.carrier == nil, l.flags.contains("UP") {
                    i.carrier = l.flags.contains("LOWER_UP") ? true : l.flags.contains("NO-CARRIER") ? false : nil
                }
                i.mtu = i.mtu ?? l.mtu
                i.mac = i.mac ?? l.mac
                i.master = i.master ?? l.master
                i.vfLines = l.vfs.count
            }
            // sos keeps sys/class/net/NAME as the link into sys/devices: the nearest PCI address on its target
            if i.pciAddress == nil, root.linkTarget("\(NetFacts.classDir)/\(i.name)") != nil,
               case .success(let dev) = root.canonical("\(NetFacts.classDir)/\(i.name)") {
                i.pciAddress = dev.split(separator: "/").reversed().map(String.init).first(where: PCIAddressText.isValid)
            }
            if files.contains("ethtool_-i_\(i.name)"), case .success(let t) = root.text("\(SosReport.networking)/ethtool_-i_\(i.name)", limit: 65536) {
                let f = EthtoolText.fields(t)
                if i.pciAddress == nil, let bus = f["bus-info"], PCIAddressText.isValid(bus) { i.pciAddress = bus }
                i.driver = f["driver"].flatMap { $0.isEmpty ? nil : $0 }
                i.firmware = f["firmware-version"].flatMap { $0.isEmpty ? nil : $0 }
            }
            if files.contains("ethtool_\(i.name)"), case .success(let t) = root.text("\(SosReport.networking)/ethtool_\(i.name)", limit: 1 << 20) {
                let f = EthtoolText.fields(t)
                if i.speed == nil, let s = f["Speed"], s.hasSuffix("Mb/s"), let v = Int(s.dropLast(4)), v > 0 { i.speed = v }
                if i.duplex == nil, let d = f["Duplex"], d == "Full" || d == "Half" { i.duplex = d.lowercased() }
                if let l = f["Link detected"] { i.carrier = l == "yes" ? true : l == "no" ? false : i.carrier }
            }
            facts.interfaces[k] = i
        }
        for b in facts.bonds {
            for s in b.slaves {
                if let idx = facts.interfaces.firstIndex(where: { $0.name == s }), facts.interfaces[idx].master == nil {
                    facts.interfaces[idx].master = b.name
                }
            }
        }
    }
}

extension PCIFacts {
    /// The PCI functions of a sosreport: the lspci text, the config spaces under proc/bus/pci (the kernel's own
    /// bytes, preferred when they hold the extended capabilities), and proc/bus/pci/devices for drivers. VFs are
    /// the functions the PF's SR-IOV capability places (First VF Offset, VF Stride, NumVFs with VF Enable set).
    static func collectSos(_ root: HostRoot, _ sos: SosReport) -> PCIFacts {
        var facts = PCIFacts()
        var listing: LspciListing?
        if let path = sos.lspciSource {
            switch root.text(path) {
            case .success(let t): listing = LspciListing(text: t)
            case .failure(let e): facts.problem = e
            }
        }
        // proc/bus/pci: "BB" (domain 0) or "DDDD:BB" directories of "DD.F" files; `devices` names the drivers.
        var procConfig: [PCIAddress: (path: String, bytes: [UInt8])] = [:]
        var procDriver: [PCIAddress: String] = [:]
        for dir in root.entries("proc/bus/pci") where dir != "devices" {
            let parts = dir.split(separator: ":")
            let domain = parts.count == 2 ? UInt32(parts[0], radix: 16) : 0
            guard let domain, let bus = parts.last.flatMap({ UInt8($0, radix: 16) }), parts.last!.count == 2 else { continue }
            for file in root.entries("proc/bus/pci/\(dir)") {
                guard let a = PCIAddress(String(format2(bus)) + ":" + file).map({ PCIAddress(domain: domain, bus: $0.bus, device: $0.device, function: $0.function) }),
                      case .success(let b) = root.read("proc/bus/pci/\(dir)/\(file)", limit: 4096), b.count >= 64 else { continue }
                procConfig[a] = ("proc/bus/pci/\(dir)/\(file)", b)
            }
        }
        if case .success(let t) = root.text("proc/bus/pci/devices", limit: 4 << 20) {
            for line in t.lines.prefix(65536) {
                let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard cols.count >= 18, let bdf = UInt16(cols[0], radix: 16) else { continue }
                let drv = cols[17].trimmingCharacters()
                if !drv.isEmpty { procDriver[PCIAddress(routingID: bdf)] = drv }
            }
        }
        let textDevices = Dictionary((listing?.devices ?? []).map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        let addresses = Set(textDevices.keys).union(procConfig.keys).sorted()
        guard !addresses.isEmpty || facts.problem != nil else {
            facts.problem = .missing
            return facts
        }
        var functions: [PCIFunction] = []
        for a in addresses {
            let name = a.description
            let d = textDevices[a]
            let path = sos.lspciSource.map { "\($0)/\(name)" } ?? procConfig[a]!.path
            var f = PCIFunction(address: name, path: path, config: .failure(.missing))
            f.fromText = true
            // The kernel's bytes when they hold what the text shows (4096 with extended capabilities), else the text's.
            let textHasExtended = (d?.config.count ?? 0) > 256
            if let p = procConfig[a], p.bytes.count >= 4096 || !textHasExtended || d == nil {
                f.config = .success(p.bytes)
                f.configSource = p.path
            } else if let d {
                f.config = .success(d.config)
                f.configSource = sos.lspciSource
            }
            let space = (try? f.config.get()).map { PCIConfigSpace(bytes: $0) }
            f.vendorID = d?.vendorID ?? space?.vendorID.flatMap { $0 == 0xFFFF ? nil : $0 }
            f.deviceID = d?.deviceID ?? space?.deviceID.flatMap { $0 == 0xFFFF ? nil : $0 }
            f.subsystemVendorID = d?.subsystemVendorID
            f.subsystemDeviceID = d?.subsystemDeviceID
            if let c = d?.classCode {
                f.classCode = c
            } else if let s = space, let b = s.byte(at: 0x0B), let sub = s.byte(at: 0x0A), let pi = s.byte(at: 0x09) {
                f.classCode = UInt32(b) << 16 | UInt32(sub) << 8 | UInt32(pi)
            }
            f.driver = d?.driver ?? (a.domain == 0 ? procDriver[a] : nil)
            f.iommuGroup = d?.iommuGroup
            f.numaNode = d?.numaNode
            f.linkSpeed = d?.linkSpeed
            f.linkWidth = d?.linkWidth
            f.secondaryBus = d?.secondaryBus ?? space.flatMap { s in s.headerType == 1 ? s.byte(at: 0x19).map(Int.init) : nil }
            if case .success(let b) = f.config { f.caps = PCICapabilities(b) }
            functions.append(f)
        }
        // The bridge whose secondary bus is the function's bus is its parent.
        var bridgeOf: [String: String] = [:]
        for f in functions where f.isBridge || f.secondaryBus != nil {
            guard let a = PCIAddress(f.address), let sb = f.secondaryBus, sb != 0 else { continue }
            bridgeOf["\(a.domain):\(sb)"] = f.address
        }
        let index = Dictionary(functions.enumerated().map { ($1.address, $0) }, uniquingKeysWith: { a, _ in a })
        for k in functions.indices {
            guard let a = PCIAddress(functions[k].address) else { continue }
            if let p = bridgeOf["\(a.domain):\(a.bus)"], p != functions[k].address { functions[k].parent = p }
        }
        // VFs: where the PF's capability places them (VF Enable set, NumVFs of them), when the text lists them.
        for k in functions.indices {
            guard let cap = functions[k].sriovCapability, cap.vfEnable, cap.numVFs > 0,
                  let a = PCIAddress(functions[k].address) else { continue }
            var vfs: [String] = []
            for v in cap.vfAddresses(pf: a) {
                guard let j = index[v.description], j != k else { continue }
                vfs.append(v.description)
                functions[j].physfn = functions[k].address
            }
            functions[k].virtfns = vfs
        }
        facts.functions = functions
        return facts
    }

    private static func format2(_ b: UInt8) -> String { b < 0x10 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
}
