import ArgumentParser
import Foundation
import SRIOVPreflight

struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Show (and with --apply make) the changes that failed checks need; --undo reverts the last apply.",
        discussion: """
            Without --apply nothing is changed: the plan lists every file with a unified diff and every runtime \
            action. Every write is atomic, keeps the original's mode and owner, refuses symlinks, and is \
            journalled with a backup under ROOT/var/lib/sriov-preflight/. Fixes: \
            \(FixDefinition.all.map(\.id).joined(separator: ", ")).
            """)

    @OptionGroup var rootOptions: RootOptions

    @Argument(help: "Fix ids (default: every fix a failing check offers).")
    var ids: [String] = []

    @Flag(name: .long, help: "Make the planned changes.")
    var apply = false

    @Flag(name: .long, help: "Revert the last applied plan from its journal.")
    var undo = false

    @Flag(name: .long, help: "Accept giving up interrupt isolation (needed to apply unsafe-interrupts).")
    var acceptUnsafeInterrupts = false

    @Option(name: .long, parsing: .singleValue, help: "PF=N: set a PF's VF count (PF by interface or PCI address); N=0 restores.")
    var vfs: [String] = []

    @Flag(name: .long, help: "Change the VF count even when VFs are in use; undo over later edits.")
    var force = false

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        for id in ids where FixDefinition.named(id) == nil {
            throw ValidationError("unknown fix '\(id)' (fixes: \(FixDefinition.all.map(\.id).joined(separator: ", ")))")
        }
        if apply && undo { throw ValidationError("--apply and --undo cannot be combined") }
        _ = try parsedVFs()
    }

    func parsedVFs() throws -> [(pf: String, count: Int)] {
        try vfs.flatMap(splitList).map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { throw ValidationError("--vfs takes PF=N, got '\(spec)'") }
            return (parts[0], n)
        }
    }

    func run() throws {
        let root = rootOptions.hostRoot()
        let base = rootOptions.root
        var writer = SafeWriter(base: base)
        let live = root.isLive
        if undo {
            try requireRoot(live: live, what: "undo")
            do {
                let o = try FixEngine.undo(base: base, live: live, force: force, writer: &writer)
                for f in o.changedFiles { print("restored /\(f)") }
                for f in o.removedFiles { print("removed /\(f) (the fix had created it)") }
                for a in o.actionsRun { print("ran: \(a)") }
                print("undone: \(o.journal ?? "")")
            } catch {
                fail("\(error)")
            }
            return
        }
        var vfsOption = try parsedVFs()
        if !vfsOption.isEmpty && !ids.isEmpty && !ids.contains("sriov-vfs") { vfsOption = [] }
        let (report, snapshot) = Report.run(root: root)
        let ctx = FixContext(snapshot: snapshot, results: report.results, base: base,
                             options: FixOptions(acceptUnsafeInterrupts: acceptUnsafeInterrupts, force: force, vfs: vfsOption))
        let outcomes = FixEngine.plans(ctx, ids: ids.isEmpty && !vfsOption.isEmpty ? [] : ids)
        switch format {
        case .json: print(FixPlanRenderer.json(outcomes).serialized(pretty: true), terminator: "")
        default: if !apply { print(FixPlanRenderer.text(outcomes, live: live), terminator: "") }
        }
        let plans = outcomes.compactMap { o -> FixPlan? in if case .plan(let p) = o.1 { return p }; return nil }
        let problems = FixEngine.permissionProblems(plans, base: base, live: live)
        guard apply else {
            if !problems.isEmpty {
                FileHandle.standardError.write(Data("note: \(permissionText(problems))\nrun `sriov-preflight fix --apply` as root (sudo)\n".utf8))
            }
            return
        }
        let refusals = outcomes.compactMap { d, o -> String? in
            if case .refused(let why) = o { return "fix \(d.id) refused: \(why)" }
            return nil
        }
        if !refusals.isEmpty { fail(refusals.joined(separator: "\n") + "\nnothing was changed") }
        for p in plans where p.requiredFlag == "--accept-unsafe-interrupts" && !acceptUnsafeInterrupts {
            fail("fix \(p.fixID) gives up interrupt isolation: re-run with --accept-unsafe-interrupts to apply it")
        }
        if plans.allSatisfy(\.isEmpty) {
            print("nothing to change: the host already has what the fixes would set")
            return
        }
        if !problems.isEmpty {
            fail("\(permissionText(problems))\nnothing was changed: run as root (sudo)")
        }
        do {
            let o = try FixEngine.apply(plans, base: base, live: live, writer: &writer)
            for p in plans { print("fix \(p.fixID): applied\(p.rebootRequired ? " (reboot required)" : "")") }
            for f in o.changedFiles { print("  wrote /\(f)") }
            for a in o.actionsRun { print("  ran: \(a)") }
            for a in o.actionsSkipped { print("  skipped (not the live host): \(a)") }
            print("journal: \(o.journal ?? "-") (undo with: sriov-preflight fix --undo\(base == "/" ? "" : " --root \(base)"))")
        } catch {
            fail("\(error)")
        }
    }

    /// "these fixes need root: fix vfio-modules: create /etc/modules-load.d/vfio-pci.conf, run `modprobe vfio-pci`".
    func permissionText(_ problems: [(fixID: String, steps: [String])]) -> String {
        let who = geteuid() == 0 ? "these fixes write where this user cannot" : "these fixes need root"
        return "\(who):\n" + problems.map { "  fix \($0.fixID): \($0.steps.joined(separator: "; "))" }.joined(separator: "\n")
    }

    func requireRoot(live: Bool, what: String) throws {
        if live && geteuid() != 0 {
            fail("\(what) needs root on the live host (files under /etc and /var/lib, sysfs writes, modprobe): nothing was changed; run with sudo")
        }
    }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("sriov-preflight fix: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
