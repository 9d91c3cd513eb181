#if canImport(Glibc)
import Glibc
#endif

/// What the operator asked `fix` to do.
public struct FixRequest: Sendable {
    public enum Mode: Sendable, Equatable { case plan, apply, undo }
    public var mode: Mode = .plan
    /// Fix ids (empty: every fix a failing check offers).
    public var ids: [FixID] = []
    public var options = FixOptions()
    public var json = false

    public init(mode: Mode = .plan, ids: [FixID] = [], options: FixOptions = FixOptions(), json: Bool = false) {
        self.mode = mode
        self.ids = ids
        self.options = options
        self.json = json
    }

    /// Refuses combinations that would be silently dropped: `--vfs` only goes with `sriov-vfs`.
    public func validate() throws {
        if !options.vfs.isEmpty && !ids.isEmpty && !ids.contains(.sriovVFs) {
            throw FixSession.UsageError(description:
                "--vfs sets VF counts for the sriov-vfs fix, which is not among the fixes named (\(ids.map(\.rawValue).joined(separator: ", "))): add sriov-vfs or drop --vfs")
        }
        if mode == .undo && (!ids.isEmpty || !options.vfs.isEmpty) {
            throw FixSession.UsageError(description: "--undo reverts the whole last applied plan: it takes no fix ids and no --vfs")
        }
    }
}

/// The policy of `fix`: plan, refuse, apply or undo, and what to tell the operator. The command line only
/// prints `stdout` / `stderr` and exits with `exitCode`.
public enum FixSession {
    public struct UsageError: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Output: Sendable, Equatable {
        public var stdout = ""
        public var stderr = ""
        public var exitCode: Int32 = 0

        mutating func out(_ line: String) { stdout += line.hasSuffix("\n") || line.isEmpty ? line : line + "\n" }
        mutating func err(_ line: String) { stderr += line.hasSuffix("\n") ? line : line + "\n" }
        mutating func fail(_ message: String) {
            err("sriov-preflight fix: \(message)")
            exitCode = 1
        }
    }

    /// Runs a request against a host root on disk (`base`, "/" when live).
    public static func run(_ request: FixRequest, root: HostRoot, base: String,
                           runner: CommandRunner = .system, euid: uid_t = geteuid()) -> Output {
        var o = Output()
        var writer = SafeWriter(base: base)
        let live = root.isLive
        if request.mode == .undo {
            if live && euid != 0 {
                o.fail("undo needs root on the live host (files under /etc and /var/lib, sysfs writes, modprobe): nothing was changed; run with sudo")
                return o
            }
            do {
                let u = try FixEngine.undo(base: base, live: live, force: request.options.force, writer: &writer, runner: runner)
                for f in u.changedFiles { o.out("restored /\(f)") }
                for f in u.removedFiles { o.out("removed /\(f) (the fix had created it)") }
                for a in u.actionsRun { o.out("ran: \(a)") }
                o.out("undone: \(u.journal ?? "")")
            } catch {
                o.fail("\(error)")
            }
            return o
        }
        let (report, snapshot) = Report.run(root: root)
        let ctx = FixContext(snapshot: snapshot, results: report.results, base: base, options: request.options)
        let outcomes = FixEngine.plans(ctx, ids: request.ids)
        if request.json {
            o.out(FixPlanRenderer.json(outcomes).serialized(pretty: true))
        } else if request.mode == .plan {
            o.out(FixPlanRenderer.text(outcomes, live: live))
        }
        let plans = outcomes.compactMap { o -> FixPlan? in if case .plan(let p) = o.1 { return p }; return nil }
        let problems = FixEngine.permissionProblems(plans, base: base, live: live)
        guard request.mode == .apply else {
            if !problems.isEmpty {
                o.err("note: \(permissionText(problems, euid: euid))\nrun `sriov-preflight fix --apply` as root (sudo)")
            }
            return o
        }
        let refusals = outcomes.compactMap { d, outcome -> String? in
            if case .refused(let why) = outcome { return "fix \(d.id) refused: \(why)" }
            return nil
        }
        if !refusals.isEmpty {
            o.fail(refusals.joined(separator: "\n") + "\nnothing was changed")
            return o
        }
        for p in plans where p.requiredFlag == "--accept-unsafe-interrupts" && !request.options.acceptUnsafeInterrupts {
            o.fail("fix \(p.fixID.rawValue) gives up interrupt isolation: re-run with --accept-unsafe-interrupts to apply it")
            return o
        }
        if plans.allSatisfy(\.isEmpty) {
            o.out("nothing to change: the host already has what the fixes would set")
            return o
        }
        if !problems.isEmpty {
            o.fail("\(permissionText(problems, euid: euid))\nnothing was changed: run as root (sudo)")
            return o
        }
        do {
            let a = try FixEngine.apply(plans, base: base, live: live, writer: &writer, runner: runner)
            for p in plans { o.out("fix \(p.fixID.rawValue): applied\(p.rebootRequired ? " (reboot required)" : "")") }
            for f in a.changedFiles { o.out("  wrote /\(f)") }
            for r in a.actionsRun { o.out("  ran: \(r)") }
            for r in a.actionsSkipped { o.out("  skipped (not the live host): \(r)") }
            o.out("journal: \(a.journal ?? "-") (undo with: sriov-preflight fix --undo\(base == "/" ? "" : " --root \(base)"))")
        } catch {
            o.fail("\(error)")
        }
        return o
    }

    /// "these fixes need root: fix vfio-modules: create /etc/modules-load.d/vfio-pci.conf, run `modprobe vfio-pci`".
    static func permissionText(_ problems: [(fixID: FixID, steps: [String])], euid: uid_t) -> String {
        let who = euid == 0 ? "these fixes write where this user cannot" : "these fixes need root"
        return "\(who):\n" + problems.map { "  fix \($0.fixID.rawValue): \($0.steps.joined(separator: "; "))" }.joined(separator: "\n")
    }
}
