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

    /// The language of the frame and of the messages (ids, host names and marks as they are).
    public var translator: Translator

    public init(translator: Translator = L10n.current) {
        self.translator = translator
    }

    var ui: UIStrings { UIStrings.ui }

    static func line(_ s: String) -> String { TextReporter.oneLine(s) }

    public func render(_ fleet: FleetDocument) -> String {
        let t = translator
        var out = ""
        let s = fleet.summary
        out += t.plural(ui.fleetHeader, s.hosts, ["tool": "\(Tool.name) \(fleet.toolVersion)", "counts": counts(s)]) + "\n"
        let versions = s.toolVersions.keys.sorted()
        if versions.count > 1 || (versions.count == 1 && versions[0] != fleet.toolVersion) {
            let list = versions.map { "\($0) (\(s.toolVersions[$0]!))" }.joined(separator: ", ")
            out += t(ui.fleetVersions, ["tool": Tool.name, "versions": list]) + "\n"
        }
        out += "\n"
        if fleet.hosts.count <= transposeAbove { out += checkRows(fleet) } else { out += hostRows(fleet) }
        out += t(ui.fleetMarks) + "\n"

        let failing = fleet.byCheck.enumerated().filter { $0.element.fail > 0 }
            .sorted { ($0.element.fail, -$0.offset) > ($1.element.fail, -$1.offset) }.map(\.element)
        if !failing.isEmpty {
            out += "\n" + t(ui.fleetTopFailing) + "\n"
            let w = failing.prefix(topChecks).map { $0.id.count }.max() ?? 0
            let withReport = fleet.hosts.filter { $0.state.hasReport }.count
            for c in failing.prefix(topChecks) {
                out += "  \(c.id.rightPadded(w))  " + t(ui.fleetFailingOf, ["fail": String(c.fail), "total": String(withReport), "hosts": names(c.hostsFailing)]) + "\n"
            }
            if failing.count > topChecks { out += "  " + t(ui.fleetMoreFailing, ["count": String(failing.count - topChecks)]) + "\n" }
        }

        let remediation = Dictionary(fleet.checks.map { ($0.id, $0.remediation) }, uniquingKeysWith: { a, _ in a })
        let order = Dictionary(fleet.checks.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nameWidth = min(32, fleet.hosts.map { $0.name.count }.max() ?? 0)
        let notReady = fleet.hosts.filter { $0.state == .notReady || $0.state == .undecided }
        if !notReady.isEmpty {
            out += "\n" + t(ui.fleetNotReady) + "\n"
            for h in notReady {
                out += "  \(Self.line(h.name).rightPadded(nameWidth))  "
                guard let r = Self.firstProblem(h, order: order) else { out += "\(verdict(h.state))\n"; continue }
                var p = ["check": r.id + (r.object == "host" ? "" : "[\(r.object)]"), "message": Self.line(t.message(id: r.id, english: r.message))]
                if r.status == .error {
                    out += t(ui.fleetCouldNotDecide, p)
                } else if let fix = remediation[r.id], !fix.isEmpty {
                    p["remediation"] = Self.line(t.text(fix))
                    out += t(ui.fleetProblemFix, p)
                } else {
                    out += t(ui.fleetProblem, p)
                }
                out += "\n"
            }
        }
        let absent = fleet.hosts.filter { !$0.state.hasReport }
        if !absent.isEmpty {
            out += "\n" + t(ui.fleetNoReport) + "\n"
            for h in absent {
                var p = ["state": t.text(h.state.rawValue, context: "host state")]
                p["source"] = h.source.map(Self.line)
                p["problem"] = h.problem.map { Self.line(t.error($0)) }
                let m = h.source == nil ? (h.problem == nil ? ui.fleetAbsent : ui.fleetAbsentProblem)
                    : (h.problem == nil ? ui.fleetAbsentSource : ui.fleetAbsentSourceProblem)
                out += "  \(Self.line(h.name).rightPadded(nameWidth))  \(t(m, p))\n"
            }
        }
        out += "\n" + t(ui.fleetVerdictLine, ["verdict": verdict(fleet), "exit": String(s.exitCode.rawValue)]) + "\n"
        return out
    }

    func verdict(_ fleet: FleetDocument) -> String {
        let s = fleet.summary
        switch s.exitCode {
        case .ready: return translator(ui.fleetReady)
        case .failed: return translator.plural(ui.fleetNotReadyVerdict, s.notReady)
        default: return translator(ui.fleetUndecided, ["count": String(s.hosts - s.ready - s.notReady)])
        }
    }

    /// A host's state word in the matrix (READY, NOT READY, …).
    func verdict(_ state: FleetHostState) -> String { translator.text(state.verdict, context: "verdict") }

    func counts(_ s: FleetSummary) -> String {
        var parts = [translator(ui.fleetCountReady, ["count": String(s.ready)]), translator(ui.fleetCountNotReady, ["count": String(s.notReady)])]
        for (n, m) in [(s.undecided, ui.fleetCountUndecided), (s.unreachable, ui.fleetCountUnreachable),
                       (s.missing, ui.fleetCountMissing), (s.unreadable, ui.fleetCountUnreadable)] where n > 0 {
            parts.append(translator(m, ["count": String(n)]))
        }
        return parts.joined(separator: translator(ui.listComma))
    }

    func names(_ list: [String]) -> String {
        let shown = list.prefix(namesPerCheck).map(Self.line).joined(separator: translator(ui.listComma))
        return list.count > namesPerCheck ? translator(ui.fleetAndMore, ["names": shown, "count": String(list.count - namesPerCheck)]) : shown
    }

    /// The result that keeps a host from being ready: its first failure in catalog order (a warning when its
    /// run was strict and nothing failed), else its first error.
    static func firstProblem(_ h: FleetHost, order: [String: Int]) -> FleetResult? {
        let live = h.results.filter(\.counted)
        func first(_ st: Status) -> FleetResult? {
            live.enumerated().filter { $0.element.status == st }
                .min { (order[$0.element.id] ?? Int.max, $0.offset) < (order[$1.element.id] ?? Int.max, $1.offset) }?.element
        }
        return first(.fail) ?? (h.strict == true ? first(.warn) : nil) ?? first(.error)
    }

    /// Hosts as columns (numbered, with a legend), checks as rows.
    func checkRows(_ fleet: FleetDocument) -> String {
        var out = translator(ui.fleetHosts) + "\n"
        let n = fleet.hosts.count
        let w = max(1, String(n).count)
        let nameWidth = min(32, fleet.hosts.map { $0.name.count }.max() ?? 0)
        for (i, h) in fleet.hosts.enumerated() {
            var line = "  \(String(i + 1).leftPadded(w))  \(Self.line(h.name).rightPadded(nameWidth))  \(verdict(h.state))"
            if let c = h.counts, h.state != .ready {
                var parts: [String] = []
                if c.fail > 0 { parts.append(translator(ui.fleetHostFail, ["count": String(c.fail)])) }
                if c.warn > 0 { parts.append(translator(ui.fleetHostWarn, ["count": String(c.warn)])) }
                if c.error > 0 { parts.append(translator(ui.fleetHostError, ["count": String(c.error)])) }
                if !parts.isEmpty { line += " " + translator(ui.fleetHostCounts, ["counts": parts.joined(separator: translator(ui.listComma))]) }
            }
            out += line + "\n"
        }
        out += "\n"
        let idWidth = max(5, fleet.checks.map { $0.id.count }.max() ?? 0)
        out += "  " + translator(ui.fleetColCheck).displayPadded(idWidth) + " " + (1...max(n, 1)).prefix(n).map { " " + String($0).leftPadded(w) }.joined() + "\n"
        for c in fleet.checks {
            let row = fleet.matrix[c.id] ?? [:]
            out += "  " + c.id.rightPadded(idWidth) + " "
            out += fleet.hosts.map { " " + (row[$0.name] ?? .absent).mark.leftPadded(w) }.joined() + "\n"
        }
        return out
    }

    /// Hosts as rows, checks as numbered columns (legend first): for fleets past `transposeAbove` hosts.
    func hostRows(_ fleet: FleetDocument) -> String {
        var out = translator(ui.fleetChecks) + "\n"
        let k = fleet.checks.count
        let w = max(1, String(k).count)
        for (i, c) in fleet.checks.enumerated() { out += "  \(String(i + 1).leftPadded(w))  \(c.id)\n" }
        out += "\n"
        let nameWidth = max(4, min(32, fleet.hosts.map { $0.name.count }.max() ?? 0))
        out += "  " + translator(ui.fleetColHost).displayPadded(nameWidth) + " " + (0..<k).map { " " + String($0 + 1).leftPadded(w) }.joined()
            + "  " + translator(ui.fleetColVerdict) + "\n"
        let columns = fleet.checks.map { fleet.matrix[$0.id] ?? [:] }
        for h in fleet.hosts {
            var line = "  " + Self.line(h.name).rightPadded(nameWidth) + " "
            for col in columns { line += " " + (col[h.name] ?? .absent).mark.leftPadded(w) }
            out += line + "  " + verdict(h.state) + "\n"
        }
        return out
    }
}
