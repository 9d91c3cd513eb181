import Foundation
@testable import SRIOVPreflight
import Testing

/// What the review of wave 1 found (issue 12): each item has a test here that failed before its mend.
@Suite("Review mends")
struct MendTests {
    static func results(_ host: ExampleHost, _ ids: Set<String>) -> [CheckResult] {
        Report.run(root: host.root()).0.results.filter { ids.contains($0.id) }
    }

    // MARK: 1. journalStamp

    /// "20261202T071343Z-0000"
    static func isStamp(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 21, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z"), u[16] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in [8, 15, 16].contains(i) || (c >= 0x30 && c <= 0x39) }
    }

    @Test("journal stamp: a stray file or a later stamp (clock went back) in the journal directory does not hang")
    func journalStampTerminates() {
        let plain = FixEngine.journalStamp(existing: [])
        #expect(Self.isStamp(plain), "\(plain)")
        let stray = FixEngine.journalStamp(existing: ["notes.txt", "zzz", ".hidden"])
        #expect(Self.isStamp(stray), "\(stray)")
        let future = "29991231T235959Z-0003"
        let after = FixEngine.journalStamp(existing: [future, "notes.txt"])
        #expect(after == "29991231T235959Z-0004")
        #expect(after > future)
        #expect(FixEngine.journalStamp(existing: [plain]) > plain)
    }

    @Test("fix --apply and --undo with a stray notes.txt in the journal directory")
    func applyWithStrayJournalFile() throws {
        let dir = temporaryDirectory("stray")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = ExampleHost.intelNoIRHardware.file("\(FixEngine.journalDir)/notes.txt", "my notes\n")
        try host.materialize(at: dir)
        let (report, snap) = Report.run(root: HostRoot.disk(dir))
        let ctx = FixContext(snapshot: snap, results: report.results, base: dir,
                             options: FixOptions(acceptUnsafeInterrupts: true))
        let plans = FixEngine.plans(ctx, ids: [.unsafeInterrupts]).compactMap { if case .plan(let p) = $0.1 { return p }; return nil }
        #expect(!plans.isEmpty)
        var w = SafeWriter(base: dir)
        let applied = try FixEngine.apply(plans, base: dir, live: false, writer: &w)
        #expect(!applied.changedFiles.isEmpty)
        var u = SafeWriter(base: dir)
        let undone = try FixEngine.undo(base: dir, live: false, force: false, writer: &u)
        #expect(undone.journal == applied.journal)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/\(FixEngine.journalDir)/notes.txt"))
    }

    // MARK: 2. unreadable sys/class/net

    @Test("an unreadable sys/class/net: nic.link and the bond checks give error naming the path and the reason")
    func unreadableNetClass() {
        let host = ExampleHost.intelWithNIC.withBond("bond0", slaves: ["ens1f0", "eno1"])
            .removing("sys/class/net").unreadable("sys/class/net")
        let rs = Self.results(host, ["nic.link", "bond.mode", "bond.sriov-members", "bond.vf-members"])
        #expect(Set(rs.map(\.id)) == ["nic.link", "bond.mode", "bond.sriov-members", "bond.vf-members"])
        for r in rs {
            #expect(r.status == .error, "\(r.id): \(r.status) \(r.message)")
            #expect(r.message.contains("sys/class/net") && r.message.contains("permission denied"), "\(r.id): \(r.message)")
        }
    }

    // MARK: 3. vfio.noiommu

    @Test("vfio.noiommu: an unreadable parameter file is error, an absent one passes")
    func noiommuUnreadable() {
        let param = "sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
        let r = Self.results(ExampleHost.intelReady.unreadable(param), ["vfio.noiommu"])
        #expect(r.map(\.status) == [.error], "\(r.map(\.message))")
        #expect(r.first?.message.contains(param) == true && r.first?.message.contains("permission denied") == true,
                "\(r.first?.message ?? "")")
        #expect(Self.results(ExampleHost.intelReady, ["vfio.noiommu"]).map(\.status) == [.pass])
    }

    // MARK: 4. odd PCI directory names

    @Test("an oddly named entry in sys/bus/pci/devices does not crash sriov.ari (or any check)")
    func oddPCIName() throws {
        let base = ExampleHost.intelWithNIC
        guard case .link(let target)? = base.nodes["sys/bus/pci/devices/0000:3b:00.0"] else {
            Issue.record("the example NIC has no device link"); return
        }
        for odd in ["odd", "0000:3b", "0000:3b:00", "zz:zz:zz.z", "0000:3b:00.x", "0000:3b:00.0.1"] {
            let host = base.link("sys/bus/pci/devices/\(odd)", target)
            let (report, _) = Report.run(root: host.root())
            let ari = report.results.filter { $0.id == "sriov.ari" && $0.object == odd }
            #expect(ari.map(\.status) == [.error], "\(odd): \(ari.map(\.message))")
        }
    }

    // MARK: 5. the redaction map

    @Test("the redaction map is created 0600, never through a planted temporary name")
    func redactionMapPrivate() throws {
        let dir = temporaryDirectory("map")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = "\(dir)/host.tar.gz"
        let mapPath = SupportBundle.redactionMapPath(for: out)
        // Someone planted the temporary name as a link to a world-readable place.
        let planted = "\(dir)/planted.json"
        try FileManager.default.createSymbolicLink(atPath: mapPath + ".tmp-\(getpid())", withDestinationPath: planted)
        let host = "\(dir)/host"
        try ExampleHost.intelReady.materialize(at: host)
        let summary = try SupportBundle.create(root: HostRoot.disk(host), output: out, redact: true)
        #expect(summary.redactionMap == mapPath)
        let attrs = try FileManager.default.attributesOfItem(atPath: mapPath)
        #expect(attrs[.type] as? FileAttributeType == .typeRegular)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: planted), "the map was written through the planted link")
    }

    @Test("FileOutput creates a file with the mode asked for, never following a planted link")
    func fileOutputMode() throws {
        let dir = temporaryDirectory("fo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/secret.json"
        try FileOutput.write([0x7B, 0x7D], to: path, mode: 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        try FileOutput.write([0x7B, 0x7D], to: "\(dir)/public.json")
        #expect((try FileManager.default.attributesOfItem(atPath: "\(dir)/public.json")[.posixPermissions] as? Int) == 0o644)
    }

    // MARK: 6. SafeWriter checks fsync, fchmod, fchown

    enum Failing: String, CaseIterable, CustomTestStringConvertible { case fsync, fchmod, fchown
        var testDescription: String { rawValue }
    }

    @Test("SafeWriter: a failing fsync/fchmod/fchown fails the write with the reason and leaves the file as it was",
          arguments: Failing.allCases)
    func safeWriterChecksSyscalls(_ failing: Failing) throws {
        let dir = temporaryDirectory("sw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/etc.conf"))
        var w = SafeWriter(base: dir)
        switch failing {
        case .fsync: w.syscalls.fsync = { _ in errno = EIO; return -1 }
        case .fchmod: w.syscalls.fchmod = { _, _ in errno = EPERM; return -1 }
        case .fchown: w.syscalls.fchown = { _, _, _ in errno = EPERM; return -1 }
        }
        #expect {
            try w.write("etc.conf", Array("new\n".utf8))
        } throws: { error in
            let text = "\(error)"
            return text.contains(failing.rawValue) && text.contains("etc.conf")
                && (text.contains("Input/output error") || text.contains("Operation not permitted"))
        }
        #expect(try String(contentsOfFile: "\(dir)/etc.conf", encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["etc.conf"], "a temporary file was left")
    }

    @Test("SafeWriter: a failing fsync of the directory after the rename fails the write")
    func safeWriterDirectoryFsync() throws {
        let dir = temporaryDirectory("swd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var w = SafeWriter(base: dir)
        var calls = 0
        w.syscalls.fsync = { fd in
            calls += 1
            if calls == 2 { errno = EIO; return -1 }
            return Glibc.fsync(fd)
        }
        #expect(throws: SafeWriter.Refusal.self) { try w.write("new.conf", Array("x\n".utf8)) }
    }
}
