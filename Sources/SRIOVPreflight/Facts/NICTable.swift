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
    /// The guests holding its VFs, where the evidence names them (libvirt domain status, QEMU command lines).
    public var vfHolders: [VFHolder] = []

    enum CodingKeys: String, CodingKey {
        case name, model, driver, link, bond
        case vfHolders = "vf_holders"
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

    // A report written before `vf_holders` (same schema version: the field is optional there) reads back.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        pciAddress = try c.decode(String.self, forKey: .pciAddress)
        model = try c.decode(String.self, forKey: .model)
        driver = try c.decodeIfPresent(String.self, forKey: .driver)
        link = try c.decode(String.self, forKey: .link)
        speed = try c.decodeIfPresent(Int.self, forKey: .speed)
        bond = try c.decodeIfPresent(String.self, forKey: .bond)
        state = try c.decode(SRIOVState.self, forKey: .state)
        vfsTotal = try c.decode(Int.self, forKey: .vfsTotal)
        vfsEnabled = try c.decode(Int.self, forKey: .vfsEnabled)
        vfsInUse = try c.decode(Int.self, forKey: .vfsInUse)
        vfsAvailable = try c.decode(Int.self, forKey: .vfsAvailable)
        vfHolders = try c.decodeIfPresent([VFHolder].self, forKey: .vfHolders) ?? []
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

    /// VFs of a PF in use: bound to a passthrough driver (given to guests or userspace), or held by a guest
    /// the evidence names.
    public func vfsInUse(_ f: PCIFunction) -> [PCIFunction] {
        f.virtfns.compactMap { pci.function($0) }.filter {
            ($0.driver.map(Self.passthroughDrivers.contains) ?? false) || !guests.holders(of: $0.address).isEmpty
        }
    }

    /// The guests holding a PF's VFs, in VF order.
    public func vfHolders(_ f: PCIFunction) -> [VFHolder] {
        f.virtfns.flatMap { guests.holders(of: $0) }
    }

    /// Who uses each in-use VF, for a finding: "0000:3b:10.2 by guest vm1 (run/libvirt/qemu/vm1.xml); 0000:3b:10.4
    /// on vfio-pci, no guest named: …".
    public func vfUsersText(_ f: PCIFunction) -> String {
        vfsInUse(f).map { vf in
            let hs = guests.holders(of: vf.address)
            if hs.isEmpty { return "\(vf.address) on \(vf.driver ?? "no driver"), \(guests.unnamedReason)" }
            return "\(vf.address) by " + hs.map { "\($0.label) (\($0.evidence))" }.joined(separator: " and ")
        }.joined(separator: "; ")
    }

    /// The evidence of who holds a PF's VFs: one line per holder, and the caps and unreadable files of the scan.
    public func vfHolderEvidence(_ f: PCIFunction) -> [Evidence] {
        vfHolders(f).map { Evidence($0.evidence, "\($0.device) given to \($0.label)") }
            + guests.notes.map { Evidence("guests", $0) }
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
                .with { $0.vfHolders = vfHolders(f) }
        }
    }
}

public enum NICTableRenderer {
    public static func text(_ rows: [NICRow], translator t: Translator = L10n.current) -> String {
        let ui = UIStrings.ui
        let header = [ui.colNIC, ui.colPCI, ui.colModel, ui.colDriver, ui.colLink, ui.colSpeed, ui.colBond, ui.colSRIOV,
                      ui.colVFs].map { t($0) }
        let links = ["up": ui.linkUp, "down": ui.linkDown, "no netdev": ui.linkNoNetdev]
        let body = rows.map { r in
            [r.name, r.pciAddress, r.model, r.driver ?? "-", links[r.link].map { t($0) } ?? r.link,
             r.speed.map { "\($0) Mb/s" } ?? "-", r.bond ?? "-", t(ui.state(r.state)),
             r.state == .notSplittable ? "-" : "\(r.vfsAvailable)/\(r.vfsEnabled) (\(r.vfsTotal))"]
        }
        let all = [header] + body
        // Display columns, not characters: a CJK character takes two.
        let widths = header.indices.map { i in min(all.map { TextReporter.oneLine($0[i]).displayWidth }.max() ?? 0, 40) }
        return all.map { row in
            row.indices.map { i in
                let cell = TextReporter.oneLine(row[i])
                return i == row.count - 1 ? cell : cell.displayPrefix(40).displayPadded(widths[i])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n" + holders(rows)
    }

    /// One line per VF a guest holds, below the table.
    static func holders(_ rows: [NICRow]) -> String {
        rows.flatMap { r in
            r.vfHolders.map { "  VF \($0.device) of \(r.name == "-" ? r.pciAddress : r.name) held by \(TextReporter.oneLine($0.label)) (\($0.evidence))\n" }
        }.joined()
    }
}

extension NICRow {
    func with(_ edit: (inout NICRow) -> Void) -> NICRow {
        var r = self
        edit(&r)
        return r
    }
}
