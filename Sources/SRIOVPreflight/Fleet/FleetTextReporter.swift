/// The operator's fleet view: a check × host matrix (hosts as rows past `transposeAbove` hosts), the checks
/// failing on most hosts with the hosts' names, one line per host that is not ready (its first failing check
/// and the remediation), one line per host without a usable report, and a summary line.
public struct FleetTextReporter: FleetReporter {
    /// Up to this many hosts, hosts are columns; beyond, hosts are rows and checks columns.
    public var transposeAbove = 12
    /// Host names listed per check in "top failing checks" before "… and N more".
    public var namesPerCheck = 8
    /// Checks listed in "top failing checks".
    public var topChecks = 10

    public init() {}

    static func line(_ s: String) -> String { TextReporter.oneLine(s) }

    public func render(_ fleet: FleetDocument) -> String {
        var out = ""
        let s = fleet.summary
        out += "\(Tool.name) \(fleet.toolVersion) — fleet of \(s.hosts) host\(s.hosts == 1 ? "" : "s"): \(Self.counts(s))\n"
        let versions = s.toolVersions.keys.sorted()
        if versions.count > 1 || (versions.count == 1 && versions[0] != fleet.toolVersion) {
            out += "reports written by \(Tool.name) " + versions.map { "\($0) (\(s.toolVersions[$0]!))" }.joined(separator: ", ") + "\n"
        }
        out += "\n"
        if fleet.hosts.count <= transposeAbove { out += checkRows(fleet) } else { out += hostRows(fleet) }
        out += "marks: ✓ pass  ✗ fail  ! warn  – skip  E error  W ignored  · not run  ? no report\n"

        let failing = fleet.byCheck.enumerated().filter { $0.element.fail > 0 }
            .sorted { ($0.element.fail, -$0.offset) > ($1.element.fail, -$1.offset) }.map(\.element)
        if !failing.isEmpty {
            out += "\nTop failing checks\n"
            let w = failing.prefix(topChecks).map { $0.id.count }.max() ?? 0
            let withReport = fleet.hosts.filter { $0.state.hasReport }.count
            for c in failing.prefix(topChecks) {
                out += "  \(c.id.rightPadded(w))  \(c.fail) of \(withReport): \(names(c.hostsFailing))\n"
            }
            if failing.count > topChecks { out += "  … and \(failing.count - topChecks) more failing checks\n" }
        }

        let remediation = Dictionary(fleet.checks.map { ($0.id, $0.remediation) }, uniquingKeysWith: { a, _ in a })
        let order = Dictionary(fleet.checks.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nameWidth = min(32, fleet.hosts.map { $0.name.count }.max() ?? 0)
        let notReady = fleet.hosts.filter { $0.state == .notReady || $0.state == .undecided }
        if !notReady.isEmpty {
            out += "\nNot ready\n"
            for h in notReady {
                out += "  \(Self.line(h.name).rightPadded(nameWidth))  "
                guard let r = Self.firstProblem(h, order: order) else { out += "\(h.state.verdict)\n"; continue }
                let what = r.status == .error ? "could not decide " : ""
                out += "\(what)\(r.id)\(r.object == "host" ? "" : "[\(r.object)]"): \(Self.line(r.message))"
                if r.status != .error, let fix = remediation[r.id], !fix.isEmpty { out += " — fix: \(Self.line(fix))" }
                out += "\n"
            }
        }
        let absent = fleet.hosts.filter { !$0.state.hasReport }
        if !absent.isEmpty {
            out += "\nNo report\n"
            for h in absent {
                var text = "\(h.state.rawValue)"
                if let src = h.source { text += " (\(Self.line(src)))" }
                if let p = h.problem { text += ": \(Self.line(p))" }
                out += "  \(Self.line(h.name).rightPadded(nameWidth))  \(text)\n"
            }
        }
        out += "\n\(Self.verdict(fleet)) (exit \(s.exitCode.rawValue))\n"
        return out
    }

    static func verdict(_ fleet: FleetDocument) -> String {
        switch fleet.summary.exitCode {
        case .ready: return "FLEET READY: every host is ready"
        case .failed: return "FLEET NOT READY: \(fleet.summary.notReady) host\(fleet.summary.notReady == 1 ? "" : "s") not ready"
        default: return "FLEET UNDECIDED: \(fleet.summary.hosts - fleet.summary.ready - fleet.summary.notReady) host(s) without a verdict"
        }
    }

    static func counts(_ s: FleetSummary) -> String {
        var parts = ["\(s.ready) ready", "\(s.notReady) not ready"]
        for (n, w) in [(s.undecided, "undecided"), (s.unreachable, "unreachable"), (s.missing, "missing"), (s.unreadable, "unreadable")] where n > 0 {
            parts.append("\(n) \(w)")
        }
        return parts.joined(separator: ", ")
    }

    func names(_ list: [String]) -> String {
        let shown = list.prefix(namesPerCheck).map(Self.line).joined(separator: ", ")
        return list.count > namesPerCheck ? shown + ", … and \(list.count - namesPerCheck) more" : shown
    }

    /// The result that keeps a host from being ready: its first failure in catalog order (a warning when its
    /// run was strict and nothing failed), else its first error.
    static func firstProblem(_ h: FleetHost, order: [String: Int]) -> FleetResult? {
        let live = h.results.filter { !$0.ignored }
        func first(_ st: Status) -> FleetResult? {
            live.enumerated().filter { $0.element.status == st }
                .min { (order[$0.element.id] ?? Int.max, $0.offset) < (order[$1.element.id] ?? Int.max, $1.offset) }?.element
        }
        return first(.fail) ?? (h.strict == true ? first(.warn) : nil) ?? first(.error)
    }

    /// Hosts as columns (numbered, with a legend), checks as rows.
    func checkRows(_ fleet: FleetDocument) -> String {
        var out = "Hosts\n"
        let n = fleet.hosts.count
        let w = max(1, String(n).count)
        let nameWidth = min(32, fleet.hosts.map { $0.name.count }.max() ?? 0)
        for (i, h) in fleet.hosts.enumerated() {
            var line = "  \(String(i + 1).leftPadded(w))  \(Self.line(h.name).rightPadded(nameWidth))  \(h.state.verdict)"
            if let c = h.counts, h.state != .ready {
                var parts: [String] = []
                if c.fail > 0 { parts.append("\(c.fail) fail") }
                if c.warn > 0 { parts.append("\(c.warn) warn") }
                if c.error > 0 { parts.append("\(c.error) error") }
                if !parts.isEmpty { line += " (\(parts.joined(separator: ", ")))" }
            }
            out += line + "\n"
        }
        out += "\n"
        let idWidth = max(5, fleet.checks.map { $0.id.count }.max() ?? 0)
        out += "  " + "check".rightPadded(idWidth) + " " + (1...max(n, 1)).prefix(n).map { " " + String($0).leftPadded(w) }.joined() + "\n"
        for c in fleet.checks {
            let row = fleet.matrix[c.id] ?? [:]
            out += "  " + c.id.rightPadded(idWidth) + " "
            out += fleet.hosts.map { " " + (row[$0.name] ?? .absent).mark.leftPadded(w) }.joined() + "\n"
        }
        return out
    }

    /// Hosts as rows, checks as numbered columns (legend first): for fleets past `transposeAbove` hosts.
    func hostRows(_ fleet: FleetDocument) -> String {
        var out = "Checks\n"
        let k = fleet.checks.count
        let w = max(1, String(k).count)
        for (i, c) in fleet.checks.enumerated() { out += "  \(String(i + 1).leftPadded(w))  \(c.id)\n" }
        out += "\n"
        let nameWidth = max(4, min(32, fleet.hosts.map { $0.name.count }.max() ?? 0))
        out += "  " + "host".rightPadded(nameWidth) + " " + (0..<k).map { " " + String($0 + 1).leftPadded(w) }.joined() + "  verdict\n"
        let columns = fleet.checks.map { fleet.matrix[$0.id] ?? [:] }
        for h in fleet.hosts {
            var line = "  " + Self.line(h.name).rightPadded(nameWidth) + " "
            for col in columns { line += " " + (col[h.name] ?? .absent).mark.leftPadded(w) }
            out += line + "  " + h.state.verdict + "\n"
        }
        return out
    }
}
