import PCIAccess

/// Real NICs as example hosts: each SR-IOV capability carries, value for value, what the NIC's own `lspci -vvv`
/// text shows (../shared/realdata/lspci/<file>: InitialVFs, TotalVFs, NumVFs, Function Dependency Link, VF offset,
/// stride, VF device id, ARIHierarchy, page sizes, the VF BAR registers). `NICTests.realLspciText` holds each
/// fixture to its text when ../shared is present. The capability sits at 0x140 here (0x160 or 0x180 on the card):
/// no check reads the offset.
///
/// The drivers come from the `alias pci:` lines of a Debian 12 kernel, `realAliases`.
public struct RealNIC: Sendable {
    /// The text the values come from, under realdata/lspci.
    public var lspciFile: String
    public var family: String
    /// The NIC as the text shows it (no VFs enabled), with its PF driver bound.
    public var spec: NICSpec
    /// The module of this kernel that claims the VF device (mlx5: the PF's own, mlx5_core).
    public var vfDriver: String

    /// The same NIC with its spec edited (firmware settings, a driver missing…).
    public func with(_ edit: (inout NICSpec) -> Void) -> RealNIC {
        var n = self
        n.spec = spec.with(edit)
        return n
    }

    /// The same NIC with `count` VFs enabled: the first on `vfDriver`, the rest on vfio-pci (given to guests).
    /// IOV BARs the text shows at 0 (not assigned on that machine) get an address, as the kernel assigns them.
    public func enabled(_ count: Int, vfio: Int = 1) -> NICSpec {
        spec.with { n in
            n.numVFs = count
            n.vfDrivers = (0..<count).map { $0 < count - vfio ? vfDriver : "vfio-pci" }
            n.iovBARsAssigned = true
            n.vfBARs = n.vfBARs?.map { b in
                var b = b
                if b.baseAddress == 0 { b.baseAddress = 0x38_0000_0000 + UInt64(b.index) << 24 }
                return b
            }
        }
    }
}

public enum RealNICs {
    /// `alias pci:` lines of Debian 12's kernel 6.1.0-56-amd64 (linux-image-6.1.0-56-amd64 6.1.192-2, `modinfo -F alias`
    /// of its ice, iavf, i40e, ixgbe, ixgbevf and mlx5_core .ko), only the device ids of the NICs below and their VFs.
    public static let realAliases = """
        alias pci:v00008086d00001593sv*sd*bc*sc*i* ice
        alias pci:v00008086d00001889sv*sd*bc*sc*i* iavf
        alias pci:v00008086d00001572sv*sd*bc*sc*i* i40e
        alias pci:v00008086d00001583sv*sd*bc*sc*i* i40e
        alias pci:v00008086d000037D0sv*sd*bc*sc*i* i40e
        alias pci:v00008086d0000154Csv*sd*bc*sc*i* iavf
        alias pci:v00008086d000037CDsv*sd*bc*sc*i* iavf
        alias pci:v00008086d00001563sv*sd*bc*sc*i* ixgbe
        alias pci:v00008086d00001565sv*sd*bc*sc*i* ixgbevf
        alias pci:v000015B3d00001015sv*sd*bc*sc*i* mlx5_core
        alias pci:v000015B3d00001016sv*sd*bc*sc*i* mlx5_core
        alias pci:v000015B3d00001017sv*sd*bc*sc*i* mlx5_core
        alias pci:v000015B3d00001018sv*sd*bc*sc*i* mlx5_core
        alias pci:v000015B3d00001021sv*sd*bc*sc*i* mlx5_core
        alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core

        """

    static func bar(_ index: Int, _ base: UInt64, prefetchable: Bool) -> SyntheticConfig.VFBAR {
        SyntheticConfig.VFBAR(index: index, baseAddress: base, is64Bit: true, prefetchable: prefetchable)
    }

    static func intel(_ address: String, device: UInt16, vfDevice: UInt16, driver: String, total: Int, offset: Int, stride: Int,
                      ari: Bool, fdl: UInt8, bars: [SyntheticConfig.VFBAR], netdev: String, mac: String, speed: Int) -> NICSpec {
        NICSpec().with {
            $0.address = address; $0.vendor = 0x8086; $0.device = device; $0.vfDevice = vfDevice; $0.driver = driver
            $0.totalVFs = total; $0.initialVFs = total; $0.vfOffset = offset; $0.vfStride = stride; $0.ariHierarchy = ari
            $0.functionDependencyLink = fdl; $0.vfBARs = bars; $0.iovBARsAssigned = bars.allSatisfy { $0.baseAddress != 0 }
            $0.netdev = netdev; $0.mac = mac; $0.speed = speed; $0.vfNetdevs = true; $0.vfBARSize = 64 << 10
        }
    }

    static func mellanox(_ address: String, device: UInt16, vfDevice: UInt16, total: Int, offset: Int, ari: Bool, fdl: UInt8,
                         systemPageSize: UInt32, bar0: UInt64, netdev: String, mac: String, speed: Int) -> NICSpec {
        NICSpec().with {
            $0.address = address; $0.vendor = 0x15B3; $0.device = device; $0.vfDevice = vfDevice; $0.driver = "mlx5_core"
            $0.totalVFs = total; $0.initialVFs = total; $0.vfOffset = offset; $0.vfStride = 1; $0.ariHierarchy = ari
            $0.functionDependencyLink = fdl; $0.supportedPageSizes = 0x7FF; $0.systemPageSize = systemPageSize
            $0.vfBARs = [bar(0, bar0, prefetchable: true)]; $0.vfBARSize = 32 << 20
            $0.netdev = netdev; $0.mac = mac; $0.speed = speed; $0.vfNetdevs = true
        }
    }

    /// E810-C for SFP, e2:00.0 (intel-wired-lan, 2022-10). Its IOV BARs read 0 in the text (not assigned on that
    /// machine, where ice did not load either); the fixture binds ice.
    public static let e810 = RealNIC(lspciFile: "iwl-2022-10-intel-e810c.lspci-vvv.txt", family: "Intel E810 (ice/iavf)",
        spec: intel("0000:e2:00.0", device: 0x1593, vfDevice: 0x1889, driver: "ice", total: 64, offset: 8, stride: 1, ari: true, fdl: 0,
                    bars: [bar(0, 0, prefetchable: true), bar(3, 0, prefetchable: true)], netdev: "ens2f0", mac: "b4:96:91:a0:00:00", speed: 25000),
        vfDriver: "iavf")
    /// X722 for 10GbE SFP+, 3e:00.0 (linuxhw/LsPCI, `lspci -vvnn`: 8086:37d0).
    public static let x722 = RealNIC(lspciFile: "3E82EE8FABA0-D3C122F1A0.x722-3e00.0.lspci-vvnn.txt", family: "Intel X722 (i40e/iavf)",
        spec: intel("0000:3e:00.0", device: 0x37D0, vfDevice: 0x37CD, driver: "i40e", total: 64, offset: 16, stride: 1, ari: true, fdl: 0,
                    bars: [bar(0, 0xB780_0000, prefetchable: true), bar(3, 0xB811_0000, prefetchable: true)],
                    netdev: "eno5", mac: "ac:1f:6b:00:00:05", speed: 10000),
        vfDriver: "iavf")
    /// XL710 for 40GbE QSFP+, 17:00.0 (intel-wired-lan, 2021-02).
    public static let xl710 = RealNIC(lspciFile: "iwl-2021-02-intel-x710-17.lspci-vvv.txt", family: "Intel XL710 (i40e/iavf)",
        spec: intel("0000:17:00.0", device: 0x1583, vfDevice: 0x154C, driver: "i40e", total: 64, offset: 16, stride: 1, ari: true, fdl: 0,
                    bars: [bar(0, 0xC540_0000, prefetchable: true), bar(3, 0xC591_0000, prefetchable: true)],
                    netdev: "ens3f0", mac: "3c:fd:fe:17:00:00", speed: 40000),
        vfDriver: "iavf")
    /// X710 for 10GbE SFP+, function 2 of 02:00 (intel-wired-lan, 2021-02): 32 VFs from offset 334, ARIHierarchy-,
    /// IOV BARs at 0 in the text.
    public static let x710 = RealNIC(lspciFile: "iwl-2021-02-intel-x710-fn2.lspci-vvv.txt", family: "Intel X710 (i40e/iavf)",
        spec: intel("0000:02:00.2", device: 0x1572, vfDevice: 0x154C, driver: "i40e", total: 32, offset: 334, stride: 1, ari: false, fdl: 2,
                    bars: [bar(0, 0, prefetchable: true), bar(3, 0, prefetchable: true)], netdev: "ens1f2", mac: "3c:fd:fe:02:00:02", speed: 10000),
        vfDriver: "iavf")
    /// X550T, 01:00.0 (linux-wireless, 2023-03): VF offset 384, stride 2: the VFs sit on the next buses.
    public static let x550 = RealNIC(lspciFile: "wireless-2023-03-intel-x550t-fn0.lspci-vvv.txt", family: "Intel X550 (ixgbe/ixgbevf)",
        spec: intel("0000:01:00.0", device: 0x1563, vfDevice: 0x1565, driver: "ixgbe", total: 64, offset: 384, stride: 2, ari: false, fdl: 0,
                    bars: [bar(0, 0x9010_0000, prefetchable: false), bar(3, 0x9020_0000, prefetchable: false)],
                    netdev: "enp1s0f0", mac: "a0:36:9f:01:00:00", speed: 10000),
        vfDriver: "ixgbevf")
    /// ConnectX-4 Lx, 0b:00.0 (linux-rdma, 2019-04).
    public static let cx4lx = RealNIC(lspciFile: "rdma-2019-04-mellanox-cx4lx-fn0.lspci-vvv.txt", family: "Mellanox ConnectX-4 Lx (mlx5_core)",
        spec: mellanox("0000:0b:00.0", device: 0x1015, vfDevice: 0x1016, total: 8, offset: 2, ari: true, fdl: 0, systemPageSize: 1,
                       bar0: 0x100_0480_0000, netdev: "enp11s0f0np0", mac: "24:8a:07:0b:00:00", speed: 25000),
        vfDriver: "mlx5_core")
    /// ConnectX-7, function 1 of b1:00 (linux-pci, 2025-07): Function Dependency Link 01, ARIHierarchy-.
    public static let cx7 = RealNIC(lspciFile: "pci-2025-07-mellanox-cx7-mt2910.lspci-vvv.txt", family: "Mellanox ConnectX-7 (mlx5_core)",
        spec: mellanox("0000:b1:00.1", device: 0x1021, vfDevice: 0x101E, total: 8, offset: 9, ari: false, fdl: 1, systemPageSize: 1,
                       bar0: 0xE000_0000, netdev: "ens5f1np1", mac: "94:6d:ae:b1:00:01", speed: 100000),
        vfDriver: "mlx5_core")

    public static let all: [RealNIC] = [e810, x722, xl710, x710, x550, cx4lx, cx7]
}

extension ExampleHost {
    /// The ready Intel host with one real NIC (`vfs` VFs enabled, the last on vfio-pci) and the real alias lines.
    public static func real(_ nic: RealNIC, vfs: Int = 0) -> ExampleHost {
        intelReady.named("real-\(nic.spec.address)")
            .editing("lib/modules/\(release)/modules.alias") { $0 + RealNICs.realAliases }
            .withNIC(vfs > 0 ? nic.enabled(vfs) : nic.spec)
    }
}
