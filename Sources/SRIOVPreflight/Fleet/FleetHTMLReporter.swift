/// The fleet's answer as one self-contained HTML page, in the single-host report's visual language: a banner
/// (every host ready, some not, some without a verdict) with the counts, the host × check matrix (hosts as
/// rows, checks as columns grouped by category, one coloured mark per cell), the checks failing on most hosts,
/// what keeps each host from being ready (its first failing check and the remediation), the hosts without a
/// usable report and why, and the hosts' facts. Inline CSS, no script, no external reference; every value
/// escaped; people-facing words through the catalog as in `HTMLReporter`; the
/// shell, style and escaping are `HTMLPage`'s.
public struct FleetHTMLReporter: FleetReporter {
    public var page: HTMLPage
    /// Checks listed in "top failing checks".
    public var topChecks = 10

    public init(translator: Translator = L10n.current) {
        self.page = HTMLPage(translator: translator)
    }

    /// The BCP 47 tag of the page's language (`en`, `zh-CN`).
    public var language: String { page.language }

    /// The fleet page's own words (gettext context `html`, as the single-host page's).
    public struct Words: Sendable {
        public static let ui = Words()
        public let pageTitle = "Fleet of {hosts} hosts: {verdict} — SR-IOV readiness"
        public let subtitle = "SR-IOV readiness of a fleet"
        public let fleetReady = "FLEET READY"
        public let fleetNotReady = "FLEET NOT READY"
        public let fleetUndecided = "FLEET UNDECIDED"
        public let readyNote = "Every host is ready."
        public let notReadyNote = "Some hosts are not ready: the matrix shows which checks fail where."
        public let undecidedNote = "No host fails, but some have no verdict (unreachable, no report, unreadable report, or checks that could not run)."
        public let noVerdictNote = "Others have no verdict (unreachable, no report, unreadable report, or checks that could not run)."
        public let hostsCount = "{count} hosts"
        public let ready = "ready"
        public let notReady = "not ready"
        public let undecided = "undecided"
        public let unreachable = "unreachable"
        public let missing = "missing"
        public let unreadable = "unreadable"
        public let reportsBy = "Reports written by {versions}"
        public let matrix = "Host × check matrix"
        public let host = "Host"
        public let verdict = "Verdict"
        public let markPass = "pass"
        public let markFail = "fail"
        public let markWarn = "warn"
        public let markSkip = "skip"
        public let markError = "error"
        public let markIgnored = "ignored"
        public let markAbsent = "not run"
        public let markUnknown = "no report"
        public let topFailing = "Top failing checks"
        public let check = "Check"
        public let failingOn = "Fails on"
        public let failingCount = "{count} of {hosts}"
        public let moreFailing = "… and {count} more failing checks"
        public let whyNotReady = "Why hosts are not ready"
        public let couldNotDecide = "could not decide: {message}"
        public let remediation = "Remediation"
        public let noReport = "Hosts without a report"
        public let state = "State"
        public let source = "Report file"
        public let problem = "Why"
        public let hosts = "Hosts"
        public let counts = "Fail / warn / error"
        public let kernel = "Kernel"
        public let toolVersion = "Tool"
        public let generated = "Generated"
        public let footer = "{tool} {version} · fleet schema {schema} · generated {time}. `sriov-preflight aggregate results/*.json --format html` makes this page; each host's own report has the evidence."
        public let stateReady = "READY"
        public let stateNotReady = "NOT READY"
        public let stateUndecided = "UNDECIDED"
        public let stateUnreachable = "UNREACHABLE"
        public let stateMissing = "MISSING"
        public let stateUnreadable = "UNREADABLE"
    }

    /// The host page, for its category titles.
    var hostPage: HTMLReporter { HTMLReporter(translator: page.translator) }

    func t(_ msgid: String, _ params: [String: String] = [:]) -> String { page.t(msgid, params) }

    /// A host's result message in the page's language.
    func message(_ r: FleetResult) -> String { page.message(id: r.id, code: r.code, english: r.message) }

    func stateWord(_ s: FleetHostState) -> String {
        switch s {
        case .ready: return t(W.stateReady)
        case .notReady: return t(W.stateNotReady)
        case .undecided: return t(W.stateUndecided)
        case .unreachable: return t(W.stateUnreachable)
        case .missing: return t(W.stateMissing)
        case .unreadable: return t(W.stateUnreadable)
        }
    }

    /// The badge colour of a host's state (the single-host report's status colours).
    static func stateClass(_ s: FleetHostState) -> String {
        switch s {
        case .ready: return "pass"
        case .notReady: return "fail"
        case .undecided: return "error"
        case .unreachable, .missing, .unreadable: return "skip"
        }
    }

    /// A cell's word (the legend's), translated, not escaped.
    func cellWord(_ c: FleetCell) -> String {
        switch c {
        case .pass: return page.word(W.markPass)
        case .fail: return page.word(W.markFail)
        case .warn: return page.word(W.markWarn)
        case .skip: return page.word(W.markSkip)
        case .error: return page.word(W.markError)
        case .ignored: return page.word(W.markIgnored)
        case .absent: return page.word(W.markAbsent)
        case .unknown: return page.word(W.markUnknown)
        }
    }

    public func render(_ fleet: FleetDocument) -> String {
        let s = fleet.summary
        let verdictClass: String, verdict: String, note: String
        switch s.exitCode {
        case .ready: (verdictClass, verdict, note) = ("ready", W.fleetReady, W.readyNote)
        case .failed: (verdictClass, verdict, note) = ("not-ready", W.fleetNotReady, W.notReadyNote)
        case .undecided, .usage: (verdictClass, verdict, note) = ("undecided", W.fleetUndecided, W.undecidedNote)
        }
        var notes = [t(note)]
        // Hosts without a verdict outweigh failing ones in the exit code; the note names both.
        if s.exitCode == .undecided && s.notReady > 0 { notes = [t(W.notReadyNote), t(W.noVerdictNote)] }
        let versions = s.toolVersions.keys.sorted().map { "\($0) (\(s.toolVersions[$0] ?? 0))" }.joined(separator: ", ")
        var meta = "\(t(W.generated)) \(HTML.text(fleet.generatedAt))"
        if !versions.isEmpty { meta += " · \(t(W.reportsBy, ["versions": "\(Tool.name) \(versions)"]))" }
        let banner = HTMLPage.Banner(
            verdictClass: verdictClass, tool: "\(Tool.name) \(fleet.toolVersion)", subtitle: W.subtitle, verdict: verdict,
            headline: t(W.hostsCount, ["count": String(s.hosts)]), notes: notes, warnings: [],
            counts: [("pass", W.ready, s.ready, true), ("fail", W.notReady, s.notReady, true),
                     ("error", W.undecided, s.undecided, false), ("skip", W.unreachable, s.unreachable, false),
                     ("skip", W.missing, s.missing, false), ("skip", W.unreadable, s.unreadable, false)],
            exitCode: s.exitCode.rawValue, meta: meta)
        let footer = MessageTemplate.render(page.word(W.footer), ["tool": Tool.name, "version": fleet.toolVersion,
                                                         "schema": fleet.schema, "time": fleet.generatedAt])
        return page.document(
            title: t(W.pageTitle, ["hosts": String(s.hosts), "verdict": page.word(verdict)]),
            generator: "\(Tool.name) \(fleet.toolVersion)", css: Self.css, banner: banner,
            sections: [matrix(fleet), topFailing(fleet), notReady(fleet), noReport(fleet), hosts(fleet)],
            footer: footer)
    }

    /// Hosts as rows, checks as columns grouped by category; each cell a mark coloured by its verdict.
    func matrix(_ fleet: FleetDocument) -> String {
        var out = "<section id=\"matrix\" class=\"card\">\n<h2>\(t(W.matrix))</h2>\n"
        out += "<p class=\"legend\">"
        for c in FleetCell.allCases {
            out += "<span class=\"m \(c.rawValue)\">\(HTML.text(c.mark))</span> \(HTML.text(cellWord(c))) "
        }
        out += "</p>\n<div class=\"scroll\"><table class=\"matrix\">\n<thead>\n<tr><th rowspan=\"2\" class=\"corner\">\(t(W.host))</th>"
        var groups: [(String, Int)] = []
        for c in fleet.checks {
            if let last = groups.last, last.0 == c.category { groups[groups.count - 1].1 += 1 } else { groups.append((c.category, 1)) }
        }
        for (cat, n) in groups {
            // The category's id in the matrix (a column can be narrow), its title on hover.
            out += "<th colspan=\"\(n)\" class=\"cat\" title=\"\(hostPage.categoryTitle(cat))\">\(HTML.text(cat))</th>"
        }
        out += "<th rowspan=\"2\" class=\"corner\">\(t(W.verdict))</th></tr>\n<tr>"
        for c in fleet.checks {
            out += "<th class=\"check\" title=\"\(HTML.text(page.text(c.title)))\"><span>\(HTML.text(c.id))</span></th>"
        }
        out += "</tr>\n</thead>\n<tbody>\n"
        let columns = fleet.checks.map { fleet.matrix[$0.id] ?? [:] }
        for (i, h) in fleet.hosts.enumerated() {
            out += "<tr id=\"h\(i)\"><th class=\"host\"><code>\(HTML.text(h.name))</code></th>"
            for (k, col) in columns.enumerated() {
                let cell = col[h.name] ?? .absent
                let check = fleet.checks[k].id
                var tip = "\(h.name) · \(check): \(cellWord(cell))"
                if let r = h.results.first(where: { $0.id == check && $0.counted && $0.status.rawValue == cell.rawValue }) {
                    tip = "\(h.name) · \(check): \(message(r))"
                }
                out += "<td class=\"m \(cell.rawValue)\" title=\"\(HTML.text(tip))\">\(HTML.text(cell.mark))</td>"
            }
            out += "<td><span class=\"badge \(Self.stateClass(h.state))\">\(stateWord(h.state))</span></td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n</section>\n"
    }

    func hostLink(_ fleet: FleetDocument, _ name: String) -> String {
        guard let i = fleet.hosts.firstIndex(where: { $0.name == name }) else { return "<code>\(HTML.text(name))</code>" }
        return "<a href=\"#h\(i)\"><code>\(HTML.text(name))</code></a>"
    }

    func topFailing(_ fleet: FleetDocument) -> String {
        let failing = fleet.byCheck.enumerated().filter { $0.element.fail > 0 }
            .sorted { ($0.element.fail, -$0.offset) > ($1.element.fail, -$1.offset) }.map(\.element)
        guard !failing.isEmpty else { return "" }
        let titles = Dictionary(fleet.checks.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let withReport = fleet.hosts.filter { $0.state.hasReport }.count
        var out = "<section id=\"top\" class=\"card\">\n<h2>\(t(W.topFailing))</h2>\n"
        out += "<table class=\"top\">\n<thead><tr><th>\(t(W.check))</th><th>\(t(W.failingOn))</th><th>\(t(W.hosts))</th></tr></thead>\n<tbody>\n"
        for c in failing.prefix(topChecks) {
            out += "<tr><td><code>\(HTML.text(c.id))</code><br><span class=\"sub\">\(HTML.text(page.text(titles[c.id] ?? "")))</span></td>"
            out += "<td class=\"num\"><span class=\"bar\"><span style=\"width:\(withReport == 0 ? 0 : c.fail * 100 / withReport)%\"></span></span> \(t(W.failingCount, ["count": String(c.fail), "hosts": String(withReport)]))</td>"
            out += "<td>\(c.hostsFailing.map { hostLink(fleet, $0) }.joined(separator: ", "))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if failing.count > topChecks { out += "<p class=\"none\">\(t(W.moreFailing, ["count": String(failing.count - topChecks)]))</p>\n" }
        return out + "</section>\n"
    }

    func notReady(_ fleet: FleetDocument) -> String {
        let hosts = fleet.hosts.enumerated().filter { $0.element.state == .notReady || $0.element.state == .undecided }
        guard !hosts.isEmpty else { return "" }
        let remediation = Dictionary(fleet.checks.map { ($0.id, $0.remediation) }, uniquingKeysWith: { a, _ in a })
        let order = Dictionary(fleet.checks.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out = "<section id=\"not-ready\" class=\"card\">\n<h2>\(t(W.whyNotReady))</h2>\n"
        for (i, h) in hosts {
            let r = FleetTextReporter.firstProblem(h, order: order)
            let status = r?.status ?? .error
            out += "<details class=\"result \(status.rawValue)\" open>\n<summary><span class=\"badge \(Self.stateClass(h.state))\">\(stateWord(h.state))</span>"
            out += "<a href=\"#h\(i)\"><code class=\"id\">\(HTML.text(h.name))</code></a>"
            if let r {
                out += "<code class=\"obj\">\(HTML.text(r.id))\(r.object == "host" ? "" : " " + HTML.text(r.object))</code>"
                out += "<span class=\"msg\">\(r.status == .error ? t(W.couldNotDecide, ["message": message(r)]) : HTML.text(message(r)))</span>"
            } else {
                out += "<code class=\"obj\"></code><span class=\"msg\"></span>"
            }
            out += "</summary>\n<div class=\"body\">\n"
            if let r, r.status != .error, let fix = remediation[r.id], !fix.isEmpty {
                out += "<div class=\"remediation\"><h4>\(t(W.remediation))</h4><p>\(HTML.inlineCode(page.text(fix)))</p></div>\n"
            }
            if let c = h.counts {
                out += "<p class=\"none\">\(c.fail) \(t(HTMLReporter.Words.ui.countFail)) · \(c.warn) \(t(HTMLReporter.Words.ui.countWarn)) · \(c.error) \(t(HTMLReporter.Words.ui.countError))</p>\n"
            }
            out += "</div>\n</details>\n"
        }
        return out + "</section>\n"
    }

    func noReport(_ fleet: FleetDocument) -> String {
        let absent = fleet.hosts.filter { !$0.state.hasReport }
        guard !absent.isEmpty else { return "" }
        var out = "<section id=\"no-report\" class=\"card\">\n<h2>\(t(W.noReport))</h2>\n"
        out += "<table>\n<thead><tr><th>\(t(W.host))</th><th>\(t(W.state))</th><th>\(t(W.source))</th><th>\(t(W.problem))</th></tr></thead>\n<tbody>\n"
        for h in absent {
            out += "<tr><td>\(hostLink(fleet, h.name))</td><td><span class=\"badge skip\">\(stateWord(h.state))</span></td>"
            out += "<td>\(h.source.map { "<code>\(HTML.text($0))</code>" } ?? "-")</td><td>\(HTML.text(h.problem ?? ""))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    func hosts(_ fleet: FleetDocument) -> String {
        var out = "<section id=\"hosts\" class=\"card\">\n<h2>\(t(W.hosts))</h2>\n<div class=\"scroll\"><table class=\"hosts\">\n"
        out += "<thead><tr><th>\(t(W.host))</th><th>\(t(W.verdict))</th><th>\(t(W.counts))</th><th>\(t(HTMLReporter.Words.ui.hostname))</th>"
        out += "<th>\(t(W.kernel))</th><th>\(t(W.toolVersion))</th><th>\(t(W.generated))</th><th>\(t(W.source))</th></tr></thead>\n<tbody>\n"
        for h in fleet.hosts {
            out += "<tr><td>\(hostLink(fleet, h.name))</td><td><span class=\"badge \(Self.stateClass(h.state))\">\(stateWord(h.state))</span></td>"
            out += "<td class=\"num\">\(h.counts.map { "\($0.fail) / \($0.warn) / \($0.error)" } ?? "-")</td>"
            out += "<td>\(HTML.text(h.hostname ?? "-"))</td><td><code>\(HTML.text(h.kernelRelease ?? "-"))</code></td>"
            out += "<td>\(HTML.text(h.toolVersion ?? "-"))</td><td>\(HTML.text(h.generatedAt ?? "-"))</td>"
            out += "<td>\(h.source.map { "<code>\(HTML.text($0))</code>" } ?? "-")"
            if let sha = h.sha256 { out += "<br><span class=\"sub\" title=\"sha256 \(HTML.text(sha))\">sha256 \(HTML.text(String(sha.prefix(12))))…</span>" }
            out += "</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n</section>\n"
    }

    /// What the fleet page adds to the report's style: the matrix.
    static let css = """
    .legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;color:var(--muted);margin:0 0 10px}
    .legend .m{display:inline-block;width:22px;text-align:center;border-radius:3px;margin-right:2px}
    table.matrix{width:auto;font-size:13px}
    table.matrix th,table.matrix td{border:1px solid var(--line);padding:0}
    table.matrix th.cat{text-align:center;text-transform:none;letter-spacing:0;font:400 11px var(--mono);padding:3px 2px;white-space:nowrap;overflow:hidden;max-width:30px}
    table.matrix th.check{height:190px;vertical-align:bottom;padding:4px 0;width:30px;min-width:30px}
    table.matrix th.check span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font:400 12px var(--mono);text-transform:none;letter-spacing:0;color:var(--fg);display:inline-block;margin:0 auto}
    table.matrix th.corner{vertical-align:bottom;padding:4px 8px}
    table.matrix th.host{text-align:left;padding:3px 10px;white-space:nowrap;text-transform:none;letter-spacing:0;font-size:13px;color:var(--fg);font-weight:400}
    table.matrix td{text-align:center;height:28px;font-weight:700}
    table.matrix td:last-child{padding:2px 8px;border:none;white-space:nowrap}
    #not-ready details.result>summary{grid-template-columns:96px minmax(150px,230px) minmax(120px,210px) 1fr}
    #not-ready .body{padding-left:128px}
    .m.pass{color:var(--pass);background:var(--pass-bg)}.m.fail{color:#fff;background:var(--fail)}
    .m.warn{color:var(--warn);background:var(--warn-bg)}.m.error{color:#fff;background:var(--error)}
    .m.skip{color:var(--skip);background:var(--skip-bg)}.m.ignored{color:var(--skip);background:var(--card)}
    .m.absent{color:var(--muted);background:var(--card)}.m.unknown{color:var(--muted);background:repeating-linear-gradient(45deg,var(--skip-bg) 0 4px,var(--card) 4px 8px)}
    .sub{color:var(--muted);font-size:12px}
    .bar{display:inline-block;width:80px;height:8px;background:var(--skip-bg);border-radius:4px;vertical-align:middle;overflow:hidden}
    .bar span{display:block;height:100%;background:var(--fail)}
    table.hosts td{white-space:nowrap}
    @media print{.m.fail,.m.error{color:#000;background:#fff;outline:2px solid currentColor}.m.unknown{background:#fff}
    .bar span{background:#888}table.matrix th.check{height:150px}}

    """
}

/// The fleet page's words, short.
private let W = FleetHTMLReporter.Words.ui
