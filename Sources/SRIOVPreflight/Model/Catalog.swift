#if canImport(Glibc)
import Glibc
#endif

/// Namespace of the checks; each check lives in its own file under Checks/.
public enum Checks {
    /// The catalog, in report order.
    public static let all: [Check] = [
        cpuVirtualization,
        firmwareIOMMUTable,
        firmwareInterruptRemapping,
        firmwareRMRRDevices,
        kernelIOMMUEnabled,
        kernelIOMMUCmdline,
        kernelPendingReboot,
        irSupported,
        irEnabled,
        irUnsafeInterrupts,
        vfioModules,
        vfioNoIOMMU,
        sriovCapable,
        sriovPFDriver,
        sriovVFDriver,
        sriovVFs,
        sriovBARSpace,
        sriovARI,
        sriovIOMMUGroup,
        nicLink,
        bondSRIOVMembers,
        bondMode,
        bondVFMembers,
    ]

    public static func named(_ id: String) -> Check? { all.first { $0.id == id } }
    public static func named(_ id: CheckID) -> Check { all.first { $0.checkID == id }! }

    public static var categories: [String] {
        var seen: [String] = []
        for c in all where !seen.contains(c.description.category) { seen.append(c.description.category) }
        return seen
    }
}

/// Which checks run and which results are ignored (`--only`, `--ignore`).
public struct Selection: Sendable {
    public var only: [String] = []
    public var ignore: [String] = []

    public init(only: [String] = [], ignore: [String] = []) {
        self.only = only
        self.ignore = ignore
    }

    public enum Problem: Error, CustomStringConvertible {
        case unknown(String)
        case allCombined

        public var description: String {
            switch self {
            case .unknown(let s): return ErrorStrings.ui.unknownSelection.render(["name": s])
            case .allCombined: return ErrorStrings.ui.ignoreAllCombined.id
            }
        }
    }

    /// Rejects names that match no check or category.
    public func validate(_ catalog: [Check]) throws {
        let ids = Set(catalog.map(\.id))
        let cats = Set(catalog.map(\.description.category))
        for o in only where !ids.contains(o) && !cats.contains(o) { throw Problem.unknown(o) }
        if ignore.contains("all") && ignore.count > 1 { throw Problem.allCombined }
        for i in ignore where i != "all" {
            let id = String(i.split(separator: "@", maxSplits: 1)[0])
            if !ids.contains(id) && !cats.contains(id) { throw Problem.unknown(id) }
        }
    }

    public func runs(_ check: Check) -> Bool {
        only.isEmpty || only.contains(check.id) || only.contains(check.description.category)
    }

    public func ignores(_ r: CheckResult) -> Bool {
        ignore.contains { entry in
            if entry == "all" { return true }
            let parts = entry.split(separator: "@", maxSplits: 1).map(String.init)
            let head = parts[0]
            guard head == r.id || head == r.category else { return false }
            return parts.count == 1 || parts[1] == r.object
        }
    }
}

/// Runs checks against a snapshot.
public enum Engine {
    /// Findings the engine itself gives for any check.
    public static let messages: [String: String] = [
        "root-unreadable": "cannot decide: {problem}",
        "not-captured": "not in this evidence: {path} is not in this capture, so {fact} cannot be told",
    ]

    public static func run(_ snapshot: HostSnapshot, checks: [Check] = Checks.all,
                           selection: Selection = Selection()) -> [CheckResult] {
        var results: [CheckResult] = []
        for check in checks where selection.runs(check) {
            let d = check.description
            let start = monotonicMs()
            var findings: [Finding]
            if let problem = snapshot.rootProblem {
                findings = [Finding(.error, code: "root-unreadable", ["problem": problem])]
            } else {
                findings = check.evaluate(snapshot)
            }
            let elapsed = (monotonicMs() - start) / Double(max(findings.count, 1))
            for f in findings {
                let (code, message) = check.render(f)
                var r = CheckResult(id: d.id, object: f.object, status: f.status, code: code, params: f.params,
                                    message: message, evidence: f.evidence, fix: f.fix)
                r.title = d.title
                r.category = d.category
                r.severity = d.severity
                r.remediation = d.remediation
                r.durationMs = elapsed
                r.ignored = selection.ignores(r)
                results.append(r)
            }
        }
        return results
    }

    static func monotonicMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }
}
