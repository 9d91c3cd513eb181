/// The operator's report: grouped by category, one line per result, evidence and remediation under
/// what needs attention, a summary line. Colour only when asked (a terminal without NO_COLOR).
public struct TextReporter: Reporter {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func label(_ r: CheckResult) -> String {
        let text = r.status.rawValue.uppercased().rightPadded(5)
        if r.ignored || r.waiver != nil { return paint(text, "2") }
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
            out.append("NICs\n" + NICTableRenderer.text(report.nics) + "\n")
        }
        let fixes = Set(report.results.filter { !$0.ignored && ($0.status == .fail || $0.status == .warn) }.compactMap { $0.fix?.id.rawValue })
        if !fixes.isEmpty {
            out.append("run `sriov-preflight fix` to see \(fixes.count) available fix\(fixes.count == 1 ? "" : "es") (\(fixes.sorted().joined(separator: ", ")))")
        }
        // What the facts could read only in part, or not at all because of its name: said once, here.
        let cut = report.filesRead.filter(\.isCut)
        if !cut.isEmpty {
            out.append("read only in part:\n" + cut.map { "  \(Self.oneLine($0.path)): the first \($0.size ?? 0) of \($0.fileSize ?? 0) bytes" }
                .joined(separator: "\n"))
        }
        let skipped = report.filesRead.filter { $0.error?.hasPrefix(FSError.undecodableNamePrefix) == true }
        if !skipped.isEmpty {
            out.append("skipped:\n" + skipped.map { "  \(Self.oneLine($0.path)): \(Self.oneLine($0.error ?? ""))" }.joined(separator: "\n"))
        }
        return out
    }

    public func render(_ report: ReportDocument) -> String {
        var out = ""
        let h = report.host
        out += paint("sriov-preflight \(report.tool.version)", "1")
        out += Self.oneLine(" — host \(h.hostname), kernel \(h.kernelRelease), CPU \(h.cpuVendor)")
        out += h.root == "/" ? "\n" : Self.oneLine(", root \(h.root)") + "\n"
        if !h.cmdline.isEmpty { out += "cmdline: \(Self.oneLine(h.cmdline))\n" }
        var categories: [String] = []
        for r in report.results where !categories.contains(r.category) { categories.append(r.category) }
        let idWidth = min(30, report.results.map { $0.id.count }.max() ?? 0)
        let objWidth = min(14, report.results.map { $0.object.count }.max() ?? 0)
        for cat in categories {
            out += "\n" + paint(cat, "1") + "\n"
            for r in report.results where r.category == cat {
                var ign = r.ignored ? " (ignored)" : ""
                if let w = r.waiver {
                    ign += Self.oneLine(" (waived: \(w.justification); until \(w.expires)\(w.who.map { ", \($0)" } ?? ""))")
                }
                out += "  \(label(r)) \(r.id.rightPadded(idWidth))  \(r.object.rightPadded(objWidth))  \(Self.oneLine(r.message))\(ign)\n"
                if r.status == .fail || r.status == .warn || r.status == .error {
                    for e in r.evidence {
                        var line = "        \(e.source): \(Self.oneLine(e.observed))"
                        if let x = e.expected { line += " (expected: \(Self.oneLine(x)))" }
                        out += paint(line, "2") + "\n"
                    }
                    if r.status != .error && !r.remediation.isEmpty {
                        out += "        fix: \(Self.oneLine(r.remediation))\n"
                    }
                }
            }
        }
        let s = report.summary
        out += "\n"
        for t in trailer(report) { out += t + (t.hasSuffix("\n") ? "" : "\n") }
        var parts = ["\(s.pass) pass", "\(s.warn) warn", "\(s.fail) fail", "\(s.skip) skip", "\(s.error) error"]
        if s.ignored > 0 { parts.append("\(s.ignored) ignored") }
        if s.waived > 0 { parts.append("\(s.waived) waived") }
        for w in report.warnings { out += paint("warning: ", "1;33") + Self.oneLine(w) + "\n" }
        let verdict: String
        switch s.exitCode {
        case .ready: verdict = paint("READY", "1;32")
        case .failed: verdict = paint("NOT READY", "1;31")
        case .undecided: verdict = paint("UNDECIDED", "1;35") + " (some checks could not run)"
        case .usage: verdict = ""
        }
        out += "\(verdict): \(parts.joined(separator: ", ")) (exit \(s.exitCode.rawValue))\n"
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
