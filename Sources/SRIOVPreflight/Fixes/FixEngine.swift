#if canImport(Glibc)
import Glibc
#endif

/// Applies plans with a journal and backups under ROOT/var/lib/sriov-preflight/, and undoes the last one.
public enum FixEngine {
    public static let stateDir = "var/lib/sriov-preflight"
    public static let journalDir = "var/lib/sriov-preflight/journal"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    /// What an apply or undo did.
    public struct Outcome: Sendable {
        public var changedFiles: [String] = []
        /// Files an undo removed because the fix had created them.
        public var removedFiles: [String] = []
        public var actionsRun: [String] = []
        public var actionsSkipped: [String] = []
        public var journal: String?
    }

    /// Plans every requested fix (all offered ones when `ids` is empty).
    /// sriov-vfs is part of "every fix" only with `--vfs`.
    public static func plans(_ ctx: FixContext, ids: [FixID]) -> [(FixDefinition, FixOutcome)] {
        var defs = ids.isEmpty ? FixDefinition.all : ids.map(FixDefinition.named)
        if ids.isEmpty && ctx.options.vfs.isEmpty { defs.removeAll { $0.fixID == .sriovVFs } }
        return defs.map { ($0, $0.plan(ctx)) }
    }

    /// What the current user cannot do of these plans, fix by fix: each file whose directory it may not write,
    /// the journal under var/lib/sriov-preflight, and on a live root without root every runtime action.
    /// Empty: `apply` may go ahead. Nothing is changed to find out.
    public static func permissionProblems(_ plans: [FixPlan], base: String, live: Bool) -> [(fixID: FixID, steps: [String])] {
        let writer = SafeWriter(base: base)
        let notRoot = geteuid() != 0
        func writable(_ rel: String) -> Bool {
            // The nearest directory that exists is the one a write (or the directories it creates) lands in.
            var dir = PathText.dirname(writer.full(rel))
            while !dir.isEmpty && dir != "/" && access(dir, F_OK) != 0 {
                dir = PathText.dirname(dir)
            }
            return access(dir.isEmpty ? "/" : dir, W_OK) == 0
        }
        var problems: [(fixID: FixID, steps: [String])] = []
        for p in plans where !p.isEmpty {
            let ui = UIStrings.ui
            var steps = p.files.filter { $0.old != $0.new && !writable($0.path) }.map { ui.fixStepFile.render(["change": $0.kind.rawValue, "path": $0.path]) }
            if live && notRoot { steps += p.actions.map { ui.fixStepRun.render(["command": $0.shellText]) } }
            if !steps.isEmpty && !writable("\(journalDir)/x") { steps.append(ui.fixStepJournal.render(["dir": stateDir])) }
            if !steps.isEmpty { problems.append((p.fixID, steps)) }
        }
        return problems
    }

    /// Applies plans: preconditions first (every file still as planned), then backups and the journal,
    /// then each file atomically, then the runtime actions (live root only).
    public static func apply(_ plans: [FixPlan], base: String, live: Bool, writer: inout SafeWriter,
                             runner: CommandRunner = .system) throws -> Outcome {
        var outcome = Outcome()
        let files = plans.flatMap(\.files).filter { $0.old != $0.new }
        var seen = Set<String>()
        for f in files {
            guard seen.insert(f.path).inserted else { throw Failure(ErrorStrings.ui.fixTwoFixes.render(["path": f.path])) }
            let now = try writer.read(f.path)
            if now != f.old {
                throw Failure(ErrorStrings.ui.fixChangedSincePlan.render(["path": f.path]))
            }
        }
        let actions = plans.flatMap(\.actions)
        if files.isEmpty && actions.isEmpty { return outcome }

        let stamp = journalStamp(existing: PathText.entries(writer.full(journalDir)))
        let dir = "\(journalDir)/\(stamp)"
        func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }
        var record: [String: JSON] = [
            "id": .string(stamp), "fixes": strings(plans.map(\.fixID.rawValue)), "complete": .bool(false),
            "files": .array(files.map { .object(["path": .string($0.path), "existed": .bool($0.old != nil), "removed": .bool($0.new == nil)]) }),
            "actions": .array(actions.map { a -> JSON in
                switch a.kind {
                case .writeAttribute(let p, let v, let u):
                    return .object(["attribute": .string(p), "value": .string(v), "undo": .str(u), "run": .bool(live)])
                case .command(let argv, let u):
                    return .object(["command": strings(argv), "undo": u.map(strings) ?? .null, "run": .bool(live)])
                }
            }),
        ]
        for f in files {
            if let old = f.old { try writer.write("\(dir)/backup/\(f.path)", old, newMode: 0o600) }
            if let new = f.new { try writer.write("\(dir)/new/\(f.path)", new, newMode: 0o600) }
        }
        try writer.write("\(dir)/journal.json", jsonBytes(record), newMode: 0o600)
        outcome.journal = dir
        for f in files {
            if let new = f.new { try writer.write(f.path, new) } else { try writer.remove(f.path) }
            outcome.changedFiles.append(f.path)
        }
        for a in actions {
            if live {
                try run(a, base: base, runner: runner, undo: false)
                outcome.actionsRun.append(a.shellText)
            } else {
                outcome.actionsSkipped.append(a.shellText)
            }
        }
        record["complete"] = .bool(true)
        record["created_directories"] = strings(writer.createdDirectories.filter { !$0.hasPrefix(dir) })
        try writer.write("\(dir)/journal.json", jsonBytes(record), newMode: 0o600)
        return outcome
    }

    /// Reverts the last applied plan: every file back to its backup (or removed if the fix created it),
    /// refusing files changed since the apply unless `force`; runtime actions undone on a live root.
    public static func undo(base: String, live: Bool, force: Bool, writer: inout SafeWriter,
                            runner: CommandRunner = .system) throws -> Outcome {
        try writer.checkNoSymlinks(journalDir + "/x")
        let entries = PathText.entries(writer.full(journalDir)).filter(isJournalStamp)
        guard let last = entries.max() else {
            throw Failure(ErrorStrings.ui.fixNothingToUndo.render(["dir": journalDir]))
        }
        let dir = "\(journalDir)/\(last)"
        guard let data = try writer.read("\(dir)/journal.json"),
              case .object(let record)? = try? JSON.parse(data),
              case .array(let fileList)? = record["files"] else {
            throw Failure(ErrorStrings.ui.fixJournalUnreadable.render(["file": "\(dir)/journal.json"]))
        }
        let files = fileList.compactMap { j -> [String: JSON]? in if case .object(let o) = j { return o }; return nil }
        var outcome = Outcome()
        outcome.journal = dir
        // Check first, change after: an undo that would overwrite later edits refuses as a whole.
        for f in files {
            guard let path = f["path"]?.stringValue else { continue }
            let expected = try writer.read("\(dir)/new/\(path)")
            let now = try writer.read(path)
            if now != expected && !force {
                throw Failure(ErrorStrings.ui.fixChangedSinceApply.render(["path": path]))
            }
        }
        for f in files.reversed() {
            guard let path = f["path"]?.stringValue else { continue }
            if f["existed"] == .bool(true) {
                guard let backup = try writer.read("\(dir)/backup/\(path)") else { throw Failure(ErrorStrings.ui.fixBackupMissing.render(["path": path])) }
                try writer.write(path, backup)
                outcome.changedFiles.append(path)
            } else {
                try writer.remove(path)
                outcome.removedFiles.append(path)
            }
        }
        let actionList = record["actions"]?.arrayValue ?? []
        for case .object(let a) in actionList.reversed() where a["run"] == .bool(true) {
            if let p = a["attribute"]?.stringValue, let u = a["undo"]?.stringValue {
                let action = RuntimeAction.attribute(p, u, undo: nil, FixStrings.ui.undo.id)
                if live { try run(action, base: base, runner: runner, undo: false); outcome.actionsRun.append(action.shellText) }
            } else if let u = a["undo"]?.arrayValue?.compactMap(\.stringValue), !u.isEmpty {
                let action = RuntimeAction.command(u, FixStrings.ui.undo.id)
                if live { try run(action, base: base, runner: runner, undo: false); outcome.actionsRun.append(action.shellText) }
            }
        }
        // The journal goes, and so do the directories the apply created, when nothing else is in them.
        try writer.removeTree(dir)
        for d in [journalDir, stateDir] where !writer.removeIfEmpty(d) { break }
        for d in (record["created_directories"]?.arrayValue?.compactMap(\.stringValue) ?? []).reversed() { writer.removeIfEmpty(d) }
        return outcome
    }

    static func run(_ a: RuntimeAction, base: String, runner: CommandRunner, undo: Bool) throws {
        switch a.kind {
        case .writeAttribute(let p, let v, _):
            let path = base == "/" ? "/" + p : base + "/" + p
            let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { throw Failure(ErrorStrings.ui.fixCannotOpen.render(["path": path, "problem": CError.text(errno)])) }
            defer { close(fd) }
            let bytes = Array(v.utf8)
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n != bytes.count { throw Failure(ErrorStrings.ui.fixWriteFailed.render(["value": v, "path": path, "problem": CError.text(errno)])) }
        case .command(let argv, _):
            let (status, output) = runner.run(argv)
            if status != 0 { throw Failure(ErrorStrings.ui.fixCommandFailed.render(["command": argv.joined(separator: " "), "status": String(status), "output": output.trimmingWhitespace()])) }
        }
    }

    static func jsonBytes(_ o: [String: JSON]) -> [UInt8] {
        Array(JSON.object(o).serialized(pretty: true).utf8)
    }

    /// A name that sorts after every existing journal entry: today's stamp, or, when an entry already
    /// sorts after it (a clock that went back), that entry's stamp with the next sequence number.
    /// Names that are not journal stamps (a stray `notes.txt`) are not journal entries.
    static func journalStamp(existing: [String]) -> String {
        let base = String(Report.wallClockStamp().filter { $0 != ":" })
        let today = "\(base)-0000"
        guard let last = existing.filter(isJournalStamp).max(), last >= today else { return today }
        let n = Int(last.suffix(4))! + 1
        if n <= 9999 { return "\(last.prefix(16))-\(String(n).leftPadded(4, "0"))" }
        // 10,000 applies in one second of a future clock: the next second.
        var t = tm()
        let digits = Array(last.utf8).map { Int32($0) - 0x30 }
        func num(_ r: Range<Int>) -> Int32 { r.reduce(0) { $0 * 10 + digits[$1] } }
        t.tm_year = num(0..<4) - 1900; t.tm_mon = num(4..<6) - 1; t.tm_mday = num(6..<8)
        t.tm_hour = num(9..<11); t.tm_min = num(11..<13); t.tm_sec = num(13..<15) + 1
        var next = timegm(&t)
        var out = tm()
        gmtime_r(&next, &out)
        func p(_ v: Int32, _ w: Int) -> String { String(v).leftPadded(w, "0") }
        return "\(p(out.tm_year + 1900, 4))\(p(out.tm_mon + 1, 2))\(p(out.tm_mday, 2))T\(p(out.tm_hour, 2))\(p(out.tm_min, 2))\(p(out.tm_sec, 2))Z-0000"
    }

    /// "20261202T071343Z-0000": the name of a journal entry.
    static func isJournalStamp(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 21, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z"), u[16] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in [8, 15, 16].contains(i) || (c >= 0x30 && c <= 0x39) }
    }
}

/// Runs commands for runtime actions; tests substitute a recorder.
public struct CommandRunner: Sendable {
    public var run: @Sendable ([String]) -> (Int32, String)

    public init(run: @escaping @Sendable ([String]) -> (Int32, String)) { self.run = run }

    /// Runs `argv` (the tool looked up in the system directories) without a shell; its output, then its
    /// errors, are what the operator is shown.
    public static let system = CommandRunner { argv in
        guard let tool = argv.first else { return (127, "no command") }
        do {
            let o = try Subprocess.run(tool, Array(argv.dropFirst()))
            return (o.status, String(decoding: o.stdout, as: UTF8.self) + o.stderr)
        } catch {
            return (127, "\(error)")
        }
    }
}

extension Report {
    static func wallClockStamp() -> String {
        var t = time_t(wallClock())
        var tm = tm()
        gmtime_r(&t, &tm)
        func p(_ v: Int32, _ n: Int) -> String { String(v).leftPadded(n, "0") }
        return "\(p(tm.tm_year + 1900, 4))\(p(tm.tm_mon + 1, 2))\(p(tm.tm_mday, 2))T\(p(tm.tm_hour, 2)):\(p(tm.tm_min, 2)):\(p(tm.tm_sec, 2))Z"
    }
}
