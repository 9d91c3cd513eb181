import PCIAccess

/// A host root laid out as an unpacked sosreport (sos 4.x) would hold it: what sos copies (`proc/`, `etc/`,
/// `sys/module/*/parameters`, `sys/firmware/acpi/tables`, `proc/net/bonding`), and in place of the PCI and network
/// sysfs the text outputs sos writes: `sos_commands/pci/lspci_-nnvv`, `sos_commands/networking/ip_-d_link`,
/// `ethtool_-i_*`, `ethtool_*`, `sos_commands/kernel/dmesg` and `uname_-a`. What sos does not collect stays out,
/// as in a real report: `boot/config-*`, `lib/modules/*/modules.alias`, `sys/class/iommu`, `sys/kernel/iommu_groups`,
/// every PCI sysfs attribute.
///
/// Used to build sosreport example hosts from the example and lab hosts, whose verdicts they must give except
/// where the report lacks the evidence.
public enum SosLayout {
    public struct Options: Sendable {
        /// Add `proc/bus/pci/BB/DD.F` (the config spaces, as sos copies them) and `proc/bus/pci/devices`.
        public var procBusPCI = false
        /// The lspci text to use instead of one rendered from the root's sysfs (a lab capture's own `lspci -nnvv`).
        public var lspciText: String?
        public init(procBusPCI: Bool = false, lspciText: String? = nil) {
            self.procBusPCI = procBusPCI
            self.lspciText = lspciText
        }
    }

    /// Trees sos copies (files only; at most `maxFiles` of them).
    static let copied = ["proc/cmdline", "proc/cpuinfo", "proc/modules", "proc/version", "proc/sys/kernel/osrelease",
                         "proc/sys/kernel/hostname", "proc/net/bonding", "etc", "sys/firmware/acpi/tables", "usr/share/misc/pci.ids"]
    static let maxFiles = 5000

    public static func nodes(of root: HostRoot, _ options: Options = Options()) -> [String: MemoryBackend.Node] {
        var out: [String: MemoryBackend.Node] = [:]
        var count = 0
        func copy(_ path: String, depth: Int = 0) {
            guard count < maxFiles, depth < 12 else { return }
            if root.isDirectory(path) {
                for e in root.entries(path) { copy(path + "/" + e, depth: depth + 1) }
            } else if case .success(let b) = root.read(path) {
                out[path] = .file(b)
                count += 1
            }
        }
        for p in copied { copy(p) }
        for m in root.entries("sys/module") where root.isDirectory("sys/module/\(m)/parameters") {
            copy("sys/module/\(m)/parameters")
        }
        out["version.txt"] = .file(Array("sosreport: 4.0\nkernel: unversioned\npci: unversioned\nnetworking: unversioned\n".utf8))
        out["sos_reports/manifest.json"] = .file(Array("{}\n".utf8))
        out["sos_logs/sos.log"] = .file([])
        if case .success(let b) = root.read("var/log/dmesg") { out["sos_commands/kernel/dmesg"] = .file(b) }
        let s = HostSnapshot.collect(root)
        if let r = s.system.kernelRelease.value {
            out["sos_commands/kernel/uname_-a"] = .file(Array("Linux \(s.system.hostname ?? "localhost") \(r) #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n".utf8))
        }
        out["sos_commands/pci/lspci_-nnvv"] = .file(Array((options.lspciText ?? lspciText(s)).utf8))
        if options.procBusPCI {
            var devices = ""
            for f in s.pci.functions {
                guard let a = PCIAddress(f.address), case .success(let b) = f.config else { continue }
                let dir = a.domain == 0 ? hex(a.bus, 2) : "\(hex(a.domain, 4)):\(hex(a.bus, 2))"
                out["proc/bus/pci/\(dir)/\(hex(a.device, 2)).\(a.function)"] = .file(b)
                let cols = [hex(a.routingID, 4), hex(f.vendorID ?? 0xFFFF, 4) + hex(f.deviceID ?? 0xFFFF, 4), "0"]
                    + Array(repeating: "0", count: 14) + [f.driver ?? ""]
                devices += cols.joined(separator: "\t") + "\n"
            }
            out["proc/bus/pci/devices"] = .file(Array(devices.utf8))
        }
        var ipLink = ""
        for (n, i) in s.net.interfaces.enumerated() {
            var flags = ["BROADCAST", "MULTICAST"]
            if i.operstate == "up" || i.carrier == true { flags += ["UP", "LOWER_UP"] }
            var line = "\(n + 2): \(i.name): <\(flags.joined(separator: ","))> mtu \(i.mtu ?? 1500) qdisc mq"
            if let m = i.master { line += " master \(m)" }
            line += " state \((i.operstate ?? "unknown").uppercased()) mode DEFAULT group default qlen 1000\n"
            line += "    link/ether \(i.mac ?? "00:00:00:00:00:00") brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9710\n"
            if let a = i.pciAddress, let f = s.pci.function(a), !f.isVF {
                for v in 0..<f.numVFs {
                    line += "    vf \(v)     link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust off\n"
                }
            }
            ipLink += line
            let driver = i.pciAddress.flatMap { s.pci.function($0)?.driver } ?? (s.net.bonds.contains { $0.name == i.name } ? "bonding" : "")
            out["sos_commands/networking/ethtool_-i_\(i.name)"] = .file(Array("""
                driver: \(driver)
                version: 6.1.0
                firmware-version: \(i.pciAddress == nil ? "" : "1.0")
                expansion-rom-version: 
                bus-info: \(i.pciAddress ?? "")
                supports-statistics: yes

                """.utf8))
            out["sos_commands/networking/ethtool_\(i.name)"] = .file(Array("""
                Settings for \(i.name):
                \tSpeed: \(i.speed.map { "\($0)Mb/s" } ?? "Unknown!")
                \tDuplex: \(i.duplex.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? "Unknown! (255)")
                \tLink detected: \(i.linkUp ? "yes" : "no")

                """.utf8))
        }
        out["sos_commands/networking/ip_-d_link"] = .file(Array(ipLink.utf8))
        return out
    }

    static let extendedNames: [UInt16: String] = [
        0x01: "Advanced Error Reporting", 0x02: "Virtual Channel", 0x03: "Device Serial Number 00-00-00-00-00-00-00-00", 0x0B: "Vendor Specific Information",
        0x0F: "Address Translation Service (ATS)", 0x18: "Latency Tolerance Reporting", 0x19: "Secondary PCI Express",
    ]

    static let speedText = [1: "2.5GT/s", 2: "5GT/s", 3: "8GT/s", 4: "16GT/s", 5: "32GT/s", 6: "64GT/s"]
    static let typeText: [UInt8: String] = [0: "Endpoint", 1: "Legacy Endpoint", 4: "Root Port (Slot+)", 5: "Upstream Port",
                                            6: "Downstream Port (Slot+)", 7: "PCI-Express to PCI/PCI-X Bridge", 9: "Root Complex Integrated Endpoint",
                                            10: "Root Complex Event Collector"]

    /// `lspci -nnvv` as pciutils prints it, for the parts the checks read: the header line with its ids, the
    /// subsystem, `Status: Cap±`, a bridge's bus numbers, the IOMMU group and NUMA node, the capabilities (the
    /// PCI Express capability's type, link and ARI forwarding; SR-IOV, ARI and ACS in full, every other one by
    /// its header), and the driver in use.
    public static func lspciText(_ s: HostSnapshot) -> String {
        var out = ""
        for f in s.pci.functions {
            guard let a = PCIAddress(f.address) else { continue }
            let bytes = (try? f.config.get()) ?? []
            let space = PCIConfigSpace(bytes: bytes)
            let cls = f.classCode ?? 0
            let name = a.domain == 0 ? String(a.description.dropFirst(5)) : a.description
            var head = "\(name) Class [\(hex(cls >> 8, 4))]: Device [\(hex(f.vendorID ?? 0xFFFF, 4)):\(hex(f.deviceID ?? 0xFFFF, 4))]"
            if let rev = space.byte(at: 0x08), rev != 0 { head += " (rev \(hex(rev, 2)))" }
            if cls & 0xFF != 0 { head += " (prog-if \(hex(cls & 0xFF, 2)))" }
            out += head + "\n"
            if let sv = f.subsystemVendorID, let sd = f.subsystemDeviceID {
                out += "\tSubsystem: Device [\(hex(sv, 4)):\(hex(sd, 4))]\n"
            }
            let caps = space.capabilities
            out += "\tStatus: Cap\(caps.isEmpty ? "-" : "+") 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-\n"
            if let n = f.numaNode { out += "\tNUMA node: \(n)\n" }
            if let g = f.iommuGroup { out += "\tIOMMU group: \(g)\n" }
            if space.headerType == 1, let p = space.byte(at: 0x18), let sb = space.byte(at: 0x19), let sub = space.byte(at: 0x1A) {
                out += "\tBus: primary=\(hex(p, 2)), secondary=\(hex(sb, 2)), subordinate=\(hex(sub, 2)), sec-latency=0\n"
            }
            for c in caps {
                if c.id == PCIConfigSpace.CapabilityID.pciExpress, let e = space.pcie {
                    out += "\tCapabilities: [\(hex(c.offset, 2))] Express (v\(e.version)) \(typeText[e.deviceTypeRaw] ?? "Unknown type \(e.deviceTypeRaw)"), MSI 00\n"
                    if let lc = e.linkCapabilities {
                        out += "\t\tLnkCap:\tPort #0, Speed \(speedText[Int(lc & 0xF)] ?? "unknown"), Width x\((lc >> 4) & 0x3F), ASPM L0s, Exit Latency L0s <64ns\n"
                    }
                    if let ls = e.linkStatus {
                        out += "\t\tLnkSta:\tSpeed \(speedText[Int(ls & 0xF)] ?? "unknown"), Width x\((ls >> 4) & 0x3F)\n"
                    }
                    if e.version >= 2 {
                        out += "\t\tDevCap2: Completion Timeout: Not Supported, TimeoutDis- NROPrPrP- LTR-\n"
                        out += "\t\t\t 10BitTagComp- 10BitTagReq- OBFF Not Supported, ExtFmt- EETLPPrefix-\n"
                        out += "\t\t\t FRS- ARIFwd\(e.ariForwardingSupported ? "+" : "-")\n"
                        out += "\t\tDevCtl2: Completion Timeout: 50us to 50ms, TimeoutDis- LTR- 10BitTagReq- OBFF Disabled, ARIFwd\(e.ariForwardingEnabled ? "+" : "-")\n"
                    }
                } else {
                    let n = [0x01: "Power Management version 3", 0x05: "MSI: Enable+ Count=1/1 Maskable- 64bit+", 0x11: "MSI-X: Enable+ Count=10 Masked-"][Int(c.id)]
                        ?? "Vendor Specific Information: Len=08 <?>"
                    out += "\tCapabilities: [\(hex(c.offset, 2))] \(n)\n"
                }
            }
            for e in space.extendedCapabilities {
                switch e.id {
                case PCIConfigSpace.ExtendedCapabilityID.sriov, PCIConfigSpace.ExtendedCapabilityID.ari, PCIConfigSpace.ExtendedCapabilityID.acs:
                    let lines: [String]
                    if e.id == PCIConfigSpace.ExtendedCapabilityID.sriov {
                        lines = SRIOVCapability(config: space, offset: e.offset, version: e.version)?.lspciLines() ?? []
                    } else if e.id == PCIConfigSpace.ExtendedCapabilityID.ari {
                        lines = ARICapability(config: space, offset: e.offset, version: e.version)?.lspciLines() ?? []
                    } else {
                        lines = ACSCapability(config: space, offset: e.offset, version: e.version)?.lspciLines() ?? []
                    }
                    for (i, l) in lines.enumerated() { out += (i == 0 ? "\tCapabilities: " : "\t\t") + (i == 0 ? String(l.dropFirst("Capabilities: ".count)) : l) + "\n" }
                default:
                    out += "\tCapabilities: [\(hex(e.offset, 3)) v\(e.version)] \(extendedNames[e.id] ?? "Vendor Specific Information: ID=\(hex(e.id, 4)) Rev=1 Len=010 <?>")\n"
                }
            }
            if let d = f.driver { out += "\tKernel driver in use: \(d)\n" }
            out += "\n"
        }
        return out
    }
}

extension ExampleHost {
    /// This example host as an unpacked sosreport would show it (see `SosLayout`).
    public func asSosreport(_ options: SosLayout.Options = SosLayout.Options(), baseDir: String? = nil) -> ExampleHost {
        var h = ExampleHost("\(label) (sosreport)")
        h.nodes = SosLayout.nodes(of: root(baseDir: baseDir), options)
        return h
    }
}
