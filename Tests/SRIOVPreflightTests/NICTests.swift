import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("NIC table and bonds")
struct NICTests {
    @Test("rows: split, splittable and not splittable NICs; VFs free/on/max; bonds; virtual NICs excluded")
    func table() {
        let host = ExampleHost.intelWithNIC
            .withNIC(NICSpec().with { $0.address = "0000:3b:00.1"; $0.netdev = "ens1f1"; $0.iommuGroup = "41"; $0.linkUp = false; $0.mac = "3c:fd:fe:a5:10:01" })
            .withBond("bond0", slaves: ["eno1"])
        let s = HostSnapshot.collect(host.root())
        let rows = s.nicTable
        #expect(rows.map(\.pciAddress) == ["0000:02:00.0", "0000:3b:00.0", "0000:3b:00.1"])
        let split = rows[1]
        #expect(split.state == .split && split.vfsEnabled == 2 && split.vfsInUse == 1 && split.vfsAvailable == 1 && split.vfsTotal == 63)
        #expect(split.driver == "ixgbe" && split.name == "ens1f0" && split.speed == 10000 && split.link == "up")
        #expect(rows[2].state == .splittable && rows[2].link == "down" && rows[2].speed == nil)
        #expect(rows[0].state == .notSplittable && rows[0].bond == "bond0")
        let text = NICTableRenderer.text(rows)
        #expect(text.contains("split (已虚拟化)") && text.contains("splittable (可虚拟化)") && text.contains("not splittable (不可虚拟化)"))
        #expect(text.contains("1/2 (63)"))
    }

    @Test("a virtual NIC (no PCI device) is not a row, and bonds over it still report")
    func virtualNIC() {
        let host = ExampleHost.intelWithNIC
            .link("sys/class/net/veth0", "../../devices/virtual/net/veth0")
            .file("sys/devices/virtual/net/veth0/operstate", "up\n")
            .withBond("bond9", slaves: ["veth0"])
        let s = HostSnapshot.collect(host.root())
        #expect(s.net.interface("veth0")?.pciAddress == nil)
        #expect(!s.nicTable.contains { $0.name == "veth0" })
        let r = Engine.run(s, checks: [Checks.bondSRIOVMembers]).first { $0.object == "bond9" }
        #expect(r?.status == .pass)
        #expect(r?.evidence.contains { $0.observed.contains("virtual") } == true)
    }

    @Test("names with unusual characters survive the table, text and JSON")
    func unusualNames() throws {
        let odd = "eth-😀\u{1B}[31m\"x"
        let host = ExampleHost.intelReady.withNIC(NICSpec().with { $0.netdev = odd })
        let s = HostSnapshot.collect(host.root())
        #expect(s.nicTable.first?.name == odd)
        #expect(!NICTableRenderer.text(s.nicTable).contains("\u{1B}"))
        let (report, _) = Report.run(root: host.root())
        let json = JSONReporter.render(report)
        #expect(try validateAgainstSchema([json]) == nil)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let nics = obj?["nics"] as? [[String: Any]]
        #expect(nics?.first?["name"] as? String == odd)
    }

    @Test("the text report ends with the NIC table only when NICs exist")
    func textTable() {
        let (r1, _) = Report.run(root: ExampleHost.intelWithNIC.root())
        #expect(TextReporter(color: false).render(r1).contains("\nNICs\n"))
        let (r2, _) = Report.run(root: ExampleHost.intelReady.root())
        #expect(!TextReporter(color: false).render(r2).contains("\nNICs\n"))
    }

    @Test("NIC models come from the root's own pci.ids when it has one (a capture names devices as its host did)")
    func rootNameDatabase() throws {
        let dir = temporaryDirectory("names")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelWithNIC
            .file("usr/share/hwdata/pci.ids", "8086  Root Vendor Corporation\n\t10d3  Root-named 10G NIC\n")
            .materialize(at: dir)
        let s = HostSnapshot.collect(HostRoot.disk(dir))
        #expect(s.names.source == "usr/share/hwdata/pci.ids")
        #expect(s.nicTable.first?.model == "Root Vendor Root-named 10G NIC")
        // Without one, the tool's own database (or IDs): never the root's absence taken for a name.
        let plain = temporaryDirectory("names")
        defer { try? FileManager.default.removeItem(atPath: plain) }
        try ExampleHost.intelWithNIC.materialize(at: plain)
        #expect(HostSnapshot.collect(HostRoot.disk(plain)).nicTable.first?.model != "Root Vendor Root-named 10G NIC")
    }
}
