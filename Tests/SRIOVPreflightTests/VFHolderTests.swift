import Foundation
@testable import SRIOVPreflight
import Testing

/// Who holds a VF: libvirt's live domain status and QEMU command lines, read into the snapshot (GuestFacts),
/// shown in sriov.vfs, the NIC table and the sriov-vfs fix's refusal; hostile inputs bounded.
@Suite("VF holders")
struct VFHolderTests {
    static func facts(_ h: ExampleHost) -> GuestFacts { HostSnapshot.collect(h.root()).guests }
    static func cmdline(_ args: [String]) -> [UInt8] { Array((args.joined(separator: "\0") + "\0").utf8) }

    @Test("QEMU command lines: key=value and JSON -device, host= with and without a domain, sysfsdev=, -pcidevice, -name forms")
    func qemuForms() {
        let p = QEMUCommandLine.parse(Self.cmdline([
            "qemu-system-x86_64", "-name", "guest=web,,01,debug-threads=on",
            "-device", "vfio-pci,host=0000:3B:10.2,id=a",
            "-device", "{\"driver\":\"vfio-pci\",\"host\":\"0000:3b:10.4\",\"id\":\"hostdev1\"}",
            "-device", "driver=vfio-pci,host=3b:10.6",
            "-device", "vfio-pci,sysfsdev=/sys/bus/pci/devices/0001:5e:02.1",
            "-device", "virtio-net-pci,host=0000:00:03.0",      // not vfio: ignored
            "-device", "vfio-pci,host=zz:10.2",                  // not an address: ignored
            "-pcidevice", "host=3b:11.0",
            "-device",                                           // a dangling option at the end
        ]))
        #expect(p.name == "web,01")
        #expect(p.devices == ["0000:3b:10.2", "0000:3b:10.4", "0000:3b:10.6", "0001:5e:02.1", "0000:3b:11.0"])
        #expect(QEMUCommandLine.parse(Self.cmdline(["qemu-kvm", "-name", "plainname", "-device", "vfio-pci,host=3b:10.2"])).name == "plainname")
        #expect(QEMUCommandLine.parse(Self.cmdline(["qemu-kvm", "-name", "vm9,process=qemu-vm9"])).name == "vm9")
        #expect(QEMUCommandLine.parse(Self.cmdline(["qemu-kvm"])).devices.isEmpty)
    }

    @Test("libvirt status XML: hostdev, interface and a network's actual hostdev; not the guest-side, disk or USB addresses")
    func libvirtForms() {
        let xml = """
            <!-- <name>not-this</name> -->
            <domstatus state='running' pid='77'>
              <domain type='kvm'><name> db&amp;cache </name>
                <devices>
                  <disk type='file'><source file='/x.img'/><address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/></disk>
                  <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x10' function='0x2'/></source>
                    <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/></hostdev>
                  <interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x3b' slot='0x10' function='0x4'/></source></interface>
                  <interface type='network'><source network='sriov-pool'/><actual type='hostdev'><source><address type="pci" domain="0" bus="59" slot="16" function="6"/></source></actual></interface>
                  <hostdev mode='subsystem' type='usb'><source><address bus='1' device='3'/></source></hostdev>
                  <hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source></hostdev>
                </devices>
              </domain>
            </domstatus>
            """
        let p = DomainStatusXML.parse(Array(xml.utf8))
        #expect(p.name == "db&cache")
        #expect(p.pid == 77)
        #expect(p.devices == ["0000:3b:10.2", "0000:3b:10.4", "0000:3b:10.6"])
        #expect(p.problem == nil)
    }

    @Test("hostile status files: garbage, unclosed tags, deep nesting, non-UTF-8 names, no <domain>: no crash, a problem said")
    func hostileXML() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = DomainStatusXML.parse(garbage)
            _ = QEMUCommandLine.parse(garbage)
        }
        let spam = Array(String(repeating: "<<<='\"<a b=<", count: 20000).utf8)
        _ = DomainStatusXML.parse(spam)
        let deep = Array((String(repeating: "<x>", count: 100_000) + "<domain><name>n</name>").utf8)
        let d = DomainStatusXML.parse(deep)
        #expect(d.problem?.contains("nested deeper") == true)
        let unclosed = DomainStatusXML.parse(Array("<domain><name>vm</name><hostdev type='pci'><source><address domain='0' bus='0x3b' slot='0x10' function='0x2".utf8))
        #expect(unclosed.name == "vm" && unclosed.problem != nil)
        var bad: [UInt8] = Array("<domain><name>vm\u{1}".utf8) + [0xFF, 0xFE, 0xC3] + Array("</name></domain>".utf8)
        let n = DomainStatusXML.parse(bad)
        #expect(n.name?.hasPrefix("vm?") == true)
        bad = Array("not xml at all".utf8)
        #expect(DomainStatusXML.parse(bad).problem?.contains("no <domain>") == true)
        let longName = DomainStatusXML.parse(Array(("<domain><name>" + String(repeating: "a", count: 10_000) + "</name></domain>").utf8))
        #expect((longName.name?.count ?? 0) <= DomainStatusXML.maxNameLength + 1)
    }

    @Test("hostile proc: 5000 processes, a 3 MiB command line, a garbage status file; bounded and said", .timeLimit(.minutes(1)))
    func hostileProc() {
        var h = ExampleHost("many-pids")
        for pid in 1...5000 { h = h.file("proc/\(pid)/comm", pid % 7 == 0 ? "qemu-system-x86\n" : "bash\n") }
        for pid in stride(from: 7, through: 5000, by: 7) { h = h.bytes("proc/\(pid)/cmdline", Self.cmdline(["qemu", "-name", "g\(pid)"])) }
        let huge = Self.cmdline(["qemu-system-x86_64", "-name", "big"] + Array(repeating: "-device\0vfio-pci,host=3b:10.2", count: 1) + [String(repeating: "x", count: 3 << 20)])
        h = h.bytes("proc/14/cmdline", huge)
        h = h.bytes("run/libvirt/qemu/junk.xml", (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761) })
        let start = Date()
        let g = Self.facts(h)
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(g.processesRead && g.libvirtRead)
        #expect(g.notes.contains { $0.contains("5000 processes, the first \(GuestFacts.maxProcesses) examined") })
        #expect(g.notes.contains { $0.contains("proc/14/cmdline: longer than") })
        #expect(g.notes.contains { $0.hasPrefix("run/libvirt/qemu/junk.xml:") })
        #expect(g.holders.map(\.device) == ["0000:3b:10.2"] && g.holders.first?.guest == "big")
    }

    @Test("a capture with cmdline but no comm is read; a non-QEMU process's command line is not")
    func commFilter() {
        let h = ExampleHost("comm")
            .bytes("proc/10/cmdline", Self.cmdline(["/usr/libexec/qemu-kvm", "-device", "vfio-pci,host=3b:10.2"]))
            .file("proc/11/comm", "python3\n").bytes("proc/11/cmdline", Self.cmdline(["python3", "-device", "vfio-pci,host=3b:10.4"]))
        let g = Self.facts(h)
        #expect(g.holders.map(\.device) == ["0000:3b:10.2"])
        #expect(g.holders.first?.label == "QEMU pid 10")
    }

    @Test("libvirt's QEMU is one holder (status file and command line), var/run → run read once, a stale status file not counted")
    func merging() {
        let h = ExampleHost.intelWithNIC.withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.2"])
            .withLibvirtGuest("gone", pid: 999, vfs: ["0000:3b:10.0"], running: false)
            .link("var/run", "../run")
        let g = Self.facts(h)
        #expect(g.holders == [VFHolder(device: "0000:3b:10.2", guest: "web01", pid: 4242, source: .libvirt, evidence: "run/libvirt/qemu/web01.xml")])
        #expect(g.notes.contains { $0.contains("gone.xml") && $0.contains("not running") })
    }

    @Test("sriov.vfs, sriov.pf-driver and the NIC table name the guest; the report round-trips and a report without vf_holders reads")
    func surfaced() throws {
        let h = ExampleHost.intelWithNIC.withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.2"])
        let (report, _) = Report.run(root: h.root())
        let vfs = report.results.first { $0.id == "sriov.vfs" && $0.object == "0000:3b:00.0" }
        #expect(vfs?.code == "sriov.vfs.available-in-use")
        #expect(vfs?.message.contains("0000:3b:10.2 by guest web01 (run/libvirt/qemu/web01.xml)") == true)
        let pf = report.results.first { $0.id == "sriov.pf-driver" && $0.object == "0000:3b:00.0" }
        #expect(pf?.message.contains("guest web01") == true)
        let row = report.nics.first { $0.pciAddress == "0000:3b:00.0" }
        #expect(row?.vfHolders.map(\.guest) == ["web01"])
        #expect(row?.vfsInUse == 1)
        #expect(NICTableRenderer.text(report.nics).contains("VF 0000:3b:10.2 of ens1f0 held by guest web01 (run/libvirt/qemu/web01.xml)"))
        let back = try ReportDocument.read(json: report.json())
        #expect(back == report)
        let old = report.json().replacingOccurrences(of: "\"vf_holders\"", with: "\"vf_holders_unknown\"")
        #expect(try ReportDocument.read(json: old).nics.allSatisfy { $0.vfHolders.isEmpty })

        // A vfio-pci VF and no evidence of guests: said, not guessed.
        let (plain, _) = Report.run(root: ExampleHost.intelWithNIC.root())
        let m = plain.results.first { $0.id == "sriov.vfs" && $0.object == "0000:3b:00.0" }?.message ?? ""
        #expect(m.contains("0000:3b:10.2 on vfio-pci, guest not in this evidence (no run/libvirt/qemu, no proc/PID)"))
    }

    @Test("sriov-vfs refuses a new count while a guest holds a VF, naming it; --force plans it with a note naming it")
    func fixRefusal() throws {
        let dir = temporaryDirectory("holders")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelWithNIC.withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.2"]).materialize(at: dir)
        func outcome(_ o: FixOptions) -> FixOutcome { FixEngine.plans(FixTests.context(dir, o), ids: [.sriovVFs])[0].1 }
        guard case .refused(let why) = outcome(FixOptions(vfs: [("ens1f0", 0)])) else { Issue.record("SR-IOV restore under a guest not refused"); return }
        #expect(why.contains("guest web01") && why.contains("virsh") && why.contains("--force"))
        guard case .refused(let lower) = outcome(FixOptions(vfs: [("ens1f0", 1)])) else { Issue.record("a lower count under a guest not refused"); return }
        #expect(lower.contains("goes through 0 VFs"))
        guard case .plan(let p) = outcome(FixOptions(force: true, vfs: [("ens1f0", 0)])) else { Issue.record("--force not planned"); return }
        #expect(p.notes.contains { $0.contains("--force") && $0.contains("guest web01") })
        // The same count is no change: nothing to refuse.
        if case .refused(let r) = outcome(FixOptions(vfs: [("ens1f0", 2)])) { Issue.record("an unchanged count refused: \(r)") }
    }

    @Test("bundle then check --bundle: the status file and QEMU's command line are in the bundle and the verdicts replay")
    func bundleReplays() throws {
        let work = temporaryDirectory("holders-bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try ExampleHost.intelWithNIC.withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.2"])
            .withQEMUProcess(pid: 5150, name: "db02", vfs: ["3b:10.0"]).materialize(at: work + "/host")
        let (dir, _) = try BundleTests.roundTrip(work + "/host", redact: false, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        for f in ["run/libvirt/qemu/web01.xml", "proc/4242/cmdline", "proc/5150/cmdline", "proc/1/comm"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(f)"), "\(f) missing from the bundle")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/proc/1/cmdline"), "a non-QEMU command line was bundled")
        let replay = BundleTests.verdicts(dir)
        #expect(replay == BundleTests.verdicts(work + "/host").map { $0.replacingOccurrences(of: work + "/host", with: "<root>") })
        #expect(replay.contains { $0.hasPrefix("sriov.vfs [0000:3b:00.0] warn") && $0.contains("guest web01") && $0.contains("guest db02") })
    }
}
