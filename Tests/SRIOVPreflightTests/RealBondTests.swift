import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("Bonds from /proc/net/bonding text: real outputs and hand-written fixtures")
struct RealBondTests {
    static let dir = Paths.shared.map { $0 + "/realdata/bonding" }

    static func verdicts(_ host: ExampleHost) -> [String: Status] {
        let s = HostSnapshot.collect(host.root())
        var out: [String: Status] = [:]
        for r in Engine.run(s, checks: [Checks.bondSRIOVMembers, Checks.bondMode, Checks.bondVFMembers]) where r.object == "bond0" {
            out[r.id] = r.status
        }
        return out
    }

    @Test("each real output parses (mode, members, monitoring) and gives the verdicts of its hand-written host",
          arguments: RealBonds.all.map(\.file))
    func realOutput(_ file: String) throws {
        let b = try #require(RealBonds.all.first { $0.file == file })
        guard let dir = Self.dir, FileManager.default.fileExists(atPath: dir + "/" + file) else {
            print("SKIP \(file): \(Paths.sharedMissing)")
            return
        }
        let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        let parsed = Bond.parseProcBonding(name: "bond0", text: text)
        #expect(parsed.mode == b.mode && parsed.slaves == b.slaves && parsed.miimon == b.miimon, "\(parsed)")
        #expect(parsed.arpInterval == b.arp?.interval ?? (b.mode == "active-backup" ? -1 : nil) || (b.arp == nil && parsed.arpInterval == nil))
        #expect(parsed.arpTargets == (b.arp.map { [$0.target] } ?? []))
        for split in 0...2 {
            let mine = b.host(split: split)
            let real = mine.file("proc/net/bonding/bond0", text)
            let expected = Self.verdicts(mine)
            #expect(expected.count == 3)
            #expect(Self.verdicts(real) == expected, "\(file), \(split) split")
            // sysfs has no bond: the facts come from the text
            let s = HostSnapshot.collect(real.root())
            #expect(s.net.bonds.first?.source == "proc/net/bonding/bond0")
            #expect(s.net.interface(b.slaves[0])?.master == "bond0")
        }
        // the seed's rules: in a bond of several NICs split only one
        #expect(Self.verdicts(b.host(split: 1))["bond.sriov-members"] == .pass)
        #expect(Self.verdicts(b.host(split: 2))["bond.sriov-members"] == .warn)
        #expect(Self.verdicts(b.host(split: 1))["bond.mode"] == (b.mode == "802.3ad" ? .warn : .pass))
    }

    @Test("hand-written /proc/net/bonding texts: every mode sentence, indentation, garbage, 802.3ad blocks")
    func handWritten() {
        for (sentence, name, number) in Bond.procModes {
            let b = Bond.parseProcBonding(name: "b", text: "Bonding Mode: \(sentence)\nSlave Interface: eth0\n")
            #expect(b.mode == name && b.modeNumber == number && b.slaves == ["eth0"])
        }
        let indented = Bond.parseProcBonding(name: "b", text: "  Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)\n  Currently Active Slave: eth1\n\n  Slave Interface: eth1\n  MII Status: up\n")
        #expect(indented.mode == "active-backup" && indented.activeSlave == "eth1" && indented.slaves == ["eth1"])
        let lacp = Bond.parseProcBonding(name: "b", text: """
            Bonding Mode: IEEE 802.3ad Dynamic link aggregation
            Transmit Hash Policy: layer3+4 (1)
            MII Polling Interval (ms): 100
            802.3ad info
            Active Aggregator Info:
                    Aggregator ID: 2
            Slave Interface: a
            MII Polling Interval (ms): 5
            details actor lacp pdu:
                 system priority: 65535
            Slave Interface: b
            """)
        #expect(lacp.isLACP && lacp.xmitHashPolicy == "layer3+4" && lacp.miimon == 100 && lacp.slaves == ["a", "b"])
        let garbage = Bond.parseProcBonding(name: "b", text: "\u{0}\u{FF}::::\nBonding Mode:\nSlave Interface:\n" + String(repeating: "x:y\n", count: 50_000))
        #expect(garbage.slaves.isEmpty && garbage.mode == nil)
    }

    @Test("a sysfs bonding directory without mode or slaves is completed from /proc/net/bonding")
    func sysfsCompleted() {
        let host = ExampleHost.intelWithNIC.withBond("bond0", slaves: ["eno1"])
            .removing("sys/devices/virtual/net/bond0/bonding/mode").removing("sys/devices/virtual/net/bond0/bonding/slaves")
            .withProcBond("bond0", mode: "IEEE 802.3ad Dynamic link aggregation", slaves: ["ens1f0", "eno1"])
        let s = HostSnapshot.collect(host.root())
        #expect(s.net.bonds.count == 1)
        #expect(s.net.bonds.first?.mode == "802.3ad" && s.net.bonds.first?.slaves == ["ens1f0", "eno1"])
        #expect(Self.verdicts(host)["bond.mode"] == .warn)
    }

    @Test("a bond whose members are not in sys/class/net: not in this evidence, no verdict from absence")
    func membersAbsent() {
        let host = ExampleHost.intelReady.withProcBond("bond0", mode: "load balancing (xor)", slaves: ["eth4", "eth5"])
        let r = Engine.run(HostSnapshot.collect(host.root()), checks: [Checks.bondSRIOVMembers]).first { $0.object == "bond0" }
        #expect(r?.status == .skip && r?.code == "bond.sriov-members.members-not-in-evidence", "\(String(describing: r))")
    }
}
