/// The report for people who will not read JSON: one self-contained HTML file (inline CSS, no script, no
/// external reference of any kind), readable on a laptop and printable. A banner says at a glance whether the
/// host is ready; results are grouped by category with evidence and remediation folded under each result
/// (open where something fails); then the fixes the failures offer, the NIC table and the host's facts.
///
/// Every value from the document is escaped (`HTML.text`), so a hostile hostname, message or evidence text
/// shows as text and never becomes markup. The page is in the translator's language (`L10n.current` unless
/// given): its own words (`Words`, gettext context `html`) and the checks' titles, messages and remediations
/// through the catalog, with `{name}` placeholders filled afterwards; ids, codes and evidence as they are.
/// The shell, style and escaping are `HTMLPage`'s, shared with the fleet's page.
public struct HTMLReporter: Reporter {
    public var page: HTMLPage

    public init(translator: Translator = L10n.current) {
        self.page = HTMLPage(translator: translator)
    }

    /// The BCP 47 tag of the page's language (`en`, `zh-CN`).
    public var language: String { page.language }

    public static func render(_ report: ReportDocument) -> String { HTMLReporter(translator: .english).render(report) }

    /// The page's own words, each one msgid (gettext context `html`); `{name}` placeholders are filled after
    /// translation. Stored properties, so the catalog's extraction (a Mirror over `Words.ui`) sees every one.
    public struct Words: Sendable {
        public static let ui = Words()
        public let pageTitle = "{host}: {verdict} — SR-IOV readiness"
        public let subtitle = "SR-IOV readiness report"
        public let ready = "READY"
        public let notReady = "NOT READY"
        public let undecided = "UNDECIDED"
        public let readyNote = "No check fails: this host can give SR-IOV virtual functions to guests."
        public let readyWarnNote = "No check fails; the warnings below are worth a look."
        public let notReadyNote = "Checks fail: fix the failures below before giving virtual functions to guests."
        public let undecidedNote = "No check fails, but some checks could not run: readiness is unknown until they can."
        public let errorsNote = "Some checks could not run (errors): their verdict is unknown."
        public let strictNote = "Strict mode: warnings count as failures."
        public let exitCode = "exit code {code}"
        public let kernel = "Kernel"
        public let cpu = "CPU"
        public let generated = "Generated"
        public let evidence = "Evidence: {source}"
        public let attention = "Needs attention"
        public let attentionNone = "Nothing needs attention."
        public let results = "Results by category"
        public let source = "Source"
        public let observed = "Observed"
        public let expected = "Expected"
        public let noEvidence = "No evidence recorded."
        public let remediation = "Remediation"
        public let findingCode = "Finding code: {code}"
        public let fixOffered = "Fix available: {command}"
        public let fixUnavailable = "A fix exists ({fix}) but cannot be applied on this host."
        public let rebootRequired = "reboot required"
        public let ignored = "ignored"
        public let waived = "waived until {expires}: {justification}"
        public let waiverWarning = "Warning: {warning}"
        public let waivers = "Waivers"
        public let waiverFile = "From {file}. A waived result keeps its status but does not count against readiness; an expired waiver has no effect."
        public let waiver = "Waiver"
        public let justification = "Justification"
        public let expires = "Expires"
        public let who = "Who"
        public let state = "State"
        public let waivedResults = "Results waived"
        public let active = "ACTIVE"
        public let expired = "EXPIRED"
        public let fixes = "Fix plan"
        public let fixesIntro = "The failures offer these fixes. `sriov-preflight fix` shows each plan with the diff of every file it would change; nothing changes without --apply."
        public let fixColumn = "Fix"
        public let whatItDoes = "What it does"
        public let answers = "Answers"
        public let reboot = "Reboot"
        public let yes = "yes"
        public let no = "no"
        public let notAvailable = "not available on this host"
        public let nics = "NICs"
        public let noNICs = "No network controller was found."
        public let nicName = "NIC"
        public let pciAddress = "PCI address"
        public let model = "Model"
        public let driver = "Driver"
        public let link = "Link"
        public let speed = "Speed"
        public let bond = "Bond"
        public let sriovState = "SR-IOV"
        public let vfs = "VFs free / on (max)"
        public let speedValue = "{mbps} Mb/s"
        public let stateSplit = "split"
        public let stateSplittable = "splittable"
        public let stateNotSplittable = "not splittable"
        public let host = "Host"
        public let hostname = "Hostname"
        public let kernelRelease = "Kernel release"
        public let cpuVendor = "CPU vendor"
        public let cmdline = "Kernel command line"
        public let emptyCmdline = "(empty or unreadable)"
        public let evidenceSource = "Evidence source"
        public let sourceLive = "this host, live"
        public let sourceHostRoot = "a captured host root"
        public let sourceBundle = "a support bundle"
        public let sourceSosreport = "an unpacked sosreport"
        public let root = "Root"
        public let selection = "Selection"
        public let only = "only: {list}"
        public let ignoring = "ignored: {list}"
        public let allChecks = "all checks"
        public let filesRead = "Files read"
        public let filesReadValue = "{count} read, {absent} absent, {unreadable} unreadable"
        public let unreadableFiles = "Files that could not be read"
        public let path = "Path"
        public let why = "Why"
        public let footer = "{tool} {version} · report schema {schema} · generated {time} · run took {ms} ms. `sriov-preflight report --from REPORT.json --format html` renders a saved JSON report again."
        public let pass = "PASS"
        public let warn = "WARN"
        public let fail = "FAIL"
        public let skip = "SKIP"
        public let error = "ERROR"
        public let countPass = "pass"
        public let countWarn = "warn"
        public let countFail = "fail"
        public let countSkip = "skip"
        public let countError = "error"
        public let countIgnored = "ignored"
        public let countWaived = "waived"
        public let categoryCPU = "CPU virtualization"
        public let categoryFirmware = "Firmware (ACPI tables)"
        public let categoryKernel = "Kernel IOMMU"
        public let categoryIR = "Interrupt remapping"
        public let categoryVFIO = "VFIO"
        public let categorySRIOV = "SR-IOV"
        public let categoryNIC = "NIC link"
        public let categoryBond = "Bonds"
    }

    func t(_ msgid: String, _ params: [String: String] = [:]) -> String { page.t(msgid, params) }

    func markup(_ msgid: String, _ html: [String: String]) -> String { page.markup(msgid, html) }

    /// A result's message in the page's language (the stored English one for a report of another version).
    func message(_ r: CheckResult) -> String { HTML.text(page.translator.message(r)) }

    func statusWord(_ s: Status) -> String {
        switch s {
        case .pass: return t(W.pass)
        case .warn: return t(W.warn)
        case .fail: return t(W.fail)
        case .skip: return t(W.skip)
        case .error: return t(W.error)
        }
    }

    func categoryTitle(_ c: String) -> String {
        switch Category(rawValue: c) {
        case .cpu: return t(W.categoryCPU)
        case .firmware: return t(W.categoryFirmware)
        case .kernel: return t(W.categoryKernel)
        case .ir: return t(W.categoryIR)
        case .vfio: return t(W.categoryVFIO)
        case .sriov: return t(W.categorySRIOV)
        case .nic: return t(W.categoryNIC)
        case .bond: return t(W.categoryBond)
        case nil: return HTML.text(c)
        }
    }

    /// Whether a result needs a reader's eye (and its details start open).
    static func needsAttention(_ r: CheckResult) -> Bool {
        r.disposition == .counted && (r.status == .fail || r.status == .error || r.status == .warn)
    }

    public func render(_ report: ReportDocument) -> String {
        let s = report.summary, h = report.host
        let verdictClass: String, verdict: String
        switch s.exitCode {
        case .ready: (verdictClass, verdict) = ("ready", W.ready)
        case .failed: (verdictClass, verdict) = ("not-ready", W.notReady)
        case .undecided, .usage: (verdictClass, verdict) = ("undecided", W.undecided)
        }
        var notes: [String] = []
        switch s.exitCode {
        case .ready: notes.append(t(s.warn > 0 ? W.readyWarnNote : W.readyNote))
        case .failed:
            notes.append(t(W.notReadyNote))
            if s.error > 0 { notes.append(t(W.errorsNote)) }
        case .undecided, .usage: notes.append(t(W.undecidedNote))
        }
        if report.strict { notes.append(t(W.strictNote)) }
        var meta = "\(t(W.kernel)) <code>\(HTML.text(h.kernelRelease))</code> · \(t(W.cpu)) \(HTML.text(h.cpuVendor))"
        meta += " · \(markup(W.evidence, ["source": sourceWord(h.evidenceSource)])) · \(t(W.generated)) \(HTML.text(report.generatedAt))"
        let banner = HTMLPage.Banner(
            verdictClass: verdictClass, tool: "\(report.tool.name) \(report.tool.version)", subtitle: W.subtitle,
            verdict: verdict, headline: HTML.text(h.hostname), notes: notes,
            warnings: report.warnings.map { t(W.waiverWarning, ["warning": warningText($0)]) },
            counts: [("fail", W.countFail, s.fail, true), ("error", W.countError, s.error, true), ("warn", W.countWarn, s.warn, true),
                     ("pass", W.countPass, s.pass, true), ("skip", W.countSkip, s.skip, true),
                     ("ignored", W.countIgnored, s.ignored, false), ("waived", W.countWaived, s.waived, false)],
            exitCode: s.exitCode.rawValue, meta: meta)
        let footer = MessageTemplate.render(page.word(W.footer), ["tool": report.tool.name, "version": report.tool.version,
                                                         "schema": String(report.schemaVersion), "time": report.generatedAt,
                                                         "ms": Self.milliseconds(report.timings.durationMs)])
        return page.document(
            title: t(W.pageTitle, ["host": h.hostname, "verdict": page.word(verdict)]),
            generator: "\(report.tool.name) \(report.tool.version)", banner: banner,
            sections: [attention(report), fixes(report), results(report), nics(report), waivers(report), host(report)],
            footer: footer)
    }

    static func milliseconds(_ ms: Double) -> String {
        let v = Int64(max(ms, 0).rounded())
        return String(v)
    }

    /// A warning about the run (an expired waiver) in the page's language; one no template renders as it is.
    func warningText(_ w: String) -> String { page.translator.warning(w) }

    /// The waiver file's entries: which hold, which expired, how many results each waived.
    func waivers(_ report: ReportDocument) -> String {
        guard let w = report.waivers else { return "" }
        var out = "<section id=\"waivers\" class=\"card\">\n<h2>\(t(W.waivers))</h2>\n"
        out += "<p>\(t(W.waiverFile, ["file": w.file]))</p>\n"
        guard !w.entries.isEmpty else { return out + "</section>\n" }
        out += "<div class=\"scroll\"><table class=\"waivers\">\n<thead><tr><th>\(t(W.waiver))</th><th>\(t(W.justification))</th><th>\(t(W.expires))</th><th>\(t(W.who))</th><th>\(t(W.state))</th><th>\(t(W.waivedResults))</th></tr></thead>\n<tbody>\n"
        for e in w.entries {
            let state = e.state == .active ? "<span class=\"badge pass\">\(t(W.active))</span>" : "<span class=\"badge warn\">\(t(W.expired))</span>"
            out += "<tr><td><code>\(HTML.text(e.waiver))</code></td><td>\(HTML.text(e.justification))</td><td class=\"num\">\(HTML.text(e.expires))</td>"
            out += "<td>\(HTML.text(e.who ?? "-"))</td><td>\(state)</td><td class=\"num\">\(e.waivedResults)</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n</section>\n"
    }

    func sourceWord(_ s: EvidenceSource) -> String {
        switch s {
        case .live: return t(W.sourceLive)
        case .hostRoot: return t(W.sourceHostRoot)
        case .bundle: return t(W.sourceBundle)
        case .sosreport: return t(W.sourceSosreport)
        }
    }

    func badge(_ r: CheckResult) -> String {
        "<span class=\"badge \(r.status.rawValue)\">\(statusWord(r.status))</span>"
    }

    /// The failures, errors and warnings first, each a link to its place among the results.
    func attention(_ report: ReportDocument) -> String {
        var out = "<section id=\"attention\" class=\"card\">\n<h2>\(t(W.attention))</h2>\n"
        let ordered = report.results.enumerated().filter { Self.needsAttention($0.element) }
            .sorted { ($0.element.status.rank, -$0.offset) > ($1.element.status.rank, -$1.offset) }
        if ordered.isEmpty {
            out += "<p class=\"all-clear\">\(t(W.attentionNone))</p>\n"
        } else {
            out += "<ul class=\"attention\">\n"
            for (i, r) in ordered {
                out += "<li>\(badge(r))<a href=\"#r\(i)\"><code class=\"id\">\(HTML.text(r.id))</code></a><code class=\"obj\">\(HTML.text(r.object))</code><span class=\"msg\">\(message(r))</span></li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</section>\n"
    }

    /// The fixes the failing and warning results offer (what `sriov-preflight fix` would plan).
    func fixes(_ report: ReportDocument) -> String {
        var order: [String] = []
        var answers: [String: [(Int, CheckResult)]] = [:]
        for (i, r) in report.results.enumerated() where Self.needsAttention(r) && r.status != .error {
            guard let fix = r.fix else { continue }
            if answers[fix.id.rawValue] == nil { order.append(fix.id.rawValue) }
            answers[fix.id.rawValue, default: []].append((i, r))
        }
        guard !order.isEmpty else { return "" }
        var out = "<section id=\"fixes\" class=\"card\">\n<h2>\(t(W.fixes))</h2>\n"
        out += "<p>\(HTML.inlineCode(page.word(W.fixesIntro)))</p>\n"
        out += "<table class=\"fixes\">\n<thead><tr><th>\(t(W.fixColumn))</th><th>\(t(W.whatItDoes))</th><th>\(t(W.answers))</th><th>\(t(W.reboot))</th></tr></thead>\n<tbody>\n"
        for id in order {
            let rs = answers[id] ?? []
            let title = FixDefinition.named(id).map { HTML.text(page.text($0.title)) } ?? ""
            let available = rs.contains { $0.1.fix?.available ?? false }
            let reboot = rs.contains { $0.1.fix?.rebootRequired ?? false }
            out += "<tr><td><code>sriov-preflight fix \(HTML.text(id))</code></td><td>\(title)"
            if !available { out += " <span class=\"tag\">\(t(W.notAvailable))</span>" }
            out += "</td><td>"
            out += rs.map { "<a href=\"#r\($0.0)\"><code>\(HTML.text($0.1.id))</code></a> <code class=\"obj\">\(HTML.text($0.1.object))</code>" }
                .joined(separator: "<br>")
            out += "</td><td>\(t(reboot ? W.yes : W.no))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    func results(_ report: ReportDocument) -> String {
        var out = "<section id=\"results\" class=\"card\">\n<h2>\(t(W.results))</h2>\n"
        var categories: [String] = []
        for r in report.results where !categories.contains(r.category) { categories.append(r.category) }
        let indexed = Array(report.results.enumerated())
        for (ci, cat) in categories.enumerated() {
            let rs = indexed.filter { $0.element.category == cat }
            let counted = rs.map(\.element).filter { $0.disposition == .counted }
            // The category's colour: its worst verdict, a skip only when nothing else was decided.
            let worst = counted.map(\.status).filter { $0 != .skip }.max() ?? .skip
            out += "<section class=\"category\" id=\"c\(ci)\">\n<h3><span class=\"dot \(worst.rawValue)\"></span>\(categoryTitle(cat)) <code class=\"cat-id\">\(HTML.text(cat))</code>"
            var tally: [String] = []
            for st in [Status.fail, .error, .warn, .pass, .skip] {
                let n = counted.filter { $0.status == st }.count
                if n > 0 { tally.append("\(n) \(t(countWord(st)))") }
            }
            let ign = rs.filter { $0.element.ignored }.count
            if ign > 0 { tally.append("\(ign) \(t(W.countIgnored))") }
            let waived = rs.count - counted.count - ign
            if waived > 0 { tally.append("\(waived) \(t(W.countWaived))") }
            out += " <span class=\"tally\">\(tally.joined(separator: " · "))</span></h3>\n"
            for (i, r) in rs { out += result(r, index: i) }
            out += "</section>\n"
        }
        return out + "</section>\n"
    }

    func countWord(_ s: Status) -> String {
        switch s {
        case .pass: return W.countPass
        case .warn: return W.countWarn
        case .fail: return W.countFail
        case .skip: return W.countSkip
        case .error: return W.countError
        }
    }

    func result(_ r: CheckResult, index: Int) -> String {
        let open = r.disposition == .counted && (r.status == .fail || r.status == .error)
        var out = "<details class=\"result \(r.status.rawValue)\(r.ignored ? " ignored" : "")\(r.waiver != nil ? " waived" : "")\" id=\"r\(index)\"\(open ? " open" : "")>\n"
        out += "<summary>\(badge(r))<code class=\"id\">\(HTML.text(r.id))</code><code class=\"obj\">\(HTML.text(r.object))</code><span class=\"msg\">\(message(r))"
        if r.ignored { out += " <span class=\"tag\">\(t(W.ignored))</span>" }
        if let w = r.waiver {
            out += " <span class=\"tag\">\(t(W.waived, ["expires": w.expires, "justification": w.justification + (w.who.map { " (\($0))" } ?? "")]))</span>"
        }
        out += "</span></summary>\n<div class=\"body\">\n"
        if !r.title.isEmpty || !r.code.isEmpty {
            out += "<p class=\"check-title\">\(HTML.text(page.text(r.title)))"
            if !r.code.isEmpty { out += " <span class=\"code\">\(markup(W.findingCode, ["code": "<code>\(HTML.text(r.code))</code>"]))</span>" }
            out += "</p>\n"
        }
        if r.evidence.isEmpty {
            out += "<p class=\"none\">\(t(W.noEvidence))</p>\n"
        } else {
            let withExpected = r.evidence.contains { $0.expected != nil }
            out += "<table class=\"evidence\">\n<thead><tr><th>\(t(W.source))</th><th>\(t(W.observed))</th>"
            if withExpected { out += "<th>\(t(W.expected))</th>" }
            out += "</tr></thead>\n<tbody>\n"
            for e in r.evidence {
                out += "<tr><td><code>\(HTML.text(e.source))</code></td><td class=\"pre\">\(HTML.text(e.observed))</td>"
                if withExpected { out += "<td class=\"pre\">\(HTML.text(e.expected ?? ""))</td>" }
                out += "</tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if (r.status == .fail || r.status == .warn) && !r.remediation.isEmpty {
            out += "<div class=\"remediation\"><h4>\(t(W.remediation))</h4><p>\(HTML.inlineCode(page.text(r.remediation)))</p></div>\n"
        }
        if let fix = r.fix, r.status == .fail || r.status == .warn {
            if fix.available {
                let reboot = fix.rebootRequired ? " <span class=\"tag\">\(t(W.rebootRequired))</span>" : ""
                out += "<p class=\"fix\">\(markup(W.fixOffered, ["command": "<code>sriov-preflight fix \(HTML.text(fix.id.rawValue))</code>"]))\(reboot)</p>\n"
            } else {
                out += "<p class=\"fix\">\(t(W.fixUnavailable, ["fix": fix.id.rawValue]))</p>\n"
            }
        }
        return out + "</div>\n</details>\n"
    }

    func nics(_ report: ReportDocument) -> String {
        var out = "<section id=\"nics\" class=\"card\">\n<h2>\(t(W.nics))</h2>\n"
        guard !report.nics.isEmpty else { return out + "<p class=\"none\">\(t(W.noNICs))</p>\n</section>\n" }
        out += "<div class=\"scroll\"><table class=\"nics\">\n<thead><tr>"
        for h in [W.nicName, W.pciAddress, W.model, W.driver, W.link, W.speed, W.bond, W.sriovState, W.vfs] {
            out += "<th>\(t(h))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for n in report.nics {
            let state: String
            switch n.state {
            case .split: state = W.stateSplit
            case .splittable: state = W.stateSplittable
            case .notSplittable: state = W.stateNotSplittable
            }
            let stateClass = n.state.rawValue.replacing(" ", with: "-")
            out += "<tr><td><code>\(HTML.text(n.name))</code></td><td><code>\(HTML.text(n.pciAddress))</code></td>"
            out += "<td>\(HTML.text(n.model))</td><td>\(HTML.text(n.driver ?? "-"))</td>"
            let link = ["up": ui.linkUp, "down": ui.linkDown, "no netdev": ui.linkNoNetdev][n.link].map { page.translator($0) } ?? n.link
            out += "<td class=\"link \(n.link == "up" ? "up" : "down")\">\(HTML.text(link))</td>"
            out += "<td class=\"num\">\(n.speed.map { t(W.speedValue, ["mbps": String($0)]) } ?? "-")</td>"
            out += "<td>\(HTML.text(n.bond ?? "-"))</td>"
            // The seed's own word stays beside the state whatever the language: operators know it.
            let localized = t(state)
            let seed = HTML.text(n.state.seedName)
            out += "<td><span class=\"state \(stateClass)\">\(localized)\(localized == seed ? "" : " <span class=\"seed\" lang=\"zh-CN\">\(seed)</span>")</span></td>"
            out += "<td class=\"num\">\(n.state == .notSplittable ? "-" : "\(n.vfsAvailable) / \(n.vfsEnabled) (\(n.vfsTotal))")</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n</section>\n"
    }

    func host(_ report: ReportDocument) -> String {
        let h = report.host
        var out = "<section id=\"host\" class=\"card\">\n<h2>\(t(W.host))</h2>\n<dl class=\"facts\">\n"
        func row(_ label: String, _ value: String) { out += "<dt>\(t(label))</dt><dd>\(value)</dd>\n" }
        row(W.hostname, HTML.text(h.hostname))
        row(W.kernelRelease, "<code>\(HTML.text(h.kernelRelease))</code>")
        row(W.cpuVendor, HTML.text(h.cpuVendor))
        row(W.cmdline, h.cmdline.isEmpty ? t(W.emptyCmdline) : "<code class=\"cmdline\">\(HTML.text(h.cmdline))</code>")
        row(W.evidenceSource, sourceWord(h.evidenceSource))
        row(W.root, "<code>\(HTML.text(h.root))</code>")
        var sel: [String] = []
        if !report.selection.only.isEmpty { sel.append(t(W.only, ["list": report.selection.only.joined(separator: ", ")])) }
        if !report.selection.ignore.isEmpty { sel.append(t(W.ignoring, ["list": report.selection.ignore.joined(separator: ", ")])) }
        row(W.selection, sel.isEmpty ? t(W.allChecks) : sel.joined(separator: "; "))
        let absent = report.filesRead.filter { $0.error == "absent" }.count
        let unreadable = report.filesRead.filter { $0.error != nil && $0.error != "absent" }
        row(W.filesRead, t(W.filesReadValue, ["count": String(report.filesRead.count - absent - unreadable.count),
                                                       "absent": String(absent), "unreadable": String(unreadable.count)]))
        out += "</dl>\n"
        if !unreadable.isEmpty {
            out += "<details class=\"files\"><summary>\(t(W.unreadableFiles)) (\(unreadable.count))</summary>\n"
            out += "<table class=\"files\">\n<thead><tr><th>\(t(W.path))</th><th>\(t(W.why))</th></tr></thead>\n<tbody>\n"
            for f in unreadable {
                out += "<tr><td><code>\(HTML.text(f.path))</code></td><td>\(HTML.text(f.error ?? ""))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</details>\n"
        }
        return out + "</section>\n"
    }
}

/// The page's words, short.
private let W = HTMLReporter.Words.ui
private let ui = UIStrings.ui
