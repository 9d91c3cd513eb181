import Foundation
import PCIAccess
@testable import SRIOVPreflight
import Testing

/// `check --root SOSDIR`: an unpacked sosreport gives the verdicts of the host it was taken on, except where the report
/// lacks the evidence, and then it says so.
@Suite("Sosreport input")
struct SosReportTests {
    /// Verdicts of a report: (check, object) → (status, short code).
    static func verdicts(_ r: ReportDocument) -> [String: (status: String, code: String, message: String)] {
        var out: [String: (String, String, String)] = [:]
        for x in r.results { out["\(x.id)[\(x.object)]"] = (x.status.rawValue, String(x.code.split(separator: ".").last ?? ""), x.message) }
        return out
    }

    /// The results the sosreport may give differently, because sos does not collect what they decide from.
    /// Each must then be a skip or an error that names what is missing.
    static let lacking: [String: String] = [
        "sriov.vf-driver": "lib/modules/<release>/modules.alias (sos copies modules.dep only)",
        "sriov.bar-space": "the IOV BAR sizes of sys/bus/pci/devices/*/resource",
    ]

    struct Comparison {
        var agree = 0
        var total = 0
        var differing: [String] = []
        var problems: [String] = []
    }

    /// Runs the host and its sosreport layout; every result of the host must be in the report with the same status,
    /// or, for a check in `lacking`, be a skip/error whose message says what this evidence lacks.
    static func compare(_ host: HostRoot, _ sos: ExampleHost, name: String) -> Comparison {
        let (direct, _) = Report.run(root: host)
        let (fromSos, _) = Report.run(root: sos.root())
        var c = Comparison()
        if fromSos.host.evidenceSource != .sosreport { c.problems.append("\(name): evidence_source \(fromSos.host.evidenceSource.rawValue)") }
        let a = verdicts(direct), b = verdicts(fromSos)
        for key in a.keys.sorted() {
            c.total += 1
            let want = a[key]!
            guard let got = b[key] else { c.problems.append("\(name) \(key): missing from the sosreport's results"); continue }
            if got.status == want.status { c.agree += 1; continue }
            let id = String(key.prefix { $0 != "[" })
            c.differing.append("\(key): \(want.status)/\(want.code) → \(got.status)/\(got.code): \(got.message)")
            if Self.lacking[id] == nil || (got.status != "skip" && got.status != "error") || !got.message.contains("not in this evidence") {
                c.problems.append("\(name) \(key): \(want.status) (\(want.code)) directly, \(got.status) (\(got.code)) from the sosreport: \(got.message)")
            }
        }
        return c
    }

    @Test("each committed lab fixture host, laid out as a sosreport, gives its verdicts except where sos lacks the evidence",
          arguments: Paths.committedFixtureHosts)
    func fixtureAsSosreport(_ name: String) {
        let dir = Paths.fixtureHosts + "/" + name
        for procBus in [false, true] {
            var h = ExampleHost(name); h.nodes = SosLayout.nodes(of: HostRoot.disk(dir), SosLayout.Options(procBusPCI: procBus))
            let c = Self.compare(HostRoot.disk(dir), h, name: name + (procBus ? " (+proc/bus/pci)" : ""))
            print("SOSCOMPARE \(name)\(procBus ? " +proc/bus/pci" : ""): \(c.agree)/\(c.total) agree" + c.differing.map { "\n  \($0)" }.joined())
            #expect(c.problems.isEmpty, "\(c.problems.joined(separator: "\n"))")
        }
    }

    /// A lab capture's own `lspci -nnvv`: the body of its `lspci -vvv` with the `-nn` header lines (ids and class codes).
    static func mergedLspci(_ hostDir: String) -> String? {
        guard let vvv = try? String(contentsOfFile: hostDir + "/_lab/lspci-vvv.txt", encoding: .utf8),
              let nn = try? String(contentsOfFile: hostDir + "/_lab/lspci-nn.txt", encoding: .utf8) else { return nil }
        var headers: [String: String] = [:]
        for l in nn.split(separator: "\n") { headers[String(l.prefix { $0 != " " })] = String(l) }
        return vvv.split(separator: "\n", omittingEmptySubsequences: false).map { l -> String in
            guard let f = l.first, f != "\t", f != " " else { return String(l) }
            return headers[String(l.prefix { $0 != " " })] ?? String(l)
        }.joined(separator: "\n")
    }

    @Test("each shared lab host, as a sosreport with its own lspci text, gives its verdicts except where sos lacks the evidence",
          .enabled(if: Paths.shared != nil, Comment(rawValue: Paths.sharedMissing)), arguments: Paths.sharedHosts)
    func sharedLabHostAsSosreport(_ name: String) throws {
        let dir = Paths.shared! + "/hosts/" + name
        let text = try #require(Self.mergedLspci(dir), "\(name): no _lab/lspci-vvv.txt and lspci-nn.txt")
        var h = ExampleHost(name)
        h.nodes = SosLayout.nodes(of: HostRoot.disk(dir), SosLayout.Options(lspciText: text))
        let c = Self.compare(HostRoot.disk(dir), h, name: name + " (real lspci text)")
        print("SOSCOMPARE \(name) real lspci: \(c.agree)/\(c.total) agree" + c.differing.map { "\n  \($0)" }.joined())
        #expect(c.problems.isEmpty, "\(c.problems.joined(separator: "\n"))")
    }

    @Test("rendering a host's PCI functions as lspci -nnvv and reading it back keeps every SR-IOV, ARI, ACS and PCIe value the checks read",
          arguments: Paths.committedFixtureHosts)
    func lspciRoundTrip(_ name: String) {
        let s = HostSnapshot.collect(HostRoot.disk(Paths.fixtureHosts + "/" + name))
        let listing = LspciListing(text: SosLayout.lspciText(s))
        #expect(listing.devices.count == s.pci.functions.count)
        for f in s.pci.functions {
            guard let a = PCIAddress(f.address), let d = listing.device(a), case .success(let b) = f.config else {
                Issue.record("\(name) \(f.address): not read back"); continue
            }
            let orig = PCIConfigSpace(bytes: b), back = PCIConfigSpace(bytes: d.config)
            #expect(d.vendorID == f.vendorID && d.deviceID == f.deviceID && d.classCode == f.classCode, "\(name) \(f.address) ids")
            #expect(d.driver == f.driver && d.iommuGroup == f.iommuGroup, "\(name) \(f.address) driver/group")
            #expect(orig.virtualizationCapabilityBlocks() == back.virtualizationCapabilityBlocks(), "\(name) \(f.address) SR-IOV/ARI/ACS")
            #expect(orig.pcie?.ariForwardingSupported == back.pcie?.ariForwardingSupported
                    && orig.pcie?.ariForwardingEnabled == back.pcie?.ariForwardingEnabled
                    && orig.pcie?.deviceTypeRaw == back.pcie?.deviceTypeRaw, "\(name) \(f.address) PCIe")
        }
    }

    @Test("the SR-IOV capability read from each real lspci -vvv text equals the text", .enabled(if: Paths.shared != nil, Comment(rawValue: Paths.sharedMissing)))
    func realLspciTexts() throws {
        let dir = Paths.shared! + "/realdata/lspci"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        var checked = 0
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            guard let want = LspciSRIOVText(text) else { continue }
            let listing = LspciListing(text: text)
            guard let cap = listing.devices.lazy.compactMap({ PCIConfigSpace(bytes: $0.config).sriov }).first else {
                // mail-wrapped texts lose their tabs: the capability is then not read (and never a wrong one)
                print("LSPCI \(file): capability not read from this text"); continue
            }
            var got = LspciSRIOVText(cap)
            got.driver = want.driver
            #expect(got == want, "\(file)")
            checked += 1
        }
        print("LSPCI \(checked) of \(files.count) real texts: capability read back equal")
        #expect(checked > 0)
    }

    @Test("an lspci -nnvv text: ids, class, driver, group, bus numbers and the SR-IOV capability")
    func handWrittenLspci() throws {
        let text = """
            3b:00.0 Ethernet controller [0200]: Intel Corporation 82599ES 10-Gigabit SFI/SFP+ Network Connection [8086:10fb] (rev 01)
            \tSubsystem: Intel Corporation Ethernet Server Adapter X520-2 [8086:0003]
            \tStatus: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-
            \tNUMA node: 0
            \tIOMMU group: 38
            \tCapabilities: [a0] Express (v2) Endpoint, MSI 00
            \t\tLnkSta:\tSpeed 5GT/s, Width x8
            \tCapabilities: [100 v1] Advanced Error Reporting
            \tCapabilities: [160 v1] Single Root I/O Virtualization (SR-IOV)
            \t\tIOVCap:\tMigration- 10BitTagReq- Interrupt Message Number: 000
            \t\tIOVCtl:\tEnable+ Migration- Interrupt- MSE+ ARIHierarchy+ 10BitTagReq-
            \t\tIOVSta:\tMigration-
            \t\tInitial VFs: 64, Total VFs: 64, Number of VFs: 2, Function Dependency Link: 00
            \t\tVF offset: 128, stride: 2, Device ID: 10ed
            \t\tSupported Page Size: 00000553, System Page Size: 00000001
            \t\tRegion 0: Memory at 00000000c7400000 (64-bit, prefetchable)
            \t\tRegion 3: Memory at 00000000c7500000 (64-bit, prefetchable)
            \t\tVF Migration: offset: 00000000, BIR: 0
            \tKernel driver in use: ixgbe
            \tKernel modules: ixgbe

            3b:10.0 Ethernet controller [0200]: Intel Corporation 82599 Ethernet Controller Virtual Function [8086:10ed] (rev 01)
            \tIOMMU group: 140
            \tKernel driver in use: vfio-pci

            """
        let l = LspciListing(text: text)
        #expect(l.devices.count == 2)
        let d = try #require(l.devices.first)
        #expect(d.vendorID == 0x8086 && d.deviceID == 0x10FB && d.classCode == 0x020000 && d.revision == 1)
        #expect(d.subsystemVendorID == 0x8086 && d.subsystemDeviceID == 0x0003 && d.driver == "ixgbe" && d.iommuGroup == "38" && d.numaNode == 0)
        #expect(d.linkSpeed == "5.0 GT/s PCIe" && d.linkWidth == "8")
        let cap = try #require(PCIConfigSpace(bytes: d.config).sriov)
        #expect(cap.offset == 0x160 && cap.totalVFs == 64 && cap.numVFs == 2 && cap.vfEnable && cap.ariCapableHierarchy)
        #expect(cap.firstVFOffset == 128 && cap.vfStride == 2 && cap.vfDeviceID == 0x10ED && cap.supportedPageSizes == 0x553)
        #expect(cap.vfBARs.map(\.baseAddress) == [0xC740_0000, 0xC750_0000] && cap.vfBARs.allSatisfy(\.prefetchable))
        #expect(cap.vfAddresses(pf: d.address).map(\.description) == ["0000:3b:10.0", "0000:3b:10.2"])
        // garbage and half lines never crash
        _ = LspciListing(text: "3b:00.0 x\n\tCapabilities: [fff v9] Single Root\n\t\tTotal VFs: 99999999999999999999\n\tCapabilities: [zz]\n")
    }

    @Test("ip -d link: state, MTU, MAC, master and the vf lines")
    func ipLink() {
        let text = """
            1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
                link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0
            4: ens1f0: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 9000 qdisc mq master bond0 state UP mode DEFAULT group default qlen 1000
                link/ether 3c:fd:fe:a5:10:00 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9710
                vf 0     link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust off
                vf 1     link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff, vlan 100, spoof checking on, link-state auto, trust off
            9: vlan10@bond0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
            """
        let e = IPLinkEntry.parse(text)
        #expect(e.map(\.name) == ["lo", "ens1f0", "vlan10"])
        #expect(e[1].mtu == 9000 && e[1].master == "bond0" && e[1].state == "up" && e[1].mac == "3c:fd:fe:a5:10:00" && e[1].vfs == [0, 1])
        #expect(e[2].state == "down" && e[2].vfs.isEmpty)
    }

    @Test("a sosreport is recognised by sos_commands beside sos_reports, sos_logs or version.txt, and said in the report")
    func detection() {
        let sos = ExampleHost.intelWithNIC.asSosreport()
        #expect(Report.run(root: sos.root()).0.host.evidenceSource == .sosreport)
        var bare = ExampleHost("only sos_commands")
        bare.nodes = sos.nodes.filter { !$0.key.hasPrefix("sos_reports") && !$0.key.hasPrefix("sos_logs") && $0.key != "version.txt" }
        #expect(Report.run(root: bare.root()).0.host.evidenceSource == .hostRoot)
        #expect(SosReport.detect(sos.root())?.version == "4.0")
    }

    /// Opt-in (SRIOV_SOS_LIVE=1, root, the `sosreport` package): runs `sos report` on this machine and compares the
    /// report's verdicts with the live check's.
    @Test("a real sosreport of this machine gives the live verdicts except where it lacks the evidence",
          .enabled(if: ProcessInfo.processInfo.environment["SRIOV_SOS_LIVE"] == "1" && FileManager.default.isExecutableFile(atPath: "/usr/bin/sos"),
                   "opt-in: set SRIOV_SOS_LIVE=1 and install sosreport (Debian: apt-get install sosreport); runs sos report as root"))
    func liveSosreport() throws {
        let tmp = NSTemporaryDirectory() + "spf-sos-\(getpid())"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let r = try run(["/usr/bin/sos", "report", "--batch", "--quiet", "--tmp-dir", tmp, "--build",
                         "-o", "kernel,pci,networking,boot,grub2,processor,hardware,memory,system,host,release,kvm,libvirt,process,logs"])
        let dir = try #require(try FileManager.default.contentsOfDirectory(atPath: tmp).first { $0.hasPrefix("sosreport-") }, "sos report: \(r.out)")
        let (live, _) = Report.run(root: HostRoot.disk("/"))
        let (fromSos, _) = Report.run(root: HostRoot.disk(tmp + "/" + dir))
        #expect(fromSos.host.evidenceSource == .sosreport)
        let a = Self.verdicts(live), b = Self.verdicts(fromSos)
        var agree = 0
        for (k, v) in a { if b[k]?.status == v.status { agree += 1 } else { print("SOSLIVE differs \(k): \(v.status) → \(b[k]?.status ?? "none"): \(b[k]?.message ?? "")") } }
        print("SOSLIVE \(agree)/\(a.count) agree")
        // a difference is allowed only where the report says what it lacks (a kernel without /proc/modules, say)
        #expect(a.keys.allSatisfy { k in
            guard let got = b[k] else { return false }
            return got.status == a[k]!.status || ((got.status == "skip" || got.status == "error")
                && ["not in this evidence", "cannot tell", "not captured", "not in this capture"].contains { got.message.contains($0) })
        })
    }
}

extension SosReportTests {
    @Test("check --root on an unpacked sosreport on disk: evidence_source sosreport, the NIC table from lspci and ip -d link")
    func cliOnDisk() throws {
        let dir = NSTemporaryDirectory() + "spf-sosdir-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelWithNIC.asSosreport().materialize(at: dir)
        let r = try run([Paths.binary, "check", "--root", dir, "--format", "json"])
        let doc = try JSONDecoder().decode(ReportDocument.self, from: Data(r.out.utf8))
        #expect(doc.host.evidenceSource == .sosreport)
        let pf = try #require(doc.nics.first { $0.pciAddress == "0000:3b:00.0" })
        #expect(pf.driver == "ixgbe" && pf.name == "ens1f0", "\(pf)")
        let nics = try run([Paths.binary, "nics", "--root", dir])
        print("SOSNICS\n\(nics.out)")
        #expect(nics.out.contains("ens1f0"))
    }
}
