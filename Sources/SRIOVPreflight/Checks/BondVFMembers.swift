extension Checks {
    static let bondVFMembers = Check(CheckDescription(
        id: .bondVFMembers,
        title: "Bonds of VFs on the host",
        category: .bond,
        severity: .info,
        rationale: """
            VFs can themselves be bonded on the host (or in a guest) for redundancy. That only works when the \
            bonded VFs come from different physical ports: two VFs of the same PF share one link and fail \
            together.
            """,
        remediation: "Bond VFs from different PFs (ports), one VF per port.",
        reads: ["sys/class/net/*/bonding/slaves", "sys/bus/pci/devices/*/physfn"],
        messages: [
            "no-bonds": "no bonds on this host",
            "net-unreadable": "cannot read {path}: {problem}",
            "no-vf-members": "no VF is a member of {bond}",
            "same-port": "{members} in {bond} are VFs of the same port {pf}: no redundancy",
            "different-ports": "{bond} bonds VFs {members} from different ports",
        ],
        examples: [
            .skips("no bonds", .intelWithNIC),
            .errors("sys/class/net unreadable", .intelWithNIC.removing("sys/class/net").unreadable("sys/class/net")),
            .passes("bond of NICs, no VFs", .intelWithNIC.withBond("bond0", slaves: ["ens1f0", "eno1"]), object: "bond0"),
            .passes("bond of VFs from two ports", .intelReady
                .withNIC(NICSpec().with { $0.numVFs = 1; $0.vfDrivers = ["ixgbevf"]; $0.vfNetdevs = true })
                .withNIC(NICSpec().with { $0.address = "0000:3b:00.1"; $0.netdev = "ens1f1"; $0.numVFs = 1; $0.vfDrivers = ["ixgbevf"]
                    $0.vfNetdevs = true; $0.iommuGroup = "41"; $0.mac = "3c:fd:fe:a5:10:01" })
                .withBond("bond1", slaves: ["ens1f0v0", "ens1f1v0"]), object: "bond1"),
            .warns("bond of two VFs of one port", .intelReady
                .withNIC(NICSpec().with { $0.numVFs = 2; $0.vfDrivers = ["ixgbevf", "ixgbevf"]; $0.vfNetdevs = true })
                .withBond("bond1", slaves: ["ens1f0v0", "ens1f0v1"]), object: "bond1"),
        ] + Self.realBondExamples(.bondVFMembers))) { s in
        if let none = s.noBondFindings { return none }
        return s.net.bonds.map { b in
            let rows = BondMembers(s, b).rows
            let vfs = rows.filter(\.isVF)
            let ev = rows.map { Evidence("member \($0.name)", $0.describe) }
            if vfs.isEmpty { return .pass("no-vf-members", ["bond": b.name], object: b.name, ev) }
            var byPF: [String: [String]] = [:]
            for r in vfs { byPF[r.pf?.physfn ?? "?", default: []].append(r.name) }
            if let shared = byPF.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
                return .warn("same-port", ["members": shared.value.joined(separator: ", "), "bond": b.name, "pf": shared.key], object: b.name, ev)
            }
            return .pass("different-ports", ["bond": b.name, "members": vfs.map(\.name).joined(separator: ", ")], object: b.name, ev)
        }
    }
}
