#if canImport(Glibc)
import Glibc
#endif

/// What the aggregate takes from one host's report: the verdict, the counts, who wrote it, and each
/// result's fleet-sized part. Made from a decoded `ReportDocument`, or read straight from the report's
/// bytes by `FleetReport.read` (the lean reader), which passes over the large parts the fleet does not show
/// (`files_read`, `nics`, each result's `evidence` and `params`) without building them.
public struct FleetReport: Sendable, Equatable {
    public var toolName: String
    public var toolVersion: String
    public var generatedAt: String
    public var strict: Bool
    public var hostname: String
    public var kernelRelease: String
    public var evidenceSource: EvidenceSource
    public var summary: Summary
    public var results: [Result]

    /// One result: what the fleet document keeps of it, and what a check is (for the fleet's check list).
    public struct Result: Sendable, Equatable {
        public var fleet: FleetResult
        public var title: String
        public var severity: Severity
        public var remediation: String
    }

    public init(_ r: ReportDocument) {
        toolName = r.tool.name
        toolVersion = r.tool.version
        generatedAt = r.generatedAt
        strict = r.strict
        hostname = r.host.hostname
        kernelRelease = r.host.kernelRelease
        evidenceSource = r.host.evidenceSource
        summary = r.summary
        results = r.results.map {
            Result(fleet: FleetResult($0), title: $0.title, severity: $0.severity, remediation: $0.remediation)
        }
    }

    init() {
        toolName = ""; toolVersion = ""; generatedAt = ""; strict = false
        hostname = ""; kernelRelease = ""; evidenceSource = .live
        summary = Summary([], strict: false)
        results = []
    }

    /// The lean reader gave up: the caller decodes the whole document (`ReportDocument.read`), which either
    /// reads it or says exactly what is wrong.
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    /// The fleet's part of a JSON report, read from its bytes.
    ///
    /// It accepts a subset of what `ReportDocument.read` accepts, and reads the same values from it: the
    /// current schema version; every member the report document requires, each once, with the types it
    /// requires for the values taken; keys without escapes. The parts passed over are checked as JSON (the
    /// same grammar and nesting bound as the full parser: `JSONScanner.skipValue`) and for their kind
    /// (object or array), not field by field. Anything else throws — malformed, truncated, another
    /// schema version, a form it does not take — and the caller falls back to the full decoder.
    public static func read(_ bytes: UnsafeRawBufferPointer) throws -> FleetReport {
        var s = JSONScanner(bytes)
        var out = FleetReport()
        var seen: UInt32 = 0
        guard try s.beginObject() else { throw Unsupported(description: "an empty object") }
        repeat {
            guard let k = try s.key() else { throw Unsupported(description: "a key with an escape") }
            guard let key = topKeys.find(k) else {
                try s.skipValue(depth: 1)
                continue
            }
            guard seen & 1 << key.rawValue == 0 else { throw Unsupported(description: "\(key) twice") }
            seen |= 1 << key.rawValue
            switch key {
            case .schemaVersion:
                guard case .int(let v) = try s.number(), v == Int64(ReportDocument.currentSchemaVersion) else {
                    throw Unsupported(description: "another schema version")
                }
            case .tool:
                var fields: UInt32 = 0
                guard try s.beginObject() else { throw Unsupported(description: "tool") }
                repeat {
                    guard let k = try s.key() else { throw Unsupported(description: "a key with an escape") }
                    guard let f = toolKeys.find(k) else { try s.skipValue(depth: 2); continue }
                    guard fields & 1 << f == 0 else { throw Unsupported(description: "a tool member twice") }
                    fields |= 1 << f
                    if f == 0 { out.toolName = try s.string() } else { out.toolVersion = try s.string() }
                } while try s.nextMember()
                guard fields == 0b11 else { throw Unsupported(description: "tool") }
            case .generatedAt:
                out.generatedAt = try s.string()
            case .strict:
                out.strict = try s.bool()
            case .host:
                try readHost(&s, into: &out)
            case .summary:
                out.summary = try readSummary(&s)
            case .results:
                if try s.beginArray() {
                    repeat { out.results.append(try readResult(&s)) } while try s.nextElement()
                }
            case .selection, .timings:
                guard s.peek() == UInt8(ascii: "{") else { throw Unsupported(description: "\(key)") }
                try s.skipValue(depth: 1)
            case .nics, .filesRead:
                guard s.peek() == UInt8(ascii: "[") else { throw Unsupported(description: "\(key)") }
                try s.skipValue(depth: 1)
            case .waivers:
                guard s.peek() == UInt8(ascii: "{") || s.peek() == UInt8(ascii: "n") else {
                    throw Unsupported(description: "waivers")
                }
                try s.skipValue(depth: 1)
            }
        } while try s.nextMember()
        try s.end()
        let required: UInt32 = (1 << TopKey.allCases.count - 1) & ~(1 << TopKey.waivers.rawValue)
        guard seen & required == required else { throw Unsupported(description: "a member missing") }
        return out
    }

    /// The report document's members (`waivers` is the one it may leave out).
    enum TopKey: Int, CaseIterable {
        case schemaVersion, tool, generatedAt, strict, host, selection, summary, timings, nics, results, filesRead, waivers
    }

    static let topKeys = KeyTable(["schema_version", "tool", "generated_at", "strict", "host", "selection", "summary",
                                   "timings", "nics", "results", "files_read", "waivers"]) { TopKey(rawValue: $0)! }

    static let toolKeys = KeyTable(["name", "version"]) { $0 }

    static let hostKeys = KeyTable(["hostname", "kernel_release", "evidence_source", "cmdline", "cpu_vendor", "root"]) { $0 }

    static func readHost(_ s: inout JSONScanner, into out: inout FleetReport) throws {
        var fields: UInt32 = 0
        guard try s.beginObject() else { throw Unsupported(description: "host") }
        repeat {
            guard let k = try s.key() else { throw Unsupported(description: "a key with an escape") }
            guard let f = hostKeys.find(k) else { try s.skipValue(depth: 2); continue }
            guard fields & 1 << f == 0 else { throw Unsupported(description: "a host member twice") }
            fields |= 1 << f
            let v = try s.string()
            switch f {
            case 0: out.hostname = v
            case 1: out.kernelRelease = v
            case 2:
                guard let e = EvidenceSource(rawValue: v) else { throw Unsupported(description: "evidence_source") }
                out.evidenceSource = e
            default: break   // a string, as the report document wants; not shown by the fleet
            }
        } while try s.nextMember()
        guard fields == 0b11_1111 else { throw Unsupported(description: "host") }
    }

    static let summaryKeys = KeyTable(["pass", "warn", "fail", "skip", "error", "ignored", "waived", "ready", "exit_code"]) { $0 }

    static func readSummary(_ s: inout JSONScanner) throws -> Summary {
        var fields: UInt32 = 0
        var sum = Summary([], strict: false)
        guard try s.beginObject() else { throw Unsupported(description: "summary") }
        repeat {
            guard let k = try s.key() else { throw Unsupported(description: "a key with an escape") }
            guard let f = summaryKeys.find(k) else { try s.skipValue(depth: 2); continue }
            guard fields & 1 << f == 0 else { throw Unsupported(description: "a summary member twice") }
            fields |= 1 << f
            switch f {
            case 0: sum.pass = try int(&s)
            case 1: sum.warn = try int(&s)
            case 2: sum.fail = try int(&s)
            case 3: sum.skip = try int(&s)
            case 4: sum.error = try int(&s)
            case 5: sum.ignored = try int(&s)
            case 6: sum.waived = try s.null() ? 0 : try int(&s)
            case 7: sum.ready = try s.bool()
            default:
                guard let code = Int32(exactly: try int(&s)), let e = ExitCode(rawValue: code) else {
                    throw Unsupported(description: "exit_code")
                }
                sum.exitCode = e
            }
        } while try s.nextMember()
        guard fields | 1 << 6 == 0b1_1111_1111 else { throw Unsupported(description: "summary") }   // waived may be left out
        return sum
    }

    /// An integer written as one (what the report writer writes).
    static func int(_ s: inout JSONScanner) throws -> Int {
        guard case .int(let v) = try s.number(), let i = Int(exactly: v) else { throw Unsupported(description: "an integer") }
        return i
    }

    static let resultKeys = KeyTable(["id", "object", "status", "code", "message", "category", "duration_ms", "ignored",
                                      "title", "severity", "remediation", "params", "evidence", "fix", "waiver"]) { $0 }

    static func readResult(_ s: inout JSONScanner) throws -> Result {
        var r = Result(fleet: FleetResult(id: "", object: "", status: .pass, ignored: false, code: "", message: "",
                                          category: "", durationMs: 0),
                       title: "", severity: .error, remediation: "")
        var fields: UInt32 = 0
        guard try s.beginObject() else { throw Unsupported(description: "a result") }
        repeat {
            guard let k = try s.key() else { throw Unsupported(description: "a key with an escape") }
            guard let f = resultKeys.find(k) else { try s.skipValue(depth: 3); continue }
            guard fields & 1 << f == 0 else { throw Unsupported(description: "a result member twice") }
            fields |= 1 << f
            switch f {
            case 0: r.fleet.id = try s.string()
            case 1: r.fleet.object = try s.string()
            case 2:
                guard let v = Status(rawValue: try s.string()) else { throw Unsupported(description: "status") }
                r.fleet.status = v
            case 3: r.fleet.code = try s.string()
            case 4: r.fleet.message = try s.string()
            case 5: r.fleet.category = try s.string()
            case 6:
                switch try s.number() {
                case .int(let v): r.fleet.durationMs = Double(v)
                case .uint(let v): r.fleet.durationMs = Double(v)
                case .double(let v): r.fleet.durationMs = v
                default: throw Unsupported(description: "duration_ms")
                }
            case 7: r.fleet.ignored = try s.bool()
            case 8: r.title = try s.string()
            case 9:
                guard let v = Severity(rawValue: try s.string()) else { throw Unsupported(description: "severity") }
                r.severity = v
            case 10: r.remediation = try s.string()
            case 11:
                guard s.peek() == UInt8(ascii: "{") else { throw Unsupported(description: "params") }
                try s.skipValue(depth: 3)
            case 12:
                guard s.peek() == UInt8(ascii: "[") else { throw Unsupported(description: "evidence") }
                try s.skipValue(depth: 3)
            default:   // fix, waiver: optional objects
                guard s.peek() == UInt8(ascii: "{") || s.peek() == UInt8(ascii: "n") else {
                    throw Unsupported(description: "fix or waiver")
                }
                if f == 14 { r.fleet.waived = s.peek() == UInt8(ascii: "{") }
                try s.skipValue(depth: 3)
            }
        } while try s.nextMember()
        guard fields | (1 << 13 | 1 << 14) == (1 << 15) - 1 else { throw Unsupported(description: "a result's members") }
        return r
    }
}

/// Keys of one object, found by their bytes (length first, then the bytes): no String made per key.
struct KeyTable<Value>: @unchecked Sendable {
    private var byLength: [[([UInt8], Value)]]

    init(_ keys: [String], _ value: (Int) -> Value) {
        byLength = Array(repeating: [], count: (keys.map(\.utf8.count).max() ?? 0) + 1)
        for (i, k) in keys.enumerated() { byLength[k.utf8.count].append((Array(k.utf8), value(i))) }
    }

    func find(_ raw: UnsafeRawBufferPointer) -> Value? {
        guard raw.count < byLength.count else { return nil }
        for (bytes, v) in byLength[raw.count] where bytes.withUnsafeBytes({ memcmp($0.baseAddress!, raw.baseAddress!, raw.count) }) == 0 {
            return v
        }
        return nil
    }
}
