extension Checks {
    static let bondSRIOVMembers = Check(CheckDescription(
        id: .bondSRIOVMembers,
        title: "Bonds: at most one member NIC split",
        category: .bond,
        severity: .warning,
        rationale: """
            A bond of one NIC may be SR-IOV split. In a bond of several NICs, split only one of them: the host \
            bond keeps its redundancy over the other members, and guests' VFs stay on one port. Splitting two \
            or more members of one bond is the configuration that most often breaks host networking.
            """,
        remediation: "Set `sriov_numvfs` back to 0 on all but one member (`sriov-preflight fix sriov-vfs --vfs PF=0`).",
        reads: ["sys/class/net/*/bonding/{mode,slaves}", "proc/net/bonding/*", "sys/bus/pci/devices/*/sriov_numvfs"],
        fixID: .sriovVFs,
        messages: [
            "no-bonds": "no bonds on this host",
            "net-unreadable": "cannot read {path}: {problem}",
            "several-split": "{count} members of {bond} are SR-IOV split ({members}): split only one NIC of a bond",
            "none-split": "no member of {bond} is split",
            "one-split": "{member} is the only split member of {bond}",
            "single-nic-split": "{member} is the only split member of {bond} (a bond of one NIC)",
            "members-not-in-evidence": "cannot tell whether members of {bond} are split: {members} not in this evidence ({why})",
        ],
        examples: [
            .skips("no bonds", .intelWithNIC),
            .errors("sys/class/net unreadable", .intelWithNIC.removing("sys/class/net").unreadable("sys/class/net")),
            .passes("bond of one NIC, not split", .intelWithNIC.withBond("bond0", slaves: ["eno1"]), object: "bond0"),
            .passes("bond of one split NIC", .intelWithNIC.withBond("bond0", slaves: ["ens1f0"]), object: "bond0"),
            .passes("bond of two NICs, one split", .intelWithNIC.withBond("bond0", slaves: ["ens1f0", "eno1"]), object: "bond0"),
            .warns("bond of two NICs, both split", .intelWithNIC
                .withNIC(NICSpec().with { $0.address = "0000:3b:00.1"; $0.netdev = "ens1f1"; $0.numVFs = 4; $0.iommuGroup = "41"; $0.mac = "3c:fd:fe:a5:10:01" })
                .withBond("bond0", slaves: ["ens1f0", "ens1f1"]), object: "bond0"),
            .skips("only /proc/net/bonding/bond0: its members are not in sys/class/net", .intelReady
                .withProcBond("bond0", mode: "fault-tolerance (active-backup)", slaves: ["eth4", "eth5"]), object: "bond0"),
        ] + Self.realBondExamples(.bondSRIOVMembers))) { s in
        if let none = s.noBondFindings { return none }
        return s.net.bonds.map { b in
            let members = BondMembers(s, b)
            let ev = [Evidence(b.source, "mode \(b.mode ?? "?"); slaves \(b.slaves.joined(separator: " "))")]
                + members.rows.map { Evidence("member \($0.name)", $0.describe) }
            let split = members.rows.filter { $0.state == .split }
            if split.count >= 2 {
                return .warn("several-split", ["count": String(split.count), "bond": b.name, "members": split.map(\.name).joined(separator: ", ")],
                             object: b.name, ev, fix: FixOffer(id: .sriovVFs))
            }
            let unknown = members.rows.filter(\.notInEvidence)
            if !unknown.isEmpty {
                return .skip("members-not-in-evidence", ["bond": b.name, "members": unknown.map(\.name).joined(separator: ", "),
                                                         "why": unknown.map { "\($0.name): \($0.missing!)" }.joined(separator: "; ")], object: b.name, ev)
            }
            guard let only = split.first else { return .pass("none-split", ["bond": b.name], object: b.name, ev) }
            return .pass(b.slaves.count == 1 ? "single-nic-split" : "one-split", ["member": only.name, "bond": b.name], object: b.name, ev)
        }
    }
}

extension HostSnapshot {
    /// What a bond check says when it has no bond to judge (sys/class/net unreadable, not in this capture, or no
    /// bond on the host); nil when there are bonds.
    var noBondFindings: [Finding]? {
        if let e = net.unreadable {
            return [.error("net-unreadable", ["path": NetFacts.classDir, "problem": "\(e)"], [Evidence(NetFacts.classDir, "unreadable: \(e)")])]
        }
        guard net.bonds.isEmpty else { return nil }
        if notCaptured(net.problem) {
            return [HostSnapshot.notCapturedFinding(.skip, path: NetFacts.classDir, fact: "whether the host has bonds")]
        }
        return [.skip("no-bonds", [:])]
    }
}

/// A bond's members with the PCI function and SR-IOV state behind each.
struct BondMembers {
    struct Row {
        var name: String
        var pf: PCIFunction?
        var isVF: Bool
        var state: NICRow.SRIOVState?
        var vfsInUse: Int
        /// Why the member is not in this evidence: the bond names it but sys/class/net has no such interface (a
        /// copy of /proc/net/bonding alone), or its PCI function is not among the PCI functions read.
        var missing: String?
        var notInEvidence: Bool { missing != nil }

        var describe: String {
            if let missing { return "\(missing): not in this evidence" }
            guard let pf else { return "no PCI device (virtual)" }
            if isVF { return "\(pf.address): a VF" }
            return "\(pf.address) driver \(pf.driver ?? "none"), SR-IOV \(state?.rawValue ?? "?"), \(vfsInUse) VF(s) in use"
        }
    }

    var rows: [Row]

    init(_ s: HostSnapshot, _ b: Bond) {
        rows = b.slaves.map { name in
            guard let i = s.net.interface(name) else {
                return Row(name: name, pf: nil, isVF: false, state: nil, vfsInUse: 0, missing: "not in sys/class/net")
            }
            guard let addr = i.pciAddress else {
                return Row(name: name, pf: nil, isVF: false, state: nil, vfsInUse: 0)
            }
            guard let f = s.pci.function(addr) else {
                return Row(name: name, pf: nil, isVF: false, state: nil, vfsInUse: 0, missing: "\(addr) not in \(PCIFacts.devicesDir)")
            }
            return Row(name: name, pf: f, isVF: f.isVF, state: f.isVF ? nil : s.sriovState(f), vfsInUse: s.vfsInUse(f).count)
        }
    }
}
