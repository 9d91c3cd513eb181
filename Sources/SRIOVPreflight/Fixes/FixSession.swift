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

    /// Runs a request against a host root on disk (`base`, "/" when live). What it prints is in `t`'s language
    /// (the JSON plan is not).
    public static func run(_ request: FixRequest, root: HostRoot, base: String,
                           runner: CommandRunner = .system, euid: uid_t = geteuid(),
                           translator t: Translator = L10n.current) -> Output {
        let ui = UIStrings.ui
        var o = Output()
        var writer = SafeWriter(base: base)
        let live = root.isLive
        if request.mode == .undo {
            if live && euid != 0 {
                o.fail(t(ui.fixUndoNeedsRoot))
                return o
            }
            do {
                let u = try FixEngine.undo(base: base, live: live, force: request.options.force, writer: &writer, runner: runner)
                for f in u.changedFiles { o.out(t(ui.fixRestored, ["path": f])) }
                for f in u.removedFiles { o.out(t(ui.fixRemovedCreated, ["path": f])) }
                for a in u.actionsRun { o.out(t(ui.fixRan, ["command": a])) }
                o.out(t(ui.fixUndone, ["journal": u.journal ?? ""]))
            } catch {
                o.fail(t.error("\(error)"))
            }
            return o
        }
        let (report, snapshot) = Report.run(root: root)
        let ctx = FixContext(snapshot: snapshot, results: report.results, base: base, options: request.options)
        let outcomes = FixEngine.plans(ctx, ids: request.ids)
        if request.json {
            o.out(FixPlanRenderer.json(outcomes).serialized(pretty: true))
        } else if request.mode == .plan {
            o.out(FixPlanRenderer.text(outcomes, live: live, results: report.results, translator: t))
        }
        let plans = outcomes.compactMap { o -> FixPlan? in if case .plan(let p) = o.1 { return p }; return nil }
        let problems = FixEngine.permissionProblems(plans, base: base, live: live)
        guard request.mode == .apply else {
            if !problems.isEmpty {
                o.err(t(ui.fixPermissionNote, ["problems": permissionText(problems, euid: euid, t)]))
            }
            return o
        }
        let refusals = outcomes.compactMap { d, outcome -> String? in
            if case .refused(let why) = outcome { return t(ui.fixRefusedApply, ["id": d.id, "why": FixPlanRenderer.reason(why, results: report.results, t)]) }
            return nil
        }
        if !refusals.isEmpty {
            o.fail((refusals + [t(ui.fixNothingChanged)]).joined(separator: "\n"))
            return o
        }
        for p in plans where p.requiredFlag == "--accept-unsafe-interrupts" && !request.options.acceptUnsafeInterrupts {
            o.fail(t(ui.fixUnsafeNeedsFlag, ["id": p.fixID.rawValue]))
            return o
        }
        if plans.allSatisfy(\.isEmpty) {
            o.out(t(ui.fixNothingToChange))
            return o
        }
        if !problems.isEmpty {
            o.fail(t(ui.fixPermissionFail, ["problems": permissionText(problems, euid: euid, t)]))
            return o
        }
        do {
            let a = try FixEngine.apply(plans, base: base, live: live, writer: &writer, runner: runner)
            for p in plans { o.out(t(p.rebootRequired ? ui.fixAppliedReboot : ui.fixApplied, ["id": p.fixID.rawValue])) }
            for f in a.changedFiles { o.out("  " + t(ui.fixWrote, ["path": f])) }
            for r in a.actionsRun { o.out("  " + t(ui.fixRan, ["command": r])) }
            for r in a.actionsSkipped { o.out("  " + t(ui.fixSkippedNotLive, ["command": r])) }
            let undo = "sriov-preflight fix --undo" + (base == "/" ? "" : " --root \(base)")
            o.out(t(ui.fixJournal, ["journal": a.journal ?? "-", "command": undo]))
        } catch {
            o.fail(t.error("\(error)"))
        }
        return o
    }

    /// "these fixes need root: fix vfio-modules: create /etc/modules-load.d/vfio-pci.conf, run `modprobe vfio-pci`".
    static func permissionText(_ problems: [(fixID: FixID, steps: [String])], euid: uid_t, _ t: Translator = .english) -> String {
        let ui = UIStrings.ui
        let who = t(euid == 0 ? ui.fixCannotWrite : ui.fixNeedRoot)
        return "\(who)\n" + problems.map { p in
            "  fix \(p.fixID.rawValue): " + p.steps.map { permissionStep($0, t) }.joined(separator: t(ui.listSeparator))
        }.joined(separator: "\n")
    }

    /// A step of `FixEngine.permissionProblems` (rendered in English there) in `t`'s language.
    static func permissionStep(_ english: String, _ t: Translator) -> String {
        let ui = UIStrings.ui
        guard !t.isEnglish else { return english }
        for m in [ui.fixStepRun, ui.fixStepJournal, ui.fixStepFile] {
            if var p = MessageTemplate.match(m.id, english) {
                if let c = p["change"] { p["change"] = t.text(c, context: "file change") }
                return t(m, p)
            }
        }
        return english
    }
}
