/// The fleet document: what `aggregate` made of many hosts' reports, complete and typed. Every fleet output
/// (text matrix, JSON, JUnit, and whatever comes later) renders this value and nothing else. Its JSON form is
/// fixed by reports/fleet.schema.json (draft 2020-12, `schema: sriov-preflight/fleet/1`).
public struct FleetDocument: Sendable, Equatable, Codable {
    public static let currentSchema = "sriov-preflight/fleet/1"

    public var schema: String
    /// When the aggregate was made, `2026-11-25T04:30:00Z`.
    public var generatedAt: String
    /// The version of the tool that aggregated.
    public var toolVersion: String
    /// One row per host, sorted by name.
    public var hosts: [FleetHost]
    /// The checks seen in any report, in the catalog's order (checks this version does not know last).
    public var checks: [FleetCheck]
    /// Check id → host name → the host's cell for that check.
    public var matrix: [String: [String: FleetCell]]
    /// Per check: how many hosts pass, fail, …, and which fail; in the order of `checks`.
    public var byCheck: [FleetCheckCounts]
    public var summary: FleetSummary

    enum CodingKeys: String, CodingKey {
        case schema, hosts, checks, matrix, summary
        case generatedAt = "generated_at"
        case toolVersion = "tool_version"
        case byCheck = "by_check"
    }

    /// The JSON text of the document (sorted keys, two-space indent): what `aggregate --format json` writes.
    public func json() -> String {
        (try? JSONCoding.serialize(self)) ?? "null\n"
    }

    /// Reads a fleet document back (for reporters that render a saved one); refuses another schema.
    public static func read(json text: String) throws -> FleetDocument {
        let value = try JSON.parse(text)
        guard case .object(let o) = value, case .string(let s)? = o["schema"] else {
            throw ReportDocument.ReadError.notAReport("no fleet schema")
        }
        guard s == currentSchema else {
            throw ReportDocument.ReadError.version("fleet schema \(s); this \(Tool.name) \(Tool.version) reads \(currentSchema)")
        }
        do {
            return try JSONCoding.decode(FleetDocument.self, from: value)
        } catch let e as DecodingError {
            throw ReportDocument.ReadError.notAReport(ReportDocument.describe(e))
        }
    }

    public var exitCode: ExitCode { summary.exitCode }
}

/// What became of one host.
public enum FleetHostState: String, Sendable, Codable, CaseIterable {
    /// Its report says ready.
    case ready
    /// Its report has a failure (or, run with --strict, a warning).
    case notReady = "not-ready"
    /// Nothing failed but some check could not decide.
    case undecided
    /// Ansible could not reach it: no report.
    case unreachable
    /// No report file.
    case missing
    /// A file that is not a report this version reads (unparsable, another schema version, refused).
    case unreadable

    /// A host with a report the aggregate could use.
    public var hasReport: Bool { self == .ready || self == .notReady || self == .undecided }
}

/// One host of the fleet.
public struct FleetHost: Sendable, Equatable, Codable {
    /// The inventory name: the report's file name without `.json` (Ansible's `results/<host>.json`).
    public var name: String
    /// The report file as given on the command line (nil for a host named only by --unreachable).
    public var source: String?
    /// sha256 of the report file's bytes.
    public var sha256: String?
    public var state: FleetHostState
    public var reachable: Bool
    public var ready: Bool
    /// The exit code of the host's run (nil without a report).
    public var exitCode: Int?
    public var counts: FleetCounts?
    /// The tool version that wrote the report.
    public var toolVersion: String?
    /// The host's run counted warnings as failures (`check --strict`).
    public var strict: Bool?
    /// What the report says of the host.
    public var hostname: String?
    public var kernelRelease: String?
    public var evidenceSource: String?
    public var generatedAt: String?
    /// Why there is no usable report (missing, unreadable, refused, unreachable).
    public var problem: String?
    /// Every result of the host's report, in its order.
    public var results: [FleetResult]

    enum CodingKeys: String, CodingKey {
        case name, source, sha256, state, reachable, ready, counts, hostname, problem, results, strict
        case exitCode = "exit_code"
        case toolVersion = "tool_version"
        case kernelRelease = "kernel_release"
        case evidenceSource = "evidence_source"
        case generatedAt = "generated_at"
    }

    public init(name: String, source: String?, sha256: String? = nil, state: FleetHostState, problem: String? = nil) {
        self.name = name
        self.source = source
        self.sha256 = sha256
        self.state = state
        reachable = state != .unreachable
        ready = false
        self.problem = problem
        results = []
    }
}

public struct FleetCounts: Sendable, Equatable, Codable {
    /// Results per status; `ignored` and `waived` count the results that did not count against readiness.
    public var pass = 0, warn = 0, fail = 0, skip = 0, error = 0, ignored = 0, waived = 0
    public init() {}
    init(_ s: Summary) {
        pass = s.pass; warn = s.warn; fail = s.fail; skip = s.skip; error = s.error; ignored = s.ignored
        waived = s.waived
    }
}

/// One result of one host, as much as a fleet view needs (the host's own report holds the evidence).
public struct FleetResult: Sendable, Equatable, Codable {
    public var id: String
    public var object: String
    public var status: Status
    public var ignored: Bool
    /// A waiver of the host's run covered this result: like an ignored one, it does not count against
    /// readiness (the host's own report holds the waiver's justification).
    public var waived: Bool
    public var code: String
    public var message: String
    public var category: String
    public var durationMs: Double

    enum CodingKeys: String, CodingKey {
        case id, object, status, ignored, waived, code, message, category
        case durationMs = "duration_ms"
    }

    public init(id: String, object: String, status: Status, ignored: Bool, waived: Bool = false, code: String,
                message: String, category: String, durationMs: Double) {
        self.id = id
        self.object = object
        self.status = status
        self.ignored = ignored
        self.waived = waived
        self.code = code
        self.message = message
        self.category = category
        self.durationMs = durationMs
    }

    init(_ r: CheckResult) {
        self.init(id: r.id, object: r.object, status: r.status, ignored: r.ignored, waived: r.disposition == .waived,
                  code: r.code, message: r.message, category: r.category, durationMs: r.durationMs)
    }

    /// The result does not count against readiness (`--ignore`, or a waiver).
    public var counted: Bool { !ignored && !waived }
}

/// What a check is, once for the fleet (from the reports, or this version's catalog).
public struct FleetCheck: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var category: String
    public var severity: Severity
    public var remediation: String
}

/// A host's verdict on one check: the worst status over its objects (ignored results apart).
public enum FleetCell: String, Sendable, Codable, CaseIterable {
    case pass, warn, fail, skip, error
    /// Every result of the check on the host was ignored (`--ignore`).
    case ignored
    /// The host has no result for the check (not run there: `--only`, or another version's catalog).
    case absent
    /// The host has no usable report (unreachable, missing, unreadable).
    case unknown

    /// The matrix mark.
    public var mark: String {
        switch self {
        case .pass: return "✓"
        case .fail: return "✗"
        case .warn: return "!"
        case .skip: return "–"
        case .error: return "E"
        case .ignored: return "W"
        case .absent: return "·"
        case .unknown: return "?"
        }
    }

    init(_ s: Status) {
        switch s {
        case .pass: self = .pass
        case .warn: self = .warn
        case .fail: self = .fail
        case .skip: self = .skip
        case .error: self = .error
        }
    }
}

public struct FleetCheckCounts: Sendable, Equatable, Codable {
    public var id: String
    /// Hosts (not results) per cell.
    public var pass = 0, warn = 0, fail = 0, skip = 0, error = 0, ignored = 0
    /// Hosts whose cell is fail, by name.
    public var hostsFailing: [String] = []
    public var hostsWarning: [String] = []

    enum CodingKeys: String, CodingKey {
        case id, pass, warn, fail, skip, error, ignored
        case hostsFailing = "hosts_failing"
        case hostsWarning = "hosts_warning"
    }

    public init(id: String) { self.id = id }
}

public struct FleetSummary: Sendable, Equatable, Codable {
    public var hosts = 0, ready = 0, notReady = 0, undecided = 0, unreachable = 0, missing = 0, unreadable = 0
    /// The tool versions that wrote the reports → how many reports.
    public var toolVersions: [String: Int] = [:]
    /// 0 every host ready; 1 a host not ready; 2 a host unreachable, missing, unreadable or undecided.
    public var exitCode: ExitCode = .ready

    enum CodingKeys: String, CodingKey {
        case hosts, ready, undecided, unreachable, missing, unreadable
        case notReady = "not_ready"
        case toolVersions = "tool_versions"
        case exitCode = "exit_code"
    }

    public init() {}
}
