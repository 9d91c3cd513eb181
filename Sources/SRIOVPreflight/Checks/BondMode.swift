extension Checks {
    static let bondMode = Check(CheckDescription(
        id: .bondMode,
        title: "Bonds: no LACP bond over ports whose VFs are given to guests",
        category: .bond,
        severity: .warning,
        rationale: """
            In an 802.3ad (LACP) bond the switch treats the member ports as one aggregate. A VF given to a \
            guest sends and receives on its own port, outside the aggregate: the switch may hash the guest's \
            return traffic to the other port, and LACP frames are not forwarded to VFs. Active-backup bonds \
            do not have this problem.
            """,
        remediation: """
            Use active-backup for host bonds whose members carry guest VFs, or keep guest VFs on NICs outside \
            the LACP bond.
            """,
        reads: ["sys/class/net/*/bonding/mode", "proc/net/bonding/*", "sys/bus/pci/devices/*/virtfn*/driver"],
        messages: [
            "no-bonds": "no bonds on this host",
            "net-unreadable": "cannot read {path}: {problem}",
            "lacp-vfs-in-use": "{bond} is an 802.3ad (LACP) bond and these members carry VFs given to guests: {members}",
            "lacp-no-vfs-in-use": "{bond} mode {mode}, no member's VFs are given to guests",
            "mode": "{bond} mode {mode}",
        ],
        examples: [
            .passes("active-backup bond with VFs in use", .intelWithNIC.withBond("bond0", slaves: ["ens1f0", "eno1"]), object: "bond0"),
            .passes("LACP bond without VFs", .intelWithNIC.withBond("bond0", mode: "802.3ad 4", slaves: ["eno1"]), object: "bond0"),
            .warns("LACP bond whose member's VF is on vfio-pci",
                   .intelWithNIC.withBond("bond0", mode: "802.3ad 4", slaves: ["ens1f0", "eno1"]), object: "bond0"),
            .skips("no bonds", .intelWithNIC),
            .errors("sys/class/net unreadable", .intelWithNIC.removing("sys/class/net").unreadable("sys/class/net")),
        ] + Self.realBondExamples(.bondMode))) { s in
        if let none = s.noBondFindings { return none }
        return s.net.bonds.map { b in
            let members = BondMembers(s, b)
            let ev = [Evidence(b.source, "mode \(b.mode ?? "?")\(b.modeNumber.map { " \($0)" } ?? "")")]
                + members.rows.map { Evidence("member \($0.name)", $0.describe) }
            let inUse = members.rows.filter { $0.vfsInUse > 0 }
            if b.isLACP && !inUse.isEmpty {
                return .warn("lacp-vfs-in-use", ["bond": b.name, "members": inUse.map(\.name).joined(separator: ", ")], object: b.name, ev)
            }
            return .pass(b.isLACP ? "lacp-no-vfs-in-use" : "mode", ["bond": b.name, "mode": b.mode ?? "unknown"], object: b.name, ev)
        }
    }
}
