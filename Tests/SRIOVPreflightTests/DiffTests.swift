import Foundation
@testable import SRIOVPreflight
import Testing

/// `diff` between two fixture hosts against files under Tests/Golden (refreshed with SRIOV_UPDATE_GOLDEN=1
/// swift test --filter Golden, like the reports).
@Suite("Golden diff")
struct GoldenDiffTests {
    @Test("diff intel-igb-ready → no-iommu equals the golden text and JSON")
    func golden() throws {
        let d = ReportDiff(old: GoldenTests.document("intel-igb-ready"), new: GoldenTests.document("no-iommu"),
                           oldSource: "intel-igb-ready.json", newSource: "no-iommu.json")
        try GoldenTests.compare(d.text(), "diff-intel-igb-ready-no-iommu.txt")
        try GoldenTests.compare(d.json(), "diff-intel-igb-ready-no-iommu.json")
    }
}

@Suite("Report diff")
struct DiffTests {
    @Test("a report diffed with itself is empty and exits 0", arguments: Paths.committedFixtureHosts)
    func selfDiff(_ host: String) {
        let doc = GoldenTests.document(host)
        let d = ReportDiff(old: doc, new: doc, oldSource: "a", newSource: "a")
        #expect(d.isEmpty && d.exitCode == 0)
        #expect(d.text().hasSuffix("\nno differences (exit 0)\n"))
        #expect(d.json().contains("\"empty\": true"))
    }

    @Test("intel-igb-ready → no-iommu: 2 newly failing (exit 1), VFs gone, cmdline, CPU and DMAR checksum changed")
    func readyToBroken() {
        let d = ReportDiff(old: GoldenTests.document("intel-igb-ready"), new: GoldenTests.document("no-iommu"),
                           oldSource: "a", newSource: "b")
        #expect(d.exitCode == 1)
        #expect(d.newlyFailing.map(\.id) == ["firmware.iommu-table", "kernel.iommu-enabled"])
        #expect(d.fixed.isEmpty)
        #expect(d.disappeared.map { "\($0.kind) \($0.object)" } == ["vf 0000:01:10.0", "vf 0000:01:10.2"])
        #expect(d.hostFacts.map(\.name) == ["cmdline", "cpu_vendor"])
        #expect(d.files.contains { $0.name == "sys/firmware/acpi/tables/DMAR" && $0.old?.hasPrefix("sha256:") == true })
        #expect(d.nics.contains { $0.name == "0000:01:00.0 vfs_enabled" && $0.old == "2" && $0.new == "0" })
    }

    @Test("the other way round: fixed, VFs appeared, exit 0")
    func brokenToReady() {
        let d = ReportDiff(old: GoldenTests.document("no-iommu"), new: GoldenTests.document("intel-igb-ready"),
                           oldSource: "a", newSource: "b")
        #expect(d.exitCode == 0 && d.newlyFailing.isEmpty)
        #expect(d.fixed.map(\.id) == ["firmware.iommu-table", "kernel.iommu-enabled"])
        #expect(d.appeared.map(\.kind) == ["vf", "vf"])
    }

    @Test("a NIC gone: listed as disappeared, its results are not 'fixed'; a new NIC failing is newly failing")
    func nicGone() {
        let old = GoldenTests.document("no-iommu")
        var new = old
        let pf = "0000:02:00.0"
        new.nics.removeAll { $0.pciAddress == pf }
        new.results.removeAll { $0.object == pf }
        var d = ReportDiff(old: old, new: new, oldSource: "a", newSource: "b")
        #expect(d.disappeared.map { "\($0.kind) \($0.object)" } == ["nic \(pf)", "object \(pf)"])
        #expect(d.changed.isEmpty && d.fixed.isEmpty && d.exitCode == 0)
        d = ReportDiff(old: new, new: old, oldSource: "a", newSource: "b")
        #expect(d.appeared.map { "\($0.kind) \($0.object)" } == ["nic \(pf)", "object \(pf)"])
        var failing = old
        for i in failing.results.indices where failing.results[i].object == pf { failing.results[i].status = .fail }
        d = ReportDiff(old: new, new: failing, oldSource: "a", newSource: "b")
        #expect(d.newlyFailing.map(\.object) == [pf] && d.exitCode == 1)
    }

    @Test("a failure waived or ignored on the new side is not newly failing; its disposition is a change")
    func waivedIsNotFailing() {
        let old = GoldenTests.document("intel-igb-ready")
        var new = GoldenTests.document("no-iommu")
        new.apply([Waiver(check: "firmware.iommu-table", justification: "x", expires: "2999-01-01", line: 1)], file: "w", now: 0)
        for i in new.results.indices where new.results[i].id == "kernel.iommu-enabled" { new.results[i].ignored = true }
        let d = ReportDiff(old: old, new: new, oldSource: "a", newSource: "b")
        #expect(d.newlyFailing.isEmpty && d.exitCode == 0)
        let c = d.changed.first { $0.id == "firmware.iommu-table" }
        #expect(c?.newDisposition == "waived" && c?.newStatus == .fail)
        #expect(d.changed.first { $0.id == "kernel.iommu-enabled" }?.newDisposition == "ignored")
    }

    @Test("a VF that changed hands: the NIC's vf_holders differ")
    func holders() {
        let old = GoldenTests.document("intel-igb-ready")
        var new = old
        new.nics[0].vfHolders = [VFHolder(device: "0000:01:10.0", guest: "web1", pid: 42, source: .libvirt, evidence: "run/libvirt/qemu/web1.xml")]
        let d = ReportDiff(old: old, new: new, oldSource: "a", newSource: "b")
        #expect(d.nics == [.init(name: "\(old.nics[0].pciAddress) vf_holders", old: "-", new: "0000:01:10.0 web1")])
        #expect(d.exitCode == 0)
    }

    @Test("the JSON form reads back to the same diff")
    func jsonRoundTrip() throws {
        let d = ReportDiff(old: GoldenTests.document("intel-igb-ready"), new: GoldenTests.document("pf-driver-missing"),
                           oldSource: "a", newSource: "b")
        let back = try JSONCoding.decode(ReportDiff.self, from: try JSON.parse(d.json()))
        #expect(back == d)
    }
}

@Suite("Diff on the command line", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary),
                                            "run `swift build` first: .build/debug/sriov-preflight is missing"))
struct DiffCLITests {
    @Test("diff of JSON reports and bundles: exit 1 when something newly fails, 0 when not, 64 on a non-report")
    func cli() throws {
        let dir = temporaryDirectory("diff")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ready = Paths.fixtureHosts + "/intel-igb-ready", broken = Paths.fixtureHosts + "/no-iommu"
        try run([Paths.binary, "check", "--root", ready, "--json", dir + "/a.json", "--output", dir + "/a.txt"])
        try run([Paths.binary, "check", "--root", broken, "--json", dir + "/b.json", "--output", dir + "/b.txt"])
        #expect(try run([Paths.binary, "bundle", "--root", ready, "--output", dir + "/a.tar.gz"]).status == 0)
        let worse = try run([Paths.binary, "diff", dir + "/a.json", dir + "/b.json"])
        #expect(worse.status == 1 && worse.out.contains("Newly failing (2)"))
        let better = try run([Paths.binary, "diff", dir + "/b.json", dir + "/a.json", "--format", "json"])
        #expect(better.status == 0 && better.out.contains("\"newly_failing\": []"))
        // A bundle holds the report of its host: the same as a run on that host's root.
        let same = try run([Paths.binary, "diff", dir + "/a.tar.gz", dir + "/a.json"])
        #expect(same.status == 0 && same.out.hasSuffix("no differences (exit 0)\n"), "\(same.out)")
        let fromBundle = try run([Paths.binary, "diff", dir + "/a.tar.gz", dir + "/b.json", "--output", dir + "/d.txt"])
        #expect(fromBundle.status == 1)
        #expect(try String(contentsOfFile: dir + "/d.txt", encoding: .utf8).contains("kernel.iommu-enabled"))
        let bad = try run([Paths.binary, "diff", dir + "/a.txt", dir + "/b.json"])
        #expect(bad.status == 64 && bad.err.contains("a.txt"))
    }
}
