/// One file a fix creates, modifies or deletes, with the exact content before and after.
public struct FileChange: Sendable, Equatable {
    public enum Kind: String, Sendable { case create, modify, delete }
    /// Root-relative path.
    public var path: String
    /// Content when the plan was made (nil: the file did not exist). Apply refuses if it changed since.
    public var old: [UInt8]?
    /// Content after the fix (nil: the file is removed).
    public var new: [UInt8]?

    public var kind: Kind { old == nil ? .create : (new == nil ? .delete : .modify) }

    public var diff: String {
        UnifiedDiff.render(old: old.map { String(decoding: $0, as: UTF8.self) },
                           new: new.map { String(decoding: $0, as: UTF8.self) }, path: path)
    }
}

/// Something a fix does to the running system (only on a live root, only with --apply).
public struct RuntimeAction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Write `value` into a sysfs/procfs attribute; `undo` restores the value read at plan time.
        case writeAttribute(path: String, value: String, undo: String?)
        /// Run a command; `undo` runs on `fix --undo`.
        case command([String], undo: [String]?)
    }

    public var kind: Kind
    public var description: String

    public static func attribute(_ path: String, _ value: String, undo: String?, _ why: String) -> RuntimeAction {
        RuntimeAction(kind: .writeAttribute(path: path, value: value, undo: undo), description: why)
    }

    public static func command(_ argv: [String], undo: [String]? = nil, _ why: String) -> RuntimeAction {
        RuntimeAction(kind: .command(argv, undo: undo), description: why)
    }

    public var shellText: String {
        switch kind {
        case .writeAttribute(let p, let v, _): return "echo \(v) > /\(p)"
        case .command(let argv, _): return argv.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        }
    }
}

/// What one fix would change, and why.
public struct FixPlan: Sendable {
    public var fixID: FixID
    public var title: String
    /// The results it answers: `ir.unsafe-interrupts[host]`.
    public var answers: [String]
    public var files: [FileChange]
    public var actions: [RuntimeAction]
    public var rebootRequired: Bool
    /// What the operator must know (what isolation is given up, what to run by hand…).
    public var notes: [String] = []
    /// A flag `--apply` needs for this fix (`--accept-unsafe-interrupts`).
    public var requiredFlag: String?

    public var isEmpty: Bool { files.isEmpty && actions.isEmpty }
}

/// A fix's verdict for this host.
public enum FixOutcome: Sendable {
    case plan(FixPlan)
    case notNeeded(String)
    case refused(String)
}

/// What a fix is given: the snapshot, the results, the root on disk, the operator's options.
public struct FixContext: Sendable {
    public var snapshot: HostSnapshot
    public var results: [CheckResult]
    /// The host root directory ("/" when live).
    public var base: String
    public var options: FixOptions

    public var isLive: Bool { snapshot.isLive }

    public init(snapshot: HostSnapshot, results: [CheckResult], base: String, options: FixOptions) {
        self.snapshot = snapshot
        self.results = results
        self.base = base
        self.options = options
    }

    /// Results with a failure or warning that offer `fixID`.
    public func asking(_ fixID: FixID) -> [CheckResult] {
        results.filter { !$0.ignored && ($0.status == .fail || $0.status == .warn) && $0.fix?.id == fixID }
    }

    /// Where a check stands, for a fix that is not needed: "ir.unsafe-interrupts is skip: no IOMMU is active…".
    public func standing(_ check: CheckID) -> String { Self.standing(check, results) }

    /// `standing` in a language: the status word and each result's message translated (English: the status
    /// id, as the JSON plan's `reason` carries it).
    public static func standing(_ check: CheckID, _ results: [CheckResult], _ t: Translator = .english) -> String {
        let ui = UIStrings.ui
        let rs = results.filter { $0.checkID == check }
        guard !rs.isEmpty else { return t(ui.fixStandingNotRun, ["check": check.rawValue]) }
        return rs.map { r in
            let name = check.rawValue + (r.object == "host" ? "" : "[\(r.object)]")
            if r.ignored { return t(ui.fixStandingIgnored, ["check": name]) }
            let p = ["check": name, "status": t.isEnglish ? r.status.rawValue : t(ui.status(r.status)), "message": t.message(r)]
            return t(r.status == .fail || r.status == .warn ? ui.fixStandingUnmended : ui.fixStandingStatus, p)
        }.joined(separator: t(ui.listSeparator))
    }

    /// Current content of a file under the root, read without following symlinks.
    public func current(_ path: String) throws -> [UInt8]? {
        try SafeWriter(base: base).read(path)
    }
}

public struct FixOptions: Sendable {
    public var acceptUnsafeInterrupts = false
    public var force = false
    /// `--vfs PF=N`: PF by interface name or PCI address.
    public var vfs: [(pf: String, count: Int)] = []

    public init(acceptUnsafeInterrupts: Bool = false, force: Bool = false, vfs: [(pf: String, count: Int)] = []) {
        self.acceptUnsafeInterrupts = acceptUnsafeInterrupts
        self.force = force
        self.vfs = vfs
    }
}

/// A fix: an id, a title, and a planner. Planning never changes anything.
public struct FixDefinition: Sendable {
    public var fixID: FixID
    public var id: String { fixID.rawValue }
    public var title: String
    public var plan: @Sendable (FixContext) -> FixOutcome

    public static let all: [FixDefinition] = [
        unsafeInterrupts, unsafeInterruptsOff, iommuCmdline, vfioModules, sriovVFs,
    ]

    public init(id: FixID, title: String, plan: @escaping @Sendable (FixContext) -> FixOutcome) {
        fixID = id
        self.title = title
        self.plan = plan
    }

    public static func named(_ id: String) -> FixDefinition? { all.first { $0.id == id } }
    public static func named(_ id: FixID) -> FixDefinition { all.first { $0.fixID == id }! }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
