import Foundation
@testable import SRIOVPreflight
import Testing

/// Every fix, run on fixture roots on disk: dry run, apply, apply again, undo, refusals, crashes at any step.
@Suite("Fixes")
struct FixTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var host: ExampleHost
        var ids: [FixID]
        var options = FixOptions()
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "unsafe-interrupts, keeping the file's other options",
                 host: .intelNoIRHardware.file("etc/modprobe.d/iommu_unsafe_interrupts.conf", "# local\noptions vfio_iommu_type1 dma_entry_limit=100000\n"),
                 ids: [.unsafeInterrupts], options: FixOptions(acceptUnsafeInterrupts: true)),
        Scenario(name: "unsafe-interrupts, new file", host: .intelNoIRHardware, ids: [.unsafeInterrupts],
                 options: FixOptions(acceptUnsafeInterrupts: true)),
        Scenario(name: "unsafe-interrupts-off where IR works",
                 host: .intelReady.file("etc/modprobe.d/iommu_unsafe_interrupts.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=1\n"),
                 ids: [.unsafeInterruptsOff]),
        Scenario(name: "iommu-cmdline: Debian kernel default off", host: .intelKernelDefaultOff.file("etc/debian_version", "12.8\n"),
                 ids: [.iommuCmdline]),
        Scenario(name: "iommu-cmdline: remove intremap=off", host: .intelIntremapOff, ids: [.iommuCmdline]),
        Scenario(name: "iommu-cmdline: BLS entry", host: .intelKernelDefaultOff.removing("etc/default/grub").file(
            "boot/loader/entries/abc-\(ExampleHost.release).conf",
            "title Example\nlinux /vmlinuz-\(ExampleHost.release)\noptions root=/dev/sda1 ro\n"), ids: [.iommuCmdline]),
        Scenario(name: "vfio-modules: blacklisted, not loaded",
                 host: .intelReady.file("proc/modules", "ixgbe 1 0 - Live 0x0\n").file("etc/modprobe.d/blacklist-vfio.conf", "blacklist vfio_pci\n"),
                 ids: [.vfioModules]),
        Scenario(name: "sriov-vfs: 4 VFs on a PF with none", host: .intelReady.withNIC(NICSpec()), ids: [.sriovVFs],
                 options: FixOptions(vfs: [("ens1f0", 4)])),
    ]

    /// path → what it is (file bytes, link target, directory): the whole tree, byte for byte.
    static func tree(_ dir: String) -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: dir) else { return out }
        while let rel = e.nextObject() as? String {
            let p = dir + "/" + rel
            let attrs = try? fm.attributesOfItem(atPath: p)
            switch attrs?[.type] as? FileAttributeType {
            case .typeSymbolicLink?: out[rel] = "L:" + ((try? fm.destinationOfSymbolicLink(atPath: p)) ?? "?")
            case .typeDirectory?: out[rel] = "D"
            default: out[rel] = "F:" + ((fm.contents(atPath: p)).map { $0.base64EncodedString() } ?? "?")
                    + ":\((attrs?[.posixPermissions] as? Int) ?? 0)"
            }
        }
        return out
    }

    static func context(_ dir: String, _ options: FixOptions) -> FixContext {
        let (report, snap) = Report.run(root: HostRoot.disk(dir))
        return FixContext(snapshot: snap, results: report.results, base: dir, options: options)
    }

    static func plans(_ dir: String, _ s: Scenario) -> [FixPlan] {
        FixEngine.plans(context(dir, s.options), ids: s.ids).compactMap { if case .plan(let p) = $0.1 { return p }; return nil }
    }

    static func stateless(_ t: [String: String]) -> [String: String] {
        t.filter { !$0.key.hasPrefix("var/lib/sriov-preflight") && $0.key != "var/lib" && $0.key != "var" }
    }

    @Test("dry run, apply, apply again, undo", arguments: scenarios)
    func lifecycle(_ s: Scenario) throws {
        let dir = temporaryDirectory("fix")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try s.host.materialize(at: dir)
        let before = Self.tree(dir)

        let planned = Self.plans(dir, s)
        #expect(!planned.isEmpty, "no plan for \(s.name)")
        #expect(planned.allSatisfy { !$0.files.isEmpty }, "every scenario changes a file")
        #expect(Self.tree(dir) == before, "planning changed the tree")
        for p in planned { for f in p.files { #expect(f.diff.contains("@@"), "\(f.path) has no diff") } }

        var w = SafeWriter(base: dir)
        _ = try FixEngine.apply(planned, base: dir, live: false, writer: &w)
        let after = Self.tree(dir)
        // exactly the planned files changed (the journal aside)
        var expected = before
        for f in planned.flatMap(\.files) {
            if let new = f.new { expected[f.path] = "F:" + Data(new).base64EncodedString() + ":\(f.old == nil ? 0o644 : Int((before[f.path]?.split(separator: ":").last).flatMap { Int($0) } ?? 0o644))" } else { expected[f.path] = nil }
            var parent = (f.path as NSString).deletingLastPathComponent
            while !parent.isEmpty && expected[parent] == nil { expected[parent] = "D"; parent = (parent as NSString).deletingLastPathComponent }
        }
        #expect(Self.stateless(after) == Self.stateless(expected), "apply did not produce exactly the planned files: \(Set(Self.stateless(after).map { "\($0.key)=\($0.value.prefix(60))" }).symmetricDifference(Set(Self.stateless(expected).map { "\($0.key)=\($0.value.prefix(60))" })))")

        // a second apply changes nothing
        let again = Self.plans(dir, s)
        #expect(again.allSatisfy { $0.files.isEmpty }, "second plan still changes files: \(again.flatMap(\.files).map(\.path))")
        if !again.isEmpty {
            var w2 = SafeWriter(base: dir)
            let o = try FixEngine.apply(again, base: dir, live: false, writer: &w2)
            #expect(o.changedFiles.isEmpty)
        }
        #expect(Self.stateless(Self.tree(dir)) == Self.stateless(after))

        var w3 = SafeWriter(base: dir)
        _ = try FixEngine.undo(base: dir, live: false, force: false, writer: &w3)
        if !again.isEmpty {   // the second (file-less) apply was journalled too: undo it as well
            var w4 = SafeWriter(base: dir)
            _ = try? FixEngine.undo(base: dir, live: false, force: false, writer: &w4)
        }
        #expect(Self.tree(dir) == before, "undo did not restore the tree byte for byte")
    }

    @Test("a symlink at the target or in its directory is refused", arguments: ["target", "directory"])
    func symlinks(_ where_: String) throws {
        let dir = temporaryDirectory("fix")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let elsewhere = temporaryDirectory("elsewhere")
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        var host = ExampleHost.intelNoIRHardware
        if where_ == "target" {
            host = host.link("etc/modprobe.d/iommu_unsafe_interrupts.conf", elsewhere + "/victim.conf")
        } else {
            host = host.removing("etc/modprobe.d").link("etc/modprobe.d", elsewhere)
        }
        try host.materialize(at: dir)
        let s = Scenario(name: "", host: host, ids: [.unsafeInterrupts], options: FixOptions(acceptUnsafeInterrupts: true))
        let outcomes = FixEngine.plans(Self.context(dir, s.options), ids: s.ids)
        guard case .refused(let why) = outcomes[0].1 else { Issue.record("planned through a symlink: \(outcomes[0].1)"); return }
        #expect(why.contains("symbolic link"))
        #expect((try FileManager.default.contentsOfDirectory(atPath: elsewhere)).isEmpty)
        // and the writer itself refuses, whatever a plan says
        var w = SafeWriter(base: dir)
        #expect(throws: SafeWriter.Refusal.self) { try w.write("etc/modprobe.d/iommu_unsafe_interrupts.conf", Array("x\n".utf8)) }
    }

    @Test("a file edited between plan and apply is refused")
    func editedSincePlan() throws {
        let s = Self.scenarios[0]
        let dir = temporaryDirectory("fix")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try s.host.materialize(at: dir)
        let planned = Self.plans(dir, s)
        try "options vfio_iommu_type1 dma_entry_limit=5\n".write(toFile: dir + "/etc/modprobe.d/iommu_unsafe_interrupts.conf", atomically: true, encoding: .utf8)
        let edited = Self.tree(dir)
        var w = SafeWriter(base: dir)
        #expect(throws: FixEngine.Failure.self) { _ = try FixEngine.apply(planned, base: dir, live: false, writer: &w) }
        #expect(Self.tree(dir) == edited)
    }

    @Test("killed at any write step, every file is old or new, never partial", arguments: [0, 3, 5])
    func crashAtEveryStep(_ scenario: Int) throws {
        let s = Self.scenarios[scenario]
        var step = 1
        while true {
            let dir = temporaryDirectory("fix")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try s.host.materialize(at: dir)
            let planned = Self.plans(dir, s)
            var w = SafeWriter(base: dir)
            w.failAtStep = step
            do {
                _ = try FixEngine.apply(planned, base: dir, live: false, writer: &w)
                break   // no step left to fail: all were survived
            } catch {}
            for f in planned.flatMap(\.files) {
                let now = FileManager.default.contents(atPath: dir + "/" + f.path).map { [UInt8]($0) }
                #expect(now == f.old || now == f.new, "step \(step): \(f.path) is neither old nor new")
            }
            let strays = Self.tree(dir).keys.filter { $0.contains(".spf-") }
            #expect(strays.isEmpty, "step \(step): temporary files left: \(strays)")
            step += 1
            if step > 200 { Issue.record("too many steps"); break }
        }
        #expect(step > 5, "the apply has more than five write steps")
    }

    @Test("sriov-vfs refuses in-use VFs without --force, more than TotalVFs, and a PF without a driver")
    func sriovVFsRefusals() throws {
        let dir = temporaryDirectory("fix")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelWithNIC.materialize(at: dir)
        func outcome(_ o: FixOptions) -> FixOutcome { FixEngine.plans(Self.context(dir, o), ids: [.sriovVFs])[0].1 }
        if case .refused(let why) = outcome(FixOptions(vfs: [("ens1f0", 4)])) { #expect(why.contains("in use")) } else { Issue.record("in-use VFs not refused") }
        if case .refused(let why) = outcome(FixOptions(force: true, vfs: [("0000:3b:00.0", 64)])) { #expect(why.contains("TotalVFs")) } else { Issue.record("N > TotalVFs not refused") }
        guard case .plan(let p) = outcome(FixOptions(force: true, vfs: [("ens1f0", 0)])) else { Issue.record("SR-IOV restore not planned"); return }
        #expect(p.actions.map(\.shellText).contains { $0.hasSuffix("sriov_numvfs") && $0.hasPrefix("echo 0") })

        let noDriver = temporaryDirectory("fix")
        defer { try? FileManager.default.removeItem(atPath: noDriver) }
        try ExampleHost.intelReady.withNIC(NICSpec().with { $0.driver = nil }).materialize(at: noDriver)
        let o = FixEngine.plans(Self.context(noDriver, FixOptions(vfs: [("0000:3b:00.0", 2)])), ids: [.sriovVFs])[0].1
        if case .refused(let why) = o { #expect(why.contains("no driver bound")) } else { Issue.record("a PF without a driver not refused") }
    }

    @Test("sriov-vfs: 0 then N to sriov_numvfs, and undo puts the old count back")
    func sriovVFsRuntimeWritesAndUndo() throws {
        let dir = temporaryDirectory("fix")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelReady.withNIC(NICSpec().with { $0.numVFs = 4 }).materialize(at: dir)
        guard case .plan(let p) = FixEngine.plans(Self.context(dir, FixOptions(vfs: [("ens1f0", 2)])), ids: [.sriovVFs])[0].1 else {
            Issue.record("4 → 2 VFs not planned"); return
        }
        #expect(p.actions.map(\.kind).map { k -> String in
            if case .writeAttribute(_, let v, let u) = k { return "\(v)/\(u ?? "-")" }
            return "?"
        } == ["0/4", "2/0"])
        guard let attr = p.actions.first.flatMap({ a -> String? in
            if case .writeAttribute(let path, _, _) = a.kind { return path }
            return nil
        }) else { Issue.record("no sriov_numvfs write"); return }
        func numVFs() -> String { ((try? String(contentsOfFile: dir + "/" + attr, encoding: .utf8)) ?? "?").trimmingWhitespace() }
        // live: true runs the attribute writes against the files of the root on disk.
        var w = SafeWriter(base: dir)
        _ = try FixEngine.apply([p], base: dir, live: true, writer: &w)
        #expect(numVFs() == "2")
        var w2 = SafeWriter(base: dir)
        _ = try FixEngine.undo(base: dir, live: true, force: false, writer: &w2)
        #expect(numVFs() == "4")
    }

    @Test("unified diff")
    func diff() {
        let d = UnifiedDiff.render(old: "a\nb\nc\n", new: "a\nB\nc\nd\n", path: "etc/x")
        #expect(d == "--- a/etc/x\n+++ b/etc/x\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n")
        #expect(UnifiedDiff.render(old: nil, new: "x\n", path: "f").hasPrefix("--- /dev/null\n+++ b/f\n@@ -0,0 +1,1 @@\n+x\n"))
        #expect(UnifiedDiff.render(old: "same\n", new: "same\n", path: "f").isEmpty)
    }

    @Test("fix policy lives in the library: --vfs with other fix ids and --undo with ids are refused; a session plans, applies and undoes")
    func session() throws {
        #expect(throws: FixSession.UsageError.self) {
            try FixRequest(ids: [.unsafeInterrupts], options: FixOptions(vfs: [("ens1f0", 2)])).validate()
        }
        #expect(throws: FixSession.UsageError.self) { try FixRequest(mode: .undo, ids: [.vfioModules]).validate() }
        try FixRequest(ids: [.sriovVFs, .vfioModules], options: FixOptions(vfs: [("ens1f0", 2)])).validate()
        let dir = temporaryDirectory("session")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelNoIRHardware.materialize(at: dir)
        let plan = FixSession.run(FixRequest(ids: [.unsafeInterrupts]), root: HostRoot.disk(dir), base: dir)
        #expect(plan.exitCode == 0 && plan.stdout.contains("fix unsafe-interrupts"))
        let refused = FixSession.run(FixRequest(mode: .apply, ids: [.unsafeInterrupts]), root: HostRoot.disk(dir), base: dir)
        #expect(refused.exitCode == 1 && refused.stderr.contains("--accept-unsafe-interrupts"))
        let applied = FixSession.run(FixRequest(mode: .apply, ids: [.unsafeInterrupts],
                                                options: FixOptions(acceptUnsafeInterrupts: true)),
                                     root: HostRoot.disk(dir), base: dir)
        #expect(applied.exitCode == 0 && applied.stdout.contains("applied"), "\(applied.stderr)")
        let undone = FixSession.run(FixRequest(mode: .undo), root: HostRoot.disk(dir), base: dir)
        #expect(undone.exitCode == 0 && undone.stdout.contains("undone"), "\(undone.stderr)")
    }

    @Test("runtime commands run without a shell, output and errors captured, exit status kept")
    func processRunner() {
        let (status, out) = CommandRunner.system.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(status == 3)
        #expect(out == "out\nerr\n")
        let (missing, why) = CommandRunner.system.run(["/nonexistent/tool"])
        #expect(missing == 127 && why.contains("/nonexistent/tool"))
        #expect(CommandRunner.system.run(["true"]).0 == 0)
    }
}
