#if canImport(Glibc)
import Glibc
#endif

public enum Tool {
    public static let name = "sriov-preflight"
    public static let version = "0.2.0"
}

/// Exit codes, documented in the README.
public enum ExitCode: Int32, Sendable, Codable {
    case ready = 0
    case failed = 1
    case undecided = 2
    case usage = 64
}

/// Counts per status; ignored and waived results are counted apart and never affect readiness.
public struct Summary: Sendable, Equatable, Codable {
    public var pass = 0, warn = 0, fail = 0, skip = 0, error = 0, ignored = 0, waived = 0
    public var ready: Bool
    public var exitCode: ExitCode

    enum CodingKeys: String, CodingKey {
        case pass, warn, fail, skip, error, ignored, waived, ready
        case exitCode = "exit_code"
    }

    // A report written before waivers has no `waived`: 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pass = try c.decode(Int.self, forKey: .pass)
        warn = try c.decode(Int.self, forKey: .warn)
        fail = try c.decode(Int.self, forKey: .fail)
        skip = try c.decode(Int.self, forKey: .skip)
        error = try c.decode(Int.self, forKey: .error)
        ignored = try c.decode(Int.self, forKey: .ignored)
        waived = try c.decodeIfPresent(Int.self, forKey: .waived) ?? 0
        ready = try c.decode(Bool.self, forKey: .ready)
        exitCode = try c.decode(ExitCode.self, forKey: .exitCode)
    }

    public init(_ results: [CheckResult], strict: Bool) {
        exitCode = .ready
        ready = true
        for r in results {
            switch r.disposition {
            case .ignored: ignored += 1; continue
            case .waived: waived += 1; continue
            case .counted: break
            }
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
        ready = exitCode == .ready
    }
}

/// How the evidence of a report was obtained.
public enum EvidenceSource: String, Sendable, Codable, CaseIterable {
    /// The running host itself (`--root /`).
    case live
    /// A captured host root (`--root DIR`): a lab capture, an unpacked bundle, a customer's files.
    case hostRoot = "host-root"
    /// A support bundle replayed with `check --bundle`.
    case bundle
    /// An unpacked sosreport (`--root SOSDIR`): PCI functions and interfaces from its text outputs.
    case sosreport
}

/// What a report says of the host as a whole.
public struct HostInfo: Sendable, Equatable, Codable {
    public var hostname: String
    public var kernelRelease: String
    public var cmdline: String
    public var cpuVendor: String
    public var root: String
    public var evidenceSource: EvidenceSource

    enum CodingKeys: String, CodingKey {
        case hostname, cmdline, root
        case kernelRelease = "kernel_release"
        case cpuVendor = "cpu_vendor"
        case evidenceSource = "evidence_source"
    }

    init(_ s: HostSnapshot, source: EvidenceSource) {
        hostname = s.system.hostname ?? "unknown"
        kernelRelease = s.system.kernelRelease.value ?? "unknown"
        cmdline = s.system.cmdline.value?.raw ?? ""
        cpuVendor = s.system.cpuVendor ?? "unknown"
        root = s.rootLabel
        evidenceSource = source
    }
}

public struct ToolInfo: Sendable, Equatable, Codable {
    public var name: String
    public var version: String
}

/// What the run was asked to do (`--only`, `--ignore`, `--strict`).
public struct SelectionInfo: Sendable, Equatable, Codable {
    public var only: [String]
    public var ignore: [String]
}

public struct Timings: Sendable, Equatable, Codable {
    /// Seconds since the epoch when the run started.
    public var startedAt: Double
    public var durationMs: Double
    public var collectMs: Double
    public var checksMs: Double

    enum CodingKeys: String, CodingKey {
        case startedAt = "started_at"
        case durationMs = "duration_ms"
        case collectMs = "collect_ms"
        case checksMs = "checks_ms"
    }
}

/// The report document: everything one run found, complete, typed and versioned. Every output (text,
/// JSON, JUnit, and whatever comes later) renders this value and nothing else; `report --from` reads it back.
/// Its JSON form is fixed by reports/report.schema.json (draft 2020-12).
public struct ReportDocument: Sendable, Equatable, Codable {
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    public var tool: ToolInfo
    /// `2026-11-25T04:30:00Z`.
    public var generatedAt: String
    public var strict: Bool
    public var host: HostInfo
    public var selection: SelectionInfo
    public var summary: Summary
    public var timings: Timings
    /// The NIC inventory (one row per physical NIC), names from the root's own pci.ids when it has one.
    public var nics: [NICRow]
    public var results: [CheckResult]
    /// The files the facts read (path, size, sha256 of small files, or why it could not be read).
    public var filesRead: [FileRead]
    /// The waivers of the run (`--waivers`), each with its state; nil without a waiver file.
    public var waivers: WaiverReport?

    enum CodingKeys: String, CodingKey {
        case tool, strict, host, selection, summary, timings, nics, results, waivers
        case schemaVersion = "schema_version"
        case generatedAt = "generated_at"
        case filesRead = "files_read"
    }

    public init(snapshot: HostSnapshot, results: [CheckResult], strict: Bool, selection: Selection = Selection(),
                source: EvidenceSource? = nil, timings: Timings) {
        schemaVersion = Self.currentSchemaVersion
        tool = ToolInfo(name: Tool.name, version: Tool.version)
        generatedAt = Self.utcStamp(timings.startedAt) + "Z"
        self.strict = strict
        host = HostInfo(snapshot, source: source ?? (snapshot.sosreport != nil && snapshot.evidence == .hostRoot ? .sosreport : snapshot.evidence))
        self.selection = SelectionInfo(only: selection.only, ignore: selection.ignore)
        // Times are kept to the microsecond the JSON form holds, so a report read back renders exactly the same.
        func r(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
        self.results = results.map { var x = $0; x.durationMs = r(x.durationMs); return x }
        summary = Summary(results, strict: strict)
        self.timings = Timings(startedAt: r(timings.startedAt), durationMs: r(timings.durationMs),
                               collectMs: r(timings.collectMs), checksMs: r(timings.checksMs))
        nics = snapshot.nicTable
        filesRead = snapshot.filesRead
    }

    /// Collects a snapshot of `root` and runs the checks: the whole pipeline.
    public static func run(root: HostRoot, selection: Selection = Selection(), strict: Bool = false,
                           source: EvidenceSource? = nil, checks: [Check] = Checks.all) -> (ReportDocument, HostSnapshot) {
        let started = wallClock()
        let t0 = Engine.monotonicMs()
        let (facts, recorder) = HostSnapshot.collectRecording(root)
        let t1 = Engine.monotonicMs()
        // The checks do not look at the record of what was read: it is sorted meanwhile.
        let (results, filesRead) = Parallel.both({ Engine.run(facts, checks: checks, selection: selection) },
                                                 { recorder.filesRead })
        var snapshot = facts
        snapshot.filesRead = filesRead
        let t2 = Engine.monotonicMs()
        let report = ReportDocument(snapshot: snapshot, results: results, strict: strict, selection: selection,
                                    source: source,
                                    timings: Timings(startedAt: started, durationMs: t2 - t0, collectMs: t1 - t0,
                                                     checksMs: t2 - t1))
        return (report, snapshot)
    }

    /// Reads a JSON report back; refuses another schema version with a message saying which.
    public static func read(json text: String) throws -> ReportDocument {
        let value = try JSON.parse(text)
        guard case .object(let o) = value else { throw ReadError.notAReport(ErrorStrings.ui.topNotObject.id) }
        guard case .int(let v)? = o["schema_version"] else { throw ReadError.notAReport(ErrorStrings.ui.noSchemaVersion.id) }
        guard v == Int64(currentSchemaVersion) else {
            var p = ["version": String(v), "tool": "\(Tool.name) \(Tool.version)", "current": String(currentSchemaVersion)]
            if case .object(let t)? = o["tool"], case .string(let s)? = t["version"] { p["writer"] = "\(Tool.name) \(s)" }
            throw ReadError.version((p["writer"] == nil ? ErrorStrings.ui.schemaVersion : ErrorStrings.ui.schemaVersionBy).render(p))
        }
        do {
            return try JSONCoding.decode(ReportDocument.self, from: value)
        } catch let e as DecodingError {
            throw ReadError.notAReport(Self.describe(e))
        }
    }

    public enum ReadError: Error, CustomStringConvertible, Equatable {
        case notAReport(String)
        case version(String)
        public var description: String {
            switch self {
            case .notAReport(let s): return ErrorStrings.ui.notAReport.render(["tool": Tool.name, "reason": s])
            case .version(let s): return s
            }
        }
    }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            return c.debugDescription
        @unknown default:
            return "\(e)"
        }
    }

    /// The JSON text of the document (sorted keys, two-space indent): what `--format json` writes.
    public func json() -> String {
        (try? JSONCoding.serialize(self)) ?? "null\n"
    }

    public static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// UTC time as `2026-11-25T04:30:00` (no zone: what the strictest JUnit schema accepts).
    static func utcStamp(_ seconds: Double) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        func p(_ v: Int32, _ n: Int) -> String { String(v).leftPadded(n, "0") }
        return "\(p(tm.tm_year + 1900, 4))-\(p(tm.tm_mon + 1, 2))-\(p(tm.tm_mday, 2))T\(p(tm.tm_hour, 2)):\(p(tm.tm_min, 2)):\(p(tm.tm_sec, 2))"
    }

    /// The run's start as a JUnit timestamp (no zone).
    public var timestamp: String { String(generatedAt.dropLast(generatedAt.hasSuffix("Z") ? 1 : 0)) }
}

/// The engine's output has one name: the report document.
public typealias Report = ReportDocument
