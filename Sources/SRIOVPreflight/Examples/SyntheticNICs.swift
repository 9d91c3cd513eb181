import PCIAccess

/// A PCI NIC written into an example host: sysfs attributes, links, config space, netdev.
public struct NICSpec: Sendable {
    public var address = "0000:3b:00.0"
    /// The root port above the NIC; empty: the NIC sits on the root bus (an integrated endpoint).
    public var bridge = "0000:00:03.0"
    public var vendor: UInt16 = 0x8086
    public var device: UInt16 = 0x10FB          // 82599ES
    public var vfDevice: UInt16 = 0x10ED        // 82599 VF
    public var classCode: UInt32 = 0x020000
    public var driver: String? = "ixgbe"
    public var netdev: String? = "ens1f0"
    /// nil: no SR-IOV capability at all.
    public var totalVFs: Int? = 63
    public var numVFs = 0
    /// Driver of each enabled VF (nil: unbound). Missing entries: unbound.
    public var vfDrivers: [String?] = []
    public var vfNetdevs = false
    public var linkUp = true
    public var speed = 10000
    public var mac = "3c:fd:fe:a5:10:00"
    public var iommuGroup: String? = "40"
    public var iovBARsAssigned = true
    /// Show the sysfs sriov_* attributes (absent when the kernel/driver does not expose SR-IOV).
    public var sysfsSRIOV = true
    public var configSize = 4096
    public var vfOffset = 128
    public var vfStride = 2
    /// The root port above the NIC: ARI forwarding and ACS.
    public var bridgeARIForwarding = true
    public var bridgeACS = true
    /// Size of each VF's BAR0 (the IOV BAR spans this × TotalVFs).
    public var vfBARSize: UInt64 = 16 << 10
    /// SR-IOV capability fields beyond the defaults (a real NIC's values, see RealNICs.swift).
    /// nil: InitialVFs = TotalVFs.
    public var initialVFs: Int?
    /// IOVCtl ARIHierarchy (lspci `ARIHierarchy+`).
    public var ariHierarchy = true
    public var functionDependencyLink: UInt8 = 0
    public var supportedPageSizes: UInt32 = 0x553
    public var systemPageSize: UInt32 = 1
    /// The VF BAR registers; nil: one 64-bit non-prefetchable BAR 0 at 0xC7400000.
    public var vfBARs: [SyntheticConfig.VFBAR]?
    public var subsystemVendor: UInt16?
    public var subsystemDevice: UInt16 = 3

    public init() {}

    /// An SR-IOV capable NVMe controller (QEMU's nvme with sriov_max_vfs): a PF that is not a NIC.
    public static var nvme: NICSpec {
        NICSpec().with {
            $0.vendor = 0x1B36; $0.device = 0x0010; $0.vfDevice = 0x0010; $0.classCode = 0x010802
            $0.driver = "nvme"; $0.netdev = nil; $0.totalVFs = 4
        }
    }

    public func with(_ edit: (inout NICSpec) -> Void) -> NICSpec {
        var s = self
        edit(&s)
        return s
    }

    var dir: String { bridge.isEmpty ? "sys/devices/pci0000:00/\(address)" : "sys/devices/pci0000:00/\(bridge)/\(address)" }
    /// The sysfs directory of a function beside the NIC (its VFs).
    func sibling(_ address: String) -> String { bridge.isEmpty ? "sys/devices/pci0000:00/\(address)" : "sys/devices/pci0000:00/\(bridge)/\(address)" }

    /// The VFs' addresses: routing id = PF's + offset + i × stride.
    public func vfAddress(_ i: Int) -> String {
        let p = address.split(separator: ":")
        let domain = p[0]
        let bus = Int(p[1], radix: 16)!
        let df = p[2].split(separator: ".")
        let devfn = Int(df[0], radix: 16)! << 3 | Int(df[1])!
        let rid = bus << 8 | devfn + vfOffset + i * vfStride
        return "\(domain):\(hex(rid >> 8, 2)):\(hex((rid >> 3) & 0x1F, 2)).\(rid & 7)"
    }
}

extension ExampleHost {
    /// Adds a NIC (and its VFs) to the host.
    public func withNIC(_ n: NICSpec) -> ExampleHost {
        let d = n.dir
        var h = self.link("sys/bus/pci/devices/\(n.address)", "../../../" + d.dropFirst(4))
        let bd = "sys/devices/pci0000:00/\(n.bridge)"
        if !n.bridge.isEmpty && h.nodes["\(bd)/config"] == nil {
            let bus = UInt8(n.address.split(separator: ":")[1], radix: 16) ?? 1
            h = h.link("sys/bus/pci/devices/\(n.bridge)", "../../../devices/pci0000:00/\(n.bridge)")
                .file("\(bd)/vendor", "0x8086\n").file("\(bd)/device", "0x2030\n").file("\(bd)/class", "0x060400\n")
                .file("\(bd)/secondary_bus_number", "\(bus)\n").file("\(bd)/irq", "24\n")
                .file("\(bd)/resource", String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 13))
                .bytes("\(bd)/config", SyntheticConfig.rootPort(secondaryBus: bus, ariForwarding: n.bridgeARIForwarding,
                                                               acs: n.bridgeACS ? [.srcValid, .transBlk, .reqRedir, .cmpltRedir, .upstreamFwd] : nil))
                .link("\(bd)/driver", "../../../bus/pci/drivers/pcieport").dir("sys/bus/pci/drivers/pcieport")
        }
        let pfConfig: [UInt8]
        if let total = n.totalVFs {
            pfConfig = SyntheticConfig.sriovPF(vendorID: n.vendor, deviceID: n.device, classCode: n.classCode,
                                               subsystemVendorID: n.subsystemVendor ?? n.vendor, subsystemID: n.subsystemDevice, totalVFs: UInt16(total),
                                               initialVFs: n.initialVFs.map(UInt16.init),
                                               numVFs: UInt16(n.numVFs), firstVFOffset: UInt16(n.vfOffset), vfStride: UInt16(n.vfStride),
                                               vfDeviceID: n.vfDevice, vfBARs: n.vfBARs ?? [SyntheticConfig.VFBAR(index: 0, baseAddress: 0xC740_0000)],
                                               ariCapableHierarchy: n.ariHierarchy, functionDependencyLink: n.functionDependencyLink,
                                               supportedPageSizes: n.supportedPageSizes, systemPageSize: n.systemPageSize)
        } else {
            var c = SyntheticConfig.sriovVF(classCode: n.classCode, subsystemVendorID: n.subsystemVendor ?? n.vendor, subsystemID: n.subsystemDevice)
            c[0] = UInt8(n.vendor & 0xFF); c[1] = UInt8(n.vendor >> 8); c[2] = UInt8(n.device & 0xFF); c[3] = UInt8(n.device >> 8)
            pfConfig = c
        }
        h = h.file("\(d)/vendor", "0x\(hex(n.vendor, 4))\n").file("\(d)/device", "0x\(hex(n.device, 4))\n")
            .file("\(d)/class", "0x\(hex(n.classCode, 6))\n")
            .file("\(d)/subsystem_vendor", "0x\(hex(n.subsystemVendor ?? n.vendor, 4))\n").file("\(d)/subsystem_device", "0x\(hex(n.subsystemDevice, 4))\n")
            .file("\(d)/numa_node", "0\n").file("\(d)/irq", "16\n")
            .file("\(d)/current_link_speed", "5.0 GT/s PCIe\n").file("\(d)/current_link_width", "8\n")
            .bytes("\(d)/config", Array(pfConfig.prefix(n.configSize)))
        let iovBARs = n.vfBARs ?? [SyntheticConfig.VFBAR(index: 0, baseAddress: 0xC740_0000)]
        var resource = (0..<13).map { i -> String in
            if i == 0 { return "0x00000000c7000000 0x00000000c707ffff 0x0000000000140204" }
            // IOV BAR i - 7: one resource line per VF BAR of the capability
            if i >= 7, let bar = iovBARs.first(where: { $0.index == i - 7 }) {
                let size = n.vfBARSize * UInt64(n.totalVFs ?? 0)
                let start = bar.baseAddress == 0 ? 0xC740_0000 : bar.baseAddress
                return n.iovBARsAssigned ? "0x\(hex(start, 16)) 0x\(hex(start + size - 1, 16)) 0x000000000014220c"
                                         : "0x0000000000000000 0x\(hex(size - 1, 16)) 0x000000002014220c"
            }
            return "0x0000000000000000 0x0000000000000000 0x0000000000000000"
        }
        if n.totalVFs == nil { resource = Array(resource.prefix(7)) }
        h = h.file("\(d)/resource", resource.joined(separator: "\n") + "\n")
        if let drv = n.driver {
            h = h.link("\(d)/driver", "../../../../bus/pci/drivers/\(drv)").dir("sys/bus/pci/drivers/\(drv)")
        }
        if let g = n.iommuGroup {
            h = h.link("\(d)/iommu_group", "../../../../kernel/iommu_groups/\(g)")
                .link("sys/kernel/iommu_groups/\(g)/devices/\(n.address)", "../../../../" + d.dropFirst(4))
        }
        if let total = n.totalVFs, n.sysfsSRIOV {
            h = h.file("\(d)/sriov_totalvfs", "\(total)\n").file("\(d)/sriov_numvfs", "\(n.numVFs)\n")
                .file("\(d)/sriov_offset", "\(n.vfOffset)\n").file("\(d)/sriov_stride", "\(n.vfStride)\n")
                .file("\(d)/sriov_vf_device", "\(hex(n.vfDevice, 4))\n").file("\(d)/sriov_drivers_autoprobe", "1\n")
        }
        if let nd = n.netdev {
            h = h.withNetdev(nd, device: d, mac: n.mac, up: n.linkUp, speed: n.speed)
        }
        for i in 0..<n.numVFs {
            let va = n.vfAddress(i)
            let vd = n.sibling(va)
            h = h.link("\(d)/virtfn\(i)", "../\(va)").link("\(vd)/physfn", "../\(n.address)")
                .link("sys/bus/pci/devices/\(va)", "../../../" + vd.dropFirst(4))
                .file("\(vd)/vendor", "0x\(hex(n.vendor, 4))\n").file("\(vd)/device", "0x\(hex(n.vfDevice, 4))\n")
                .file("\(vd)/class", "0x\(hex(n.classCode, 6))\n").file("\(vd)/irq", "0\n")
                .file("\(vd)/resource", String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 13))
                .bytes("\(vd)/config", Array(SyntheticConfig.sriovVF(classCode: n.classCode, subsystemVendorID: n.subsystemVendor ?? n.vendor,
                                                                      subsystemID: n.subsystemDevice).prefix(n.configSize)))
            if let g = n.iommuGroup, let base = Int(g) {
                let vg = String(base + 100 + i)
                h = h.link("\(vd)/iommu_group", "../../../../kernel/iommu_groups/\(vg)")
                    .link("sys/kernel/iommu_groups/\(vg)/devices/\(va)", "../../../../" + vd.dropFirst(4))
            }
            if i < n.vfDrivers.count, let drv = n.vfDrivers[i] {
                h = h.link("\(vd)/driver", "../../../../bus/pci/drivers/\(drv)").dir("sys/bus/pci/drivers/\(drv)")
                if n.vfNetdevs && !drv.hasPrefix("vfio") {
                    h = h.withNetdev("\(n.netdev ?? "eth")v\(i)", device: vd, mac: "02:00:00:00:\(hex(i, 2)):01", up: true, speed: n.speed)
                }
            }
        }
        return h
    }

    /// A network interface under a device directory, with its class link.
    public func withNetdev(_ name: String, device: String, mac: String, up: Bool, speed: Int) -> ExampleHost {
        let nd = "\(device)/net/\(name)"
        let addr = device.split(separator: "/").last.map(String.init) ?? ""
        return self.link("sys/class/net/\(name)", "../../\(nd.dropFirst(4))")
            .link("\(nd)/device", "../../../\(addr)")
            .file("\(nd)/operstate", up ? "up\n" : "down\n").file("\(nd)/carrier", up ? "1\n" : "0\n")
            .file("\(nd)/speed", up ? "\(speed)\n" : "-1\n").file("\(nd)/duplex", up ? "full\n" : "unknown\n")
            .file("\(nd)/mtu", "1500\n").file("\(nd)/address", mac + "\n")
    }

    /// A bonding master over existing interfaces.
    public func withBond(_ name: String, mode: String = "active-backup 1", slaves: [String]) -> ExampleHost {
        let vd = "sys/devices/virtual/net/\(name)"
        var h = self.link("sys/class/net/\(name)", "../../devices/virtual/net/\(name)")
            .file("\(vd)/bonding/mode", mode + "\n").file("\(vd)/bonding/slaves", slaves.joined(separator: " ") + "\n")
            .file("\(vd)/bonding/active_slave", (slaves.first ?? "") + "\n").file("\(vd)/bonding/miimon", "100\n")
            .file("\(vd)/operstate", "up\n").file("\(vd)/mtu", "1500\n").file("\(vd)/address", "3c:fd:fe:a5:10:00\n")
            .file("sys/class/net/bonding_masters", name + "\n")
        for s in slaves {
            // the slave's class link resolves to its device dir; `master` sits there
            if case .link(let t)? = h.nodes["sys/class/net/\(s)"] {
                let nd = "sys/" + t.replacing("../../", with: "")
                h = h.link("\(nd)/master", "../../../../../virtual/net/\(name)")
            }
        }
        return h
    }

    /// The ready Intel host with one 82599 NIC, 2 of 63 VFs enabled (one on ixgbevf, one on vfio-pci),
    /// and a second, non-SR-IOV NIC.
    public static var intelWithNIC: ExampleHost {
        intelReady.named("intel-with-nic")
            .withNIC(NICSpec().with { $0.numVFs = 2; $0.vfDrivers = ["ixgbevf", "vfio-pci"] })
            .withNIC(NICSpec().with {
                $0.address = "0000:02:00.0"; $0.bridge = "0000:00:02.0"; $0.device = 0x10D3; $0.driver = "e1000e"
                $0.netdev = "eno1"; $0.totalVFs = nil; $0.iommuGroup = "12"; $0.mac = "3c:fd:fe:a5:20:00"; $0.speed = 1000
            })
    }
}
