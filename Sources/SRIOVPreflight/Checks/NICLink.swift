extension Checks {
    static let nicLink = Check(CheckDescription(
        id: .nicLink,
        title: "SR-IOV NIC link up",
        category: .nic,
        severity: .warning,
        rationale: """
            VFs share their PF's physical port: when the PF's link is down, every VF given to a guest is cut \
            off too. An operator choosing which NIC to split wants ones whose link is up with a known speed \
            (the console's readiness column).
            """,
        remediation: "Check the cable, the switch port and `ip link set DEV up`; `ethtool DEV` shows the negotiated speed.",
        reads: ["sys/class/net/*/{operstate,carrier,speed}", "sys/bus/pci/devices/*/net"],
        messages: [
            "pci-unlisted": "cannot list {path}: {problem}",
            "net-unreadable": "cannot read {path}: {problem}",
            "no-sriov-pf": "no SR-IOV capable PCI function",
            "no-netdev": "no network interface: the PF driver is not bound",
            "not-netdev": "not a network device",
            "link-up": "{interface} link up, {speed} Mb/s",
            "speed-unknown": "{interface} link up but the speed is unknown",
            "link-down": "{interfaces} link down: VFs on this port have no connectivity",
        ],
        examples: [
            .passes("link up at 10 Gb/s", .intelWithNIC, object: "0000:3b:00.0"),
            .warns("link down", .intelReady.withNIC(NICSpec().with { $0.linkUp = false }), object: "0000:3b:00.0"),
            .skips("PF without a netdev (driver not bound)", .intelReady.withNIC(NICSpec().with { $0.driver = nil; $0.netdev = nil })
                .file("sys/class/net/lo/operstate", "unknown\n"), object: "0000:3b:00.0"),
            .skips("live host: no sys/class/net at all", .intelReady.withNIC(NICSpec().with { $0.driver = nil; $0.netdev = nil }).live(),
                   object: "0000:3b:00.0"),
            .skips("capture without sys/class/net: not in this evidence", .intelWithNIC.removing("sys/class/net"), object: "0000:3b:00.0"),
            .warns("link up, speed unknown", .intelWithNIC.file("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/net/ens1f0/speed", "-1\n"),
                   object: "0000:3b:00.0"),
            .skips("an SR-IOV PF that is not a NIC (NVMe)", .intelReady.withNIC(.nvme), object: "0000:3b:00.0"),
            .skips("no SR-IOV NIC", .intelReady.dir(PCIFacts.devicesDir)),
            .errors("PCI device list unreadable", .intelWithNIC.unreadable(PCIFacts.devicesDir)),
            .errors("sys/class/net unreadable", .intelWithNIC.removing("sys/class/net").unreadable("sys/class/net"), object: "0000:3b:00.0"),
        ])) { s in
        if let p = s.pci.problem {
            if s.notCaptured(p) { return [HostSnapshot.notCapturedFinding(.error, path: PCIFacts.devicesDir, fact: "the PCI functions")] }
            return [.error("pci-unlisted", ["path": PCIFacts.devicesDir, "problem": "\(p)"])]
        }
        let pfs = s.pci.sriovPFs
        if pfs.isEmpty { return [.skip("no-sriov-pf", [:])] }
        return pfs.map { f in
            if let e = s.net.unreadable {
                return .error("net-unreadable", ["path": NetFacts.classDir, "problem": "\(e)"], object: f.address, [Evidence(NetFacts.classDir, "unreadable: \(e)")])
            }
            let ifs = s.net.interfaces(of: f.address)
            guard !ifs.isEmpty else {
                if f.isNetwork && s.notCaptured(s.net.problem) {
                    return HostSnapshot.notCapturedFinding(.skip, path: NetFacts.classDir, fact: "the link of \(f.address)'s interfaces", object: f.address)
                }
                return .skip(f.isNetwork ? "no-netdev" : "not-netdev", [:], object: f.address)
            }
            let ev = ifs.map { Evidence("\(NetFacts.classDir)/\($0.name)", "operstate=\($0.operstate ?? "?") carrier=\($0.carrier.map { $0 ? "1" : "0" } ?? "?") speed=\($0.speed.map(String.init) ?? "unknown")") }
            let names = ifs.map(\.name).joined(separator: ", ")
            if let up = ifs.first(where: \.linkUp) {
                if let sp = up.speed { return .pass("link-up", ["interface": up.name, "speed": String(sp)], object: f.address, ev) }
                return .warn("speed-unknown", ["interface": up.name], object: f.address, ev)
            }
            return .warn("link-down", ["interfaces": names], object: f.address, ev)
        }
    }
}
