#if canImport(Glibc)
import Glibc
#endif

public enum Tool {
    public static let name = "sriov-preflight"
    public static let version = "0.1.0"
}

/// Exit codes, documented in the README.
public enum ExitCode: Int32, Sendable {
    case ready = 0
    case failed = 1
    case undecided = 2
    case usage = 64
}

/// Counts per status; ignored results are counted apart and never affect readiness.
public struct Summary: Sendable, Equatable {
    public var pass = 0, warn = 0, fail = 0, skip = 0, error = 0, ignored = 0
    public var exitCode: ExitCode = .ready
    public var ready: Bool { exitCode == .ready }

    public init(_ results: [CheckResult], strict: Bool) {
        for r in results {
            if r.ignored { ignored += 1; continue }
            switch r.status {
            case .pass: pass += 1
            case .warn: warn += 1
            case .fail: fail += 1
            case .skip: skip += 1
            case .error: error += 1
            }
        }
        if fail > 0 || (strict && warn > 0) {
            exitCode = .failed
        } else if error > 0 {
            exitCode = .undecided
        }
    }
}

/// What a report says of the host as a whole.
public struct HostInfo: Sendable {
    public var hostname: String
    public var kernelRelease: String
    public var cmdline: String
    public var cpuVendor: String
    public var root: String

    init(_ s: HostSnapshot) {
        hostname = s.system.hostname ?? "unknown"
        kernelRelease = s.system.kernelRelease.value ?? "unknown"
        cmdline = s.system.cmdline.value?.raw ?? ""
        cpuVendor = s.system.cpuVendor ?? "unknown"
        root = s.rootLabel
    }
}

/// The results of one run, ready for the reporters.
public struct Report: Sendable {
    public var host: HostInfo
    public var results: [CheckResult]
    public var summary: Summary
    public var strict: Bool
    /// Seconds since the epoch when the run started.
    public var startedAt: Double
    public var durationMs: Double

    public init(snapshot: HostSnapshot, results: [CheckResult], strict: Bool, startedAt: Double, durationMs: Double) {
        host = HostInfo(snapshot)
        self.results = results
        self.strict = strict
        summary = Summary(results, strict: strict)
        self.startedAt = startedAt
        self.durationMs = durationMs
    }

    /// Collects a snapshot of `root` and runs the checks: the whole pipeline.
    public static func run(root: HostRoot, selection: Selection = Selection(), strict: Bool = false,
                           checks: [Check] = Checks.all) -> (Report, HostSnapshot) {
        let started = wallClock()
        let t0 = Engine.monotonicMs()
        let snapshot = HostSnapshot.collect(root)
        let results = Engine.run(snapshot, checks: checks, selection: selection)
        let report = Report(snapshot: snapshot, results: results, strict: strict, startedAt: started,
                            durationMs: Engine.monotonicMs() - t0)
        return (report, snapshot)
    }

    static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// UTC time as `2026-11-25T04:30:00` (no zone: what the strictest JUnit schema accepts).
    public var timestamp: String {
        var t = time_t(startedAt)
        var tm = tm()
        gmtime_r(&t, &tm)
        func p(_ v: Int32, _ n: Int) -> String { String(v).leftPadded(n, "0") }
        return "\(p(tm.tm_year + 1900, 4))-\(p(tm.tm_mon + 1, 2))-\(p(tm.tm_mday, 2))T\(p(tm.tm_hour, 2)):\(p(tm.tm_min, 2)):\(p(tm.tm_sec, 2))"
    }
}
