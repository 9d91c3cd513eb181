/// The operator's report: grouped by category, one line per result, evidence and remediation under
/// what needs attention, a summary line. Colour only when asked (a terminal without NO_COLOR).
public struct TextReporter: Reporter {
    public var color: Bool
    /// The language of everything but ids, objects and evidence (`L10n.current` unless given).
    public var translator: Translator

    public init(color: Bool, translator: Translator = L10n.current) {
        self.color = color
        self.translator = translator
    }

    private var ui: UIStrings { UIStrings.ui }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func label(_ r: CheckResult) -> String {
        let text = translator(ui.status(r.status)).displayPadded(5)
        if r.disposition != .counted { return paint(text, "2") }
        switch r.status {
        case .pass: return paint(text, "32")
        case .warn: return paint(text, "33")
        case .fail: return paint(text, "1;31")
        case .skip: return paint(text, "2")
        case .error: return paint(text, "35")
        }
    }

    /// The sections printed after the results: the NIC table and the fix hint.
    func trailer(_ report: ReportDocument) -> [String] {
        var out: [String] = []
        if !report.nics.isEmpty {
            out.append(translator(ui.nicsHeading) + "\n" + NICTableRenderer.text(report.nics, translator: translator) + "\n")
        }
        let fixes = Set(report.results.filter { $0.disposition == .counted && ($0.status == .fail || $0.status == .warn) }.compactMap { $0.fix?.id.rawValue })
        if !fixes.isEmpty {
            out.append(translator.plural(ui.fixHint, fixes.count, ["ids": fixes.sorted().joined(separator: ", ")]))
        }
        // What the facts could read only in part, or not at all because of its name: said once, here.
        let cut = report.filesRead.filter(\.isCut)
        if !cut.isEmpty {
            out.append(translator(ui.readInPart) + "\n" + cut.map {
                "  " + translator(ui.readInPartLine, ["path": Self.oneLine($0.path), "size": String($0.size ?? 0), "total": String($0.fileSize ?? 0)])
            }.joined(separator: "\n"))
        }
        let skipped = report.filesRead.filter { $0.error?.hasPrefix(FSError.undecodableNamePrefix) == true }
        if !skipped.isEmpty {
            out.append(translator(ui.skippedFiles) + "\n" + skipped.map { "  \(Self.oneLine($0.path)): \(Self.oneLine($0.error ?? ""))" }.joined(separator: "\n"))
        }
        return out
    }

    public func render(_ report: ReportDocument) -> String {
        var out = ""
        let h = report.host
        out += paint("sriov-preflight \(report.tool.version)", "1")
        let host = ["hostname": h.hostname, "kernel": h.kernelRelease, "cpu": h.cpuVendor, "root": h.root]
        out += Self.oneLine(" — " + translator(h.root == "/" ? ui.header : ui.headerRoot, host)) + "\n"
        if !h.cmdline.isEmpty { out += translator(ui.cmdline, ["cmdline": Self.oneLine(h.cmdline)]) + "\n" }
        var categories: [String] = []
        for r in report.results where !categories.contains(r.category) { categories.append(r.category) }
        let idWidth = min(30, report.results.map { $0.id.count }.max() ?? 0)
        let objWidth = min(14, report.results.map { $0.object.count }.max() ?? 0)
        for cat in categories {
            out += "\n" + paint(translator.category(cat), "1") + "\n"
            for r in report.results where r.category == cat {
                var ign = r.ignored ? " " + translator(ui.ignored) : ""
                if let w = r.waiver {
                    let wp = ["justification": w.justification, "expires": w.expires, "who": w.who ?? ""]
                    ign += " " + Self.oneLine(translator(w.who == nil ? ui.waived : ui.waivedBy, wp))
                }
                out += "  \(label(r)) \(r.id.rightPadded(idWidth))  \(r.object.rightPadded(objWidth))  \(Self.oneLine(translator.message(r)))\(ign)\n"
                if r.status == .fail || r.status == .warn || r.status == .error {
                    for e in r.evidence {
                        var ev = ["source": e.source, "observed": Self.oneLine(e.observed)]
                        ev["expected"] = e.expected.map(Self.oneLine)
                        let line = "        " + translator(e.expected == nil ? ui.evidence : ui.expected, ev)
                        out += paint(line, "2") + "\n"
                    }
                    if r.status != .error && !r.remediation.isEmpty {
                        out += "        " + translator(ui.fixLine, ["remediation": Self.oneLine(translator.text(r.remediation))]) + "\n"
                    }
                }
            }
        }
        let s = report.summary
        out += "\n"
        for t in trailer(report) { out += t + (t.hasSuffix("\n") ? "" : "\n") }
        for w in report.warnings { out += paint(translator(ui.warningPrefix) + " ", "1;33") + Self.oneLine(translator.warning(w)) + "\n" }
        let verdict: String
        switch s.exitCode {
        case .ready: verdict = paint(translator(ui.ready), "1;32")
        case .failed: verdict = paint(translator(ui.notReady), "1;31")
        case .undecided: verdict = translator(ui.undecidedWhy, ["verdict": paint(translator(ui.undecided), "1;35")])
        case .usage: verdict = ""
        }
        let counts = ["verdict": verdict, "pass": String(s.pass), "warn": String(s.warn), "fail": String(s.fail),
                      "skip": String(s.skip), "error": String(s.error), "ignored": String(s.ignored),
                      "waived": String(s.waived), "exit": String(s.exitCode.rawValue)]
        let line = s.ignored > 0 ? (s.waived > 0 ? ui.summaryIgnoredWaived : ui.summaryIgnored) : (s.waived > 0 ? ui.summaryWaived : ui.summary)
        out += translator(line, counts) + "\n"
        return out
    }

    /// Control characters shown visibly so a hostile string cannot move the cursor.
    static func oneLine(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u == "\n" { out += " / " } else if u.value < 0x20 || u.value == 0x7F { out += "\\x" + hex(u.value, 2) } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
