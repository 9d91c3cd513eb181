import PCIAccess

/// Bond hosts shaped after the 4 real `/proc/net/bonding/bond0` outputs of ../shared/realdata/bonding (mode,
/// members, their NIC and monitoring as posted), each a support engineer's evidence: the NICs in sysfs, the bond
/// only in `proc/net/bonding/bond0` (no sysfs bonding attributes). The text here is written by hand in the bonding
/// driver's format; `RealBondTests` puts each real output in its place and expects the same verdicts.
public struct RealBond: Sendable {
    /// The real output under realdata/bonding.
    public var file: String
    public var mode: String
    public var modeSentence: String
    public var slaves: [String]
    public var nics: [NICSpec]
    public var miimon: Int
    public var arp: (interval: Int, target: String)?

    /// The host with the first `split` members split (2 VFs, the second on vfio-pci).
    public func host(split: Int) -> ExampleHost {
        var h = ExampleHost.intelReady.named("real-bond-\(mode)-\(split)-split")
        for (i, n) in nics.enumerated() {
            h = h.withNIC(i < split ? n.with { $0.numVFs = 2; $0.vfDrivers = [nil, "vfio-pci"] } : n)
        }
        return h.withProcBond("bond0", mode: modeSentence, slaves: slaves, miimon: miimon, arp: arp)
    }
}

public enum RealBonds {
    static func port(_ address: String, _ netdev: String, vendor: UInt16, device: UInt16, vfDevice: UInt16, driver: String,
                     total: Int, group: String, speed: Int, mac: String) -> NICSpec {
        NICSpec().with {
            $0.address = address; $0.bridge = "0000:00:01.0"; $0.vendor = vendor; $0.device = device; $0.vfDevice = vfDevice
            $0.driver = driver; $0.netdev = netdev; $0.totalVFs = total; $0.iommuGroup = group; $0.speed = speed; $0.mac = mac
            $0.vfOffset = 8; $0.vfStride = 1
        }
    }

    /// 802.3ad over two ConnectX-5 (MT27800, 15b3:1017, mlx5_core) ports at 40000 Mb/s (linux-rdma, 2024-05).
    /// TotalVFs 8 is not in that mail (the firmware's NUM_OF_VFS).
    public static let lacpConnectX5 = RealBond(
        file: "rdma-2024-05-huawei-cx5-mlx5-8023ad.proc-net-bonding.txt", mode: "802.3ad",
        modeSentence: "IEEE 802.3ad Dynamic link aggregation", slaves: ["enp145s0f0", "enp145s0f1"],
        nics: [port("0000:91:00.0", "enp145s0f0", vendor: 0x15B3, device: 0x1017, vfDevice: 0x1018, driver: "mlx5_core", total: 8,
                    group: "60", speed: 40000, mac: "f4:1d:6b:6f:3b:97"),
               port("0000:91:00.1", "enp145s0f1", vendor: 0x15B3, device: 0x1017, vfDevice: 0x1018, driver: "mlx5_core", total: 8,
                    group: "61", speed: 40000, mac: "f4:1d:6b:6f:3b:98")],
        miimon: 100)
    /// balance-xor over the two ports of an X520-2 (82599, ixgbe) at 10000 Mb/s (linux-rdma, 2019-12).
    public static let xorX520 = RealBond(
        file: "rdma-2019-12-x520-ixgbe-xor.proc-net-bonding.txt", mode: "balance-xor", modeSentence: "load balancing (xor)",
        slaves: ["enp1s0f1", "enp1s0f0"],
        nics: [port("0000:01:00.1", "enp1s0f1", vendor: 0x8086, device: 0x10FB, vfDevice: 0x10ED, driver: "ixgbe", total: 63,
                    group: "21", speed: 10000, mac: "00:1b:21:bc:6e:7d"),
               port("0000:01:00.0", "enp1s0f0", vendor: 0x8086, device: 0x10FB, vfDevice: 0x10ED, driver: "ixgbe", total: 63,
                    group: "20", speed: 10000, mac: "00:1b:21:bc:6e:7c")],
        miimon: 100)
    /// balance-rr over two X520 (ixgbe) ports at 10000 Mb/s, no link monitoring (intel-wired-lan, 2025-04).
    public static let roundRobinX520 = RealBond(
        file: "iwl-2025-04-x520-ixgbe-balance-rr.proc-net-bonding.txt", mode: "balance-rr", modeSentence: "load balancing (round-robin)",
        slaves: ["ixgbe-x520-1", "ixgbe-x520-2"],
        nics: [port("0000:05:00.0", "ixgbe-x520-1", vendor: 0x8086, device: 0x10FB, vfDevice: 0x10ED, driver: "ixgbe", total: 63,
                    group: "30", speed: 10000, mac: "6c:b3:11:08:5c:3c"),
               port("0000:05:00.1", "ixgbe-x520-2", vendor: 0x8086, device: 0x10FB, vfDevice: 0x10ED, driver: "ixgbe", total: 63,
                    group: "31", speed: 10000, mac: "6c:b3:11:08:5c:3e")],
        miimon: 0)
    /// active-backup with ARP monitoring (3000 ms, one target) over two igb (I350 class) ports at 1000 Mb/s
    /// (intel-wired-lan, 2021-05).
    public static let activeBackupARPigb = RealBond(
        file: "iwl-2021-05-supermicro-igb-active-backup-arp.proc-net-bonding.txt", mode: "active-backup",
        modeSentence: "fault-tolerance (active-backup)", slaves: ["net0", "net1"],
        nics: [port("0000:01:00.0", "net0", vendor: 0x8086, device: 0x1521, vfDevice: 0x1520, driver: "igb", total: 7,
                    group: "20", speed: 1000, mac: "0c:c4:7a:ab:f2:30"),
               port("0000:01:00.1", "net1", vendor: 0x8086, device: 0x1521, vfDevice: 0x1520, driver: "igb", total: 7,
                    group: "21", speed: 1000, mac: "0c:c4:7a:ab:f2:31")],
        miimon: 0, arp: (3000, "192.168.99.105"))

    public static let all: [RealBond] = [lacpConnectX5, xorX520, roundRobinX520, activeBackupARPigb]
}

extension ExampleHost {
    /// `proc/net/bonding/NAME` as the bonding driver prints it (the fields the checks read), and no sysfs bond.
    public func withProcBond(_ name: String, mode: String, slaves: [String], miimon: Int = 100,
                             arp: (interval: Int, target: String)? = nil) -> ExampleHost {
        var text = "Ethernet Channel Bonding Driver: v6.1.0\n\nBonding Mode: \(mode)\n"
        if mode.hasPrefix("fault-tolerance (active-backup)") { text += "Primary Slave: None\nCurrently Active Slave: \(slaves.first ?? "None")\n" }
        text += "MII Status: up\nMII Polling Interval (ms): \(miimon)\nUp Delay (ms): 0\nDown Delay (ms): 0\n"
        if let arp { text += "ARP Polling Interval (ms): \(arp.interval)\nARP IP target/s (n.n.n.n form): \(arp.target)\n" }
        for s in slaves {
            text += "\nSlave Interface: \(s)\nMII Status: up\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: 0\nSlave queue ID: 0\n"
        }
        return file("proc/net/bonding/\(name)", text)
    }
}

extension Checks {
    /// The bond.* verdicts on the real bonds' hosts (none, one, both members split), in each bond check's examples.
    static func realBondExamples(_ id: CheckID) -> [CheckExample] {
        var out: [CheckExample] = []
        for b in RealBonds.all {
            for split in 0...2 {
                let host = b.host(split: split)
                let name = "\(b.mode) over \(b.nics[0].driver ?? "?") (real output's shape), /proc/net/bonding only, \(split) member(s) split"
                switch id {
                case .bondSRIOVMembers:
                    out.append(split == 2 ? .warns(name, host, object: "bond0") : .passes(name, host, object: "bond0"))
                case .bondMode:
                    out.append(b.mode == "802.3ad" && split > 0 ? .warns(name, host, object: "bond0") : .passes(name, host, object: "bond0"))
                case .bondVFMembers where split == 1:
                    out.append(.passes(name, host, object: "bond0"))
                default: break
                }
            }
        }
        return out
    }
}
