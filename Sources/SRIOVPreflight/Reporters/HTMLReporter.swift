/// The report for people who will not read JSON: one self-contained HTML file (inline CSS, no script, no
/// external reference of any kind), readable on a laptop and printable. A banner says at a glance whether the
/// host is ready; results are grouped by category with evidence and remediation folded under each result
/// (open where something fails); then the fixes the failures offer, the NIC table and the host's facts.
///
/// Every value from the document is escaped (`HTML.text`), so a hostile hostname, message or evidence text
/// shows as text and never becomes markup. People-facing words are the `Words` constants and go through
/// `localize` (a message catalog lookup; identity for English) with `{name}` placeholders filled afterwards.
public struct HTMLReporter: Reporter {
    /// The BCP 47 tag of the page's language (`en`, `zh-CN`): the `lang` attribute, and with it the fonts.
    public var language: String
    /// Translates one msgid (a `Words` constant, a check title or message); English when it has no entry.
    public var localize: @Sendable (String) -> String

    public init(language: String = "en", localize: @escaping @Sendable (String) -> String = { $0 }) {
        self.language = language
        self.localize = localize
    }

    public static func render(_ report: ReportDocument) -> String { HTMLReporter().render(report) }

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
        public let evidence = "Evidence"
        public let attention = "Needs attention"
        public let attentionNone = "Nothing needs attention."
        public let results = "Results by category"
        public let source = "Source"
        public let observed = "Observed"
        public let expected = "Expected"
        public let noEvidence = "No evidence recorded."
        public let remediation = "Remediation"
        public let findingCode = "Finding code"
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

    /// `msgid` translated and escaped, its `{name}` placeholders filled with values escaped in their turn.
    func t(_ msgid: String, _ params: [String: String] = [:]) -> String {
        markup(msgid, params.mapValues(HTML.text))
    }

    /// `msgid` translated and escaped, its `{name}` placeholders filled with `html` (markup, used as is).
    func markup(_ msgid: String, _ html: [String: String]) -> String {
        Self.fill(HTML.text(localize(msgid)), html)
    }

    /// Placeholders filled in one pass: a value that itself holds `{name}` stays as it is.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var i = template.startIndex
        while i < template.endIndex {
            if template[i] == "{", let close = template[i...].firstIndex(of: "}"),
               let v = values[String(template[template.index(after: i)..<close])] {
                out += v
                i = template.index(after: close)
                continue
            }
            out.append(template[i])
            i = template.index(after: i)
        }
        return out
    }

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
        !r.ignored && r.waiver == nil && (r.status == .fail || r.status == .error || r.status == .warn)
    }

    public func render(_ report: ReportDocument) -> String {
        var out = ""
        let s = report.summary
        let verdictClass: String, verdict: String
        switch s.exitCode {
        case .ready: (verdictClass, verdict) = ("ready", W.ready)
        case .failed: (verdictClass, verdict) = ("not-ready", W.notReady)
        case .undecided, .usage: (verdictClass, verdict) = ("undecided", W.undecided)
        }
        out += "<!DOCTYPE html>\n<html lang=\"\(HTML.text(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"\(HTML.text(report.tool.name)) \(HTML.text(report.tool.version))\">\n"
        out += "<title>\(t(W.pageTitle, ["host": report.host.hostname, "verdict": localize(verdict)]))</title>\n"
        out += "<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        out += banner(report, verdictClass: verdictClass, verdict: verdict)
        out += "<main class=\"wrap\">\n"
        out += attention(report)
        out += fixes(report)
        out += results(report)
        out += nics(report)
        out += waivers(report)
        out += host(report)
        out += "</main>\n"
        out += "<footer class=\"wrap\"><p>\(HTML.inlineCode(Self.fill(localize(W.footer), ["tool": report.tool.name, "version": report.tool.version, "schema": String(report.schemaVersion), "time": report.generatedAt, "ms": Self.milliseconds(report.timings.durationMs)])))</p></footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    static func milliseconds(_ ms: Double) -> String {
        let v = Int64(max(ms, 0).rounded())
        return String(v)
    }

    func banner(_ report: ReportDocument, verdictClass: String, verdict: String) -> String {
        let s = report.summary, h = report.host
        var out = "<header class=\"banner \(verdictClass)\">\n<div class=\"wrap\">\n"
        out += "<p class=\"tool\">\(HTML.text(report.tool.name)) \(HTML.text(report.tool.version)) · \(t(W.subtitle))</p>\n"
        out += "<h1><span class=\"verdict\">\(t(verdict))</span> <span class=\"hostname\">\(HTML.text(h.hostname))</span></h1>\n"
        var notes: [String] = []
        switch s.exitCode {
        case .ready: notes.append(t(s.warn > 0 ? W.readyWarnNote : W.readyNote))
        case .failed:
            notes.append(t(W.notReadyNote))
            if s.error > 0 { notes.append(t(W.errorsNote)) }
        case .undecided, .usage: notes.append(t(W.undecidedNote))
        }
        if report.strict { notes.append(t(W.strictNote)) }
        out += "<p class=\"note\">\(notes.joined(separator: " "))</p>\n"
        for w in report.warnings { out += "<p class=\"note warning\">\(t(W.waiverWarning, ["warning": w]))</p>\n" }
        out += "<ul class=\"counts\">"
        let counts: [(String, String, Int)] = [
            ("fail", W.countFail, s.fail), ("error", W.countError, s.error), ("warn", W.countWarn, s.warn),
            ("pass", W.countPass, s.pass), ("skip", W.countSkip, s.skip), ("ignored", W.countIgnored, s.ignored),
            ("waived", W.countWaived, s.waived),
        ]
        for (cls, word, n) in counts where n > 0 || (cls != "ignored" && cls != "waived") {
            out += "<li class=\"n-\(cls)\(n == 0 ? " zero" : "")\"><b>\(n)</b> \(t(word))</li>"
        }
        out += "<li class=\"exit\">\(t(W.exitCode, ["code": String(s.exitCode.rawValue)]))</li></ul>\n"
        out += "<p class=\"meta\">\(t(W.kernel)) <code>\(HTML.text(h.kernelRelease))</code> · \(t(W.cpu)) \(HTML.text(h.cpuVendor))"
        out += " · \(t(W.evidence)): \(sourceWord(h.evidenceSource)) · \(t(W.generated)) \(HTML.text(report.generatedAt))</p>\n"
        out += "</div>\n</header>\n"
        return out
    }

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
                out += "<li>\(badge(r))<a href=\"#r\(i)\"><code class=\"id\">\(HTML.text(r.id))</code></a><code class=\"obj\">\(HTML.text(r.object))</code><span class=\"msg\">\(HTML.text(r.message))</span></li>\n"
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
        out += "<p>\(HTML.inlineCode(localize(W.fixesIntro)))</p>\n"
        out += "<table class=\"fixes\">\n<thead><tr><th>\(t(W.fixColumn))</th><th>\(t(W.whatItDoes))</th><th>\(t(W.answers))</th><th>\(t(W.reboot))</th></tr></thead>\n<tbody>\n"
        for id in order {
            let rs = answers[id] ?? []
            let title = FixDefinition.named(id).map { t($0.title) } ?? ""
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
            let counted = rs.map(\.element).filter { !$0.ignored && $0.waiver == nil }
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
        let open = !r.ignored && r.waiver == nil && (r.status == .fail || r.status == .error)
        var out = "<details class=\"result \(r.status.rawValue)\(r.ignored ? " ignored" : "")\(r.waiver != nil ? " waived" : "")\" id=\"r\(index)\"\(open ? " open" : "")>\n"
        out += "<summary>\(badge(r))<code class=\"id\">\(HTML.text(r.id))</code><code class=\"obj\">\(HTML.text(r.object))</code><span class=\"msg\">\(HTML.text(r.message))"
        if r.ignored { out += " <span class=\"tag\">\(t(W.ignored))</span>" }
        if let w = r.waiver {
            out += " <span class=\"tag\">\(t(W.waived, ["expires": w.expires, "justification": w.justification + (w.who.map { " (\($0))" } ?? "")]))</span>"
        }
        out += "</span></summary>\n<div class=\"body\">\n"
        if !r.title.isEmpty || !r.code.isEmpty {
            out += "<p class=\"check-title\">\(HTML.text(localize(r.title)))"
            if !r.code.isEmpty { out += " <span class=\"code\">\(t(W.findingCode)): <code>\(HTML.text(r.code))</code></span>" }
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
            out += "<div class=\"remediation\"><h4>\(t(W.remediation))</h4><p>\(HTML.inlineCode(localize(r.remediation)))</p></div>\n"
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
            out += "<td class=\"link \(n.link == "up" ? "up" : "down")\">\(HTML.text(n.link))</td>"
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

    /// The page's style: system fonts (CJK ones as fallbacks, first under `lang="zh-CN"`), a light palette
    /// (a dark one when the system asks), and for print every result unfolded on a white page.
    static let css = """
    :root{--fg:#1f2328;--muted:#59636e;--bg:#f3f4f6;--card:#fff;--line:#d8dde3;--code:#eef1f4;
    --pass:#1a7f37;--pass-bg:#dcf3e3;--warn:#8a5a00;--warn-bg:#fff1c2;--fail:#b42318;--fail-bg:#fde4e1;
    --error:#7b2fa0;--error-bg:#f2e3f9;--skip:#5f6b78;--skip-bg:#e9ecef;
    --font:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,"PingFang SC","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
    --mono:ui-monospace,"SFMono-Regular","DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,"Noto Sans Mono CJK SC","WenQuanYi Micro Hei Mono",monospace}
    :lang(zh){--font:"PingFang SC","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,"Noto Sans","Liberation Sans",Arial,sans-serif}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 var(--font)}
    code{font-family:var(--mono);font-size:.9em}
    .wrap{max-width:1180px;margin:0 auto;padding:0 24px}
    .banner{color:#fff;padding:20px 0 18px}
    .banner.ready{background:#1a7f37}.banner.not-ready{background:#b42318}.banner.undecided{background:#6f3196}
    .banner .tool{margin:0;opacity:.85;font-size:13px;letter-spacing:.02em}
    .banner h1{margin:4px 0 6px;font-size:30px;line-height:1.2;overflow-wrap:anywhere}
    .banner .verdict{font-weight:800;letter-spacing:.03em;margin-right:.4em}
    .banner .hostname{font-weight:400;opacity:.95}
    .banner .note{margin:0 0 10px;font-size:16px;max-width:70em}
    .banner .meta{margin:10px 0 0;font-size:13px;opacity:.9;overflow-wrap:anywhere}
    .banner code{background:rgba(255,255,255,.15);padding:0 4px;border-radius:3px}
    .counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;margin:0;padding:0}
    .counts li{background:rgba(255,255,255,.16);border:1px solid rgba(255,255,255,.35);border-radius:999px;padding:1px 12px;font-size:14px}
    .counts li b{font-size:16px}
    .counts li.zero{opacity:.55}
    .counts li.exit{background:none;border-style:dashed}
    main{padding-top:4px;padding-bottom:8px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 20px 16px;margin:18px 0}
    h2{font-size:19px;margin:0 0 10px}
    h3{font-size:16px;margin:18px 0 6px;display:flex;align-items:center;gap:8px;flex-wrap:wrap}
    h4{margin:0 0 2px;font-size:13px;text-transform:uppercase;letter-spacing:.04em}
    .cat-id{color:var(--muted);font-weight:400}
    .tally{color:var(--muted);font-weight:400;font-size:13px;margin-left:auto}
    .dot{width:10px;height:10px;border-radius:50%;display:inline-block;background:var(--skip)}
    .dot.pass{background:var(--pass)}.dot.warn{background:#d4a72c}.dot.fail{background:var(--fail)}.dot.error{background:var(--error)}
    .badge{display:inline-block;min-width:58px;text-align:center;font:700 12px/20px var(--mono);border-radius:4px;padding:0 6px;letter-spacing:.03em}
    .badge.pass{color:var(--pass);background:var(--pass-bg)}.badge.warn{color:var(--warn);background:var(--warn-bg)}
    .badge.fail{color:var(--fail);background:var(--fail-bg)}.badge.error{color:var(--error);background:var(--error-bg)}
    .badge.skip{color:var(--skip);background:var(--skip-bg)}
    .tag{display:inline-block;font-size:12px;border:1px solid var(--line);border-radius:4px;padding:0 5px;color:var(--muted)}
    a{color:inherit;text-decoration-color:var(--line);text-underline-offset:2px}
    a:hover{text-decoration-color:currentColor}
    ul.attention{list-style:none;margin:0;padding:0}
    ul.attention li{display:grid;grid-template-columns:66px minmax(150px,230px) minmax(90px,130px) 1fr;gap:12px;align-items:baseline;padding:6px 6px 6px 20px;border-top:1px solid var(--line)}
    ul.attention li:first-child{border-top:none}
    .all-clear{margin:0;color:var(--pass);font-weight:600}
    details.result{border-top:1px solid var(--line)}
    details.result>summary{display:grid;grid-template-columns:66px minmax(150px,230px) minmax(90px,130px) 1fr;gap:12px;align-items:baseline;padding:6px 6px 6px 20px;cursor:pointer;list-style:none;position:relative}
    details.result>summary::-webkit-details-marker{display:none}
    details.result>summary::before{content:"\\25B8";position:absolute;left:4px;top:6px;color:var(--muted);font-size:12px}
    details.result[open]>summary::before{content:"\\25BE"}
    details.result>summary:hover{background:var(--bg)}
    details.result.fail>summary{background:var(--fail-bg)}
    details.result.error>summary{background:var(--error-bg)}
    details.result.ignored{opacity:.6}
    details.result.waived{opacity:.75}
    .banner .note.warning{font-weight:600}
    .id,.obj{overflow-wrap:anywhere}
    .obj{color:var(--muted)}
    .msg{overflow-wrap:anywhere}
    .body{padding:6px 8px 14px 98px}
    .check-title{margin:0 0 8px;font-weight:600}
    .check-title .code{font-weight:400;color:var(--muted);font-size:13px;margin-left:8px}
    .none{color:var(--muted);margin:4px 0}
    table{border-collapse:collapse;width:100%;font-size:14px}
    th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em;border-bottom:2px solid var(--line);padding:4px 8px}
    td{border-bottom:1px solid var(--line);padding:5px 8px;vertical-align:top;overflow-wrap:anywhere}
    td.num{white-space:nowrap}
    td.pre{white-space:pre-wrap;font-family:var(--mono);font-size:13px}
    table.evidence td:first-child{width:24%}
    table.evidence{margin-bottom:10px;background:var(--card)}
    .remediation{border-left:4px solid var(--fail);background:var(--fail-bg);padding:8px 12px;border-radius:0 6px 6px 0;margin:8px 0}
    details.warn .remediation{border-color:#d4a72c;background:var(--warn-bg)}
    .remediation p{margin:0}
    .remediation code,.card p code,td code{background:var(--code);padding:0 4px;border-radius:3px}
    .fix{margin:8px 0 0}
    table.fixes td:first-child{white-space:nowrap}
    .scroll{overflow-x:auto}
    table.nics td,table.nics th{white-space:nowrap;padding-left:6px;padding-right:6px}
    table.nics td:nth-child(3){white-space:normal;min-width:14em}
    td.link.up{color:var(--pass)}td.link.down{color:var(--muted)}
    .state{display:inline-block;border-radius:4px;padding:0 6px;font-size:13px}
    .state.split{background:#dbe9ff;color:#0b4aa2}.state.splittable{background:var(--pass-bg);color:var(--pass)}.state.not-splittable{background:var(--skip-bg);color:var(--skip)}
    .seed{opacity:.85;margin-left:4px}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}
    dl.facts dt{color:var(--muted)}
    dl.facts dd{margin:0;overflow-wrap:anywhere}
    code.cmdline{white-space:pre-wrap;word-break:break-all}
    details.files{margin-top:12px}
    details.files>summary{cursor:pointer;color:var(--muted)}
    footer{color:var(--muted);font-size:12px;padding-bottom:24px}
    @media screen and (max-width:760px){details.result>summary,ul.attention li{grid-template-columns:60px 1fr}.msg{grid-column:1/-1}.body{padding-left:20px}.tally{margin-left:0}}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa4af;--bg:#15181c;--card:#1d2126;--line:#343a41;--code:#2a3037;
    --pass:#5fd07e;--pass-bg:#183824;--warn:#f0c451;--warn-bg:#3a2f10;--fail:#ff8a80;--fail-bg:#45191a;--error:#d9a3f5;--error-bg:#36203f;--skip:#a4adb7;--skip-bg:#2a2f35}
    .state.split{background:#1b3154;color:#a8c8ff}}
    @media print{
    :root{--fg:#000;--muted:#444;--bg:#fff;--card:#fff;--line:#bbb;--code:#f1f1f1;--pass-bg:#fff;--fail-bg:#fff;--warn-bg:#fff;--error-bg:#fff;--skip-bg:#fff}
    body{background:#fff;color:#000;font-size:10.5pt}
    .wrap{max-width:none;padding:0}
    .banner,.banner.ready,.banner.not-ready,.banner.undecided{background:#fff;color:#000;border:2px solid var(--pass);border-left-width:12px;padding:8px 12px;border-radius:4px}
    .banner.not-ready{border-color:#b42318}.banner.undecided{border-color:#6f3196}
    .banner .verdict{color:var(--pass)}.banner.not-ready .verdict{color:#b42318}.banner.undecided .verdict{color:#6f3196}
    .banner code,.counts li{background:#fff;border-color:#999}
    .card{border:none;padding:0;margin:14pt 0}
    .badge{border:1px solid currentColor}
    details::details-content{content-visibility:visible;display:block}
    details:not([open])>*:not(summary){display:block}
    details.result>summary::before{content:none}
    details.result>summary,ul.attention li{grid-template-columns:54px 190px 100px 1fr;gap:8px;padding-left:4px}
    details.result{break-inside:avoid}
    .body{padding-left:62px}
    h2,h3{break-after:avoid}
    a{text-decoration:none}
    .scroll{overflow:visible}
    table.nics{font-size:9pt}
    table.nics td{white-space:normal;overflow-wrap:normal}
    table.nics td:nth-child(3){min-width:0}
    }

    """
}

/// Escaping for HTML text and attribute values.
public enum HTML {
    /// `s` safe as text or as a double- or single-quoted attribute value: the five markup characters as
    /// references, and every control character (but tab and newline) and non-character as a visible escape,
    /// so a hostile string shows what it is and never becomes markup or a parse error.
    public static func text(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(u)
            default:
                let v = u.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE {
                    out += v <= 0xFF ? "\\x" + hex(v, 2) : "\\u{\(hex(v, 4))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// `s` escaped, with `backquoted` spans shown as code (remediations and notes write commands that way).
    public static func inlineCode(_ s: String) -> String {
        let parts = s.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return text(s) }
        var out = ""
        for (i, p) in parts.enumerated() {
            if i % 2 == 1 && i < parts.count - 1 {
                out += "<code>" + text(String(p)) + "</code>"
            } else {
                // An unmatched last backquote stays a backquote.
                out += (i % 2 == 1 ? "`" : "") + text(String(p))
            }
        }
        return out
    }
}

/// The page's words, short.
private let W = HTMLReporter.Words.ui
