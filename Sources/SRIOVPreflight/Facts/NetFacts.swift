/// One network interface from sys/class/net.
public struct NetInterface: Sendable, Equatable {
    public var name: String
    /// The PCI function behind it (nil for virtual interfaces: bonds, bridges, lo).
    public var pciAddress: String?
    public var operstate: String?
    public var carrier: Bool?
    /// Mbps; nil when unknown (down links report -1 or refuse the read).
    public var speed: Int?
    public var duplex: String?
    public var mtu: Int?
    public var mac: String?
    /// The bond (or bridge) this interface is enslaved to.
    public var master: String?
    /// From a sosreport: the `vf N` lines of `ip -d link` under this interface, `ethtool -i`'s driver and firmware.
    public var vfLines: Int?
    public var driver: String?
    public var firmware: String?

    public var linkUp: Bool { operstate == "up" || (operstate == "unknown" && carrier == true) }
}

/// A bonding master with its members.
public struct Bond: Sendable, Equatable {
    public var name: String
    /// "active-backup", "802.3ad", … (the first word of bonding/mode).
    public var mode: String?
    public var modeNumber: Int?
    public var slaves: [String] = []
    public var activeSlave: String?
    public var miimon: Int?
    /// Where the facts came from: sysfs bonding/ or proc/net/bonding/.
    public var source: String
    /// ARP monitoring: interval (ms, 0 = off) and targets.
    public var arpInterval: Int?
    public var arpTargets: [String] = []
    public var primary: String?
    public var xmitHashPolicy: String?

    public init(name: String, mode: String? = nil, modeNumber: Int? = nil, slaves: [String] = [], activeSlave: String? = nil,
                miimon: Int? = nil, source: String) {
        self.name = name; self.mode = mode; self.modeNumber = modeNumber; self.slaves = slaves
        self.activeSlave = activeSlave; self.miimon = miimon; self.source = source
    }

    public var isLACP: Bool { mode == "802.3ad" || modeNumber == 4 }

    /// The bonding driver's `Bonding Mode:` sentences (bond_mode_name()), as sysfs names and numbers.
    static let procModes: [(sentence: String, name: String, number: Int)] = [
        ("load balancing (round-robin)", "balance-rr", 0), ("fault-tolerance (active-backup)", "active-backup", 1),
        ("load balancing (xor)", "balance-xor", 2), ("fault-tolerance (broadcast)", "broadcast", 3),
        ("IEEE 802.3ad Dynamic link aggregation", "802.3ad", 4), ("transmit load balancing", "balance-tlb", 5),
        ("adaptive load balancing", "balance-alb", 6),
    ]

    /// A bond from the text of `/proc/net/bonding/NAME` (any indentation; per-slave and 802.3ad blocks skipped but
    /// for `Slave Interface`). Unknown lines and garbage are ignored: what is missing stays nil.
    public static func parseProcBonding(name: String, text: String) -> Bond {
        var bond = Bond(name: name, source: "proc/net/bonding/\(name)")
        var inSlave = false
        for line in text.lines.prefix(10_000) {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters() }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "Bonding Mode":
                let m = parts[1]
                if let known = procModes.first(where: { m.hasPrefix($0.sentence) }) {
                    bond.mode = known.name; bond.modeNumber = known.number
                } else if m.contains("802.3ad") {
                    bond.mode = "802.3ad"; bond.modeNumber = 4
                } else if let open = m.firstIndex(of: "("), let close = m.firstIndex(of: ")"), open < close {
                    bond.mode = String(m[m.index(after: open)..<close])
                } else { bond.mode = m }
            case "Slave Interface":
                inSlave = true
                if !parts[1].isEmpty { bond.slaves.append(parts[1]) }
            case "Currently Active Slave" where !inSlave: bond.activeSlave = parts[1] == "None" ? nil : parts[1]
            case "Primary Slave" where !inSlave:
                bond.primary = parts[1].split(separator: " ").first.map(String.init).flatMap { $0 == "None" ? nil : $0 }
            case "MII Polling Interval (ms)" where !inSlave: bond.miimon = Int(parts[1])
            case "ARP Polling Interval (ms)" where !inSlave: bond.arpInterval = Int(parts[1])
            case "ARP IP target/s (n.n.n.n form)" where !inSlave:
                bond.arpTargets = parts[1].split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
            case "Transmit Hash Policy" where !inSlave:
                bond.xmitHashPolicy = parts[1].split(separator: " ").first.map(String.init)
            default: break
            }
        }
        return bond
    }
}

/// Network interfaces and bonds.
public struct NetFacts: Sendable {
    public static let classDir = "sys/class/net"
    public var interfaces: [NetInterface] = []
    public var bonds: [Bond] = []
    public var problem: FSError?

    /// Why sys/class/net could not be read, when it exists but could not be listed (an absent directory is
    /// a host without interfaces, as in a partial capture): checks then cannot decide.
    public var unreadable: FSError? {
        if let p = problem, p != .missing { return p }
        return nil
    }

    public func interface(_ name: String) -> NetInterface? { interfaces.first { $0.name == name } }

    /// Interfaces of a PCI function.
    public func interfaces(of address: String) -> [NetInterface] { interfaces.filter { $0.pciAddress == address } }

    static func collect(_ root: HostRoot) -> NetFacts {
        var facts = NetFacts()
        let names: [String]
        switch root.list(classDir) {
        case .success(let n): names = n
        case .failure(let e):
            facts.problem = e
            // no sys/class/net (a copy of /proc alone): the bonds still come from proc/net/bonding
            guard e == .missing else { return facts }
            names = []
        }
        for name in names where name != "bonding_masters" {
            let dir = "\(classDir)/\(name)"
            guard root.isDirectory(dir) else { continue }
            var i = NetInterface(name: name)
            // The PCI function is the nearest PCI address on the device's path (virtio: …/0000:00:03.0/virtio0).
            if root.linkTarget("\(dir)/device") != nil, case .success(let dev) = root.canonical("\(dir)/device") {
                i.pciAddress = dev.split(separator: "/").reversed().map(String.init).first(where: PCIAddressText.isValid)
            }
            i.operstate = root.value("\(dir)/operstate")
            i.carrier = root.value("\(dir)/carrier").flatMap { Int($0) }.map { $0 != 0 }
            i.speed = root.value("\(dir)/speed").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
            i.duplex = root.value("\(dir)/duplex")
            i.mtu = root.value("\(dir)/mtu").flatMap { Int($0) }
            i.mac = root.value("\(dir)/address")
            i.master = root.linkName("\(dir)/master")
            facts.interfaces.append(i)
            if root.isDirectory("\(dir)/bonding") {
                let b = "\(dir)/bonding"
                let modeWords = root.value("\(b)/mode")?.split(separator: " ").map(String.init) ?? []
                facts.bonds.append(Bond(
                    name: name, mode: modeWords.first, modeNumber: modeWords.count > 1 ? Int(modeWords[1]) : nil,
                    slaves: root.value("\(b)/slaves")?.split(separator: " ").map(String.init) ?? [],
                    activeSlave: root.value("\(b)/active_slave").flatMap { $0.isEmpty ? nil : $0 },
                    miimon: root.value("\(b)/miimon").flatMap { Int($0) }, source: b))
            }
        }
        // proc/net/bonding fills in bonds sysfs did not show (an older capture, a support engineer's copy of
        // /proc/net/bonding/*), and what a sysfs bonding directory lacks.
        for name in root.entries("proc/net/bonding") {
            if let b = facts.bonds.first(where: { $0.name == name }), b.mode != nil, !b.slaves.isEmpty { continue }
            guard case .success(let text) = root.text("proc/net/bonding/\(name)") else { continue }
            let parsed = Bond.parseProcBonding(name: name, text: text)
            if let i = facts.bonds.firstIndex(where: { $0.name == name }) {
                var b = facts.bonds[i]
                if b.mode == nil { b.mode = parsed.mode; b.modeNumber = parsed.modeNumber }
                if b.slaves.isEmpty { b.slaves = parsed.slaves }
                if b.activeSlave == nil { b.activeSlave = parsed.activeSlave }
                if b.miimon == nil { b.miimon = parsed.miimon }
                b.arpInterval = b.arpInterval ?? parsed.arpInterval
                if b.arpTargets.isEmpty { b.arpTargets = parsed.arpTargets }
                facts.bonds[i] = b
            } else {
                facts.bonds.append(parsed)
            }
        }
        for b in facts.bonds {
            for s in b.slaves {
                if let idx = facts.interfaces.firstIndex(where: { $0.name == s }), facts.interfaces[idx].master == nil {
                    facts.interfaces[idx].master = b.name
                }
            }
        }
        return facts
    }
}

/// "0000:3b:00.0"-style addresses in link targets.
enum PCIAddressText {
    static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 12, u[4] == UInt8(ascii: ":"), u[7] == UInt8(ascii: ":"), u[10] == UInt8(ascii: ".") else { return false }
        return u.enumerated().allSatisfy { i, c in
            [4, 7, 10].contains(i) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)
        }
    }
}
