/// The operator's NIC table: one row per physical NIC, as a host's "external devices" page shows it.
public struct NICRow: Sendable, Equatable, Codable {
    public enum SRIOVState: String, Sendable, Codable {
        case split = "split"                    // VFs enabled (已虚拟化)
        case splittable = "splittable"          // SR-IOV capable, no VFs yet (可虚拟化)
        case notSplittable = "not splittable"   // no SR-IOV (不可虚拟化)

        public var seedName: String {
            switch self {
            case .split: return "已虚拟化"
            case .splittable: return "可虚拟化"
            case .notSplittable: return "不可虚拟化"
            }
        }
    }

    public var name: String
    public var pciAddress: String
    public var model: String
    public var driver: String?
    public var link: String
    public var speed: Int?
    public var bond: String?
    public var state: SRIOVState
    public var vfsTotal: Int
    public var vfsEnabled: Int
    public var vfsInUse: Int
    public var vfsAvailable: Int

    enum CodingKeys: String, CodingKey {
        case name, model, driver, link, bond
        case pciAddress = "pci_address"
        case speed = "speed_mbps"
        case state = "sriov_state"
        case vfsTotal = "vfs_total"
        case vfsEnabled = "vfs_enabled"
        case vfsInUse = "vfs_in_use"
        case vfsAvailable = "vfs_available"
    }

    public init(name: String, pciAddress: String, model: String, driver: String?, link: String, speed: Int?,
                bond: String?, state: SRIOVState, vfsTotal: Int, vfsEnabled: Int, vfsInUse: Int) {
        self.name = name
        self.pciAddress = pciAddress
        self.model = model
        self.driver = driver
        self.link = link
        self.speed = speed
        self.bond = bond
        self.state = state
        self.vfsTotal = vfsTotal
        self.vfsEnabled = vfsEnabled
        self.vfsInUse = vfsInUse
        vfsAvailable = max(vfsEnabled - vfsInUse, 0)
    }
}

extension HostSnapshot {
    /// Drivers that mean "given to a guest or userspace".
    static let passthroughDrivers: Set<String> = ["vfio-pci", "vfio_pci", "pci-stub", "pci_stub"]

    /// SR-IOV state of a PF from sysfs (with the config space when sysfs lacks the attributes).
    public func sriovState(_ f: PCIFunction) -> NICRow.SRIOVState {
        if f.numVFs > 0 { return .split }
        return f.totalVFs > 0 ? .splittable : .notSplittable
    }

    /// VFs of a PF bound to a passthrough driver (given to guests).
    public func vfsInUse(_ f: PCIFunction) -> [PCIFunction] {
        f.virtfns.compactMap { pci.function($0) }.filter { $0.driver.map(Self.passthroughDrivers.contains) ?? false }
    }

    public var nicTable: [NICRow] {
        pci.nics.map { f in
            let ifs = net.interfaces(of: f.address)
            let name = ifs.map(\.name).joined(separator: ",")
            let up = ifs.contains { $0.linkUp }
            return NICRow(
                name: name.isEmpty ? "-" : name, pciAddress: f.address, model: names.model(f),
                driver: f.driver, link: ifs.isEmpty ? "no netdev" : (up ? "up" : (ifs.first?.operstate ?? "down")),
                speed: ifs.compactMap(\.speed).max(), bond: ifs.compactMap(\.master).first,
                state: sriovState(f), vfsTotal: f.totalVFs, vfsEnabled: f.numVFs, vfsInUse: vfsInUse(f).count)
        }
    }
}

public enum NICTableRenderer {
    public static func text(_ rows: [NICRow]) -> String {
        let header = ["NIC", "PCI", "MODEL", "DRIVER", "LINK", "SPEED", "BOND", "SR-IOV", "VFS FREE/ON (MAX)"]
        let body = rows.map { r in
            [r.name, r.pciAddress, r.model, r.driver ?? "-", r.link, r.speed.map { "\($0) Mb/s" } ?? "-", r.bond ?? "-",
             "\(r.state.rawValue) (\(r.state.seedName))",
             r.state == .notSplittable ? "-" : "\(r.vfsAvailable)/\(r.vfsEnabled) (\(r.vfsTotal))"]
        }
        let all = [header] + body
        let widths = header.indices.map { i in min(all.map { TextReporter.oneLine($0[i]).count }.max() ?? 0, 40) }
        return all.map { row in
            row.indices.map { i in
                let cell = TextReporter.oneLine(row[i])
                return i == row.count - 1 ? cell : String(cell.prefix(40)).rightPadded(widths[i])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
