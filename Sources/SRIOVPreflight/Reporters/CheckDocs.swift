/// The catalog as text, JSON, `explain` output and the Markdown pages under checks/.
public enum CheckDocs {
    public static func catalogText(_ t: Translator = L10n.current) -> String {
        let w = Checks.all.map { $0.id.count }.max() ?? 10
        var out = ""
        for c in Checks.all {
            let d = c.description
            out += "\(d.id.rightPadded(w))  \(d.category.rightPadded(9))  \(t(UIStrings.ui.severity(d.severity)).displayPadded(7))  \(t.text(d.title))\n"
        }
        return out
    }

    public static func catalogJSON() -> JSON {
        .array(Checks.all.map { c in
            let d = c.description
            return .object([
                "id": .string(d.id), "title": .string(d.title), "category": .string(d.category),
                "severity": .string(d.severity.rawValue), "rationale": .string(d.rationale),
                "remediation": .string(d.remediation), "reads": .array(d.reads.map { .string($0) }),
                "fix": .str(d.fixID?.rawValue),
                // Published finding code → English template: what a translation table is keyed by.
                "messages": .object(Dictionary(uniqueKeysWithValues: d.messages.map { ("\(d.id).\($0.key)", JSON.string($0.value)) })),
            ])
        })
    }

    public static func explain(_ d: CheckDescription, _ t: Translator = L10n.current) -> String {
        let ui = UIStrings.ui
        var out = "\(d.id) — \(t.text(d.title))\n"
        let meta = ["category": t.category(d.category), "severity": t(ui.severity(d.severity)), "fix": d.fixID?.rawValue ?? ""]
        out += t(d.fixID == nil ? ui.explainMeta : ui.explainMetaFix, meta) + "\n\n"
        out += "\(t(ui.whyItMatters))\n  \(wrap(t.text(d.rationale), indent: 2))\n\n"
        out += t(ui.whatItReads) + "\n"
        for r in d.reads { out += "  - \(r)\n" }
        if let m = d.manualCheck.map({ t.text($0, context: "manual check") }) { out += "\n\(t(ui.byHand))\n" + m.split(separator: "\n").map { "  \($0)\n" }.joined() }
        out += "\n\(t(ui.howToFix))\n  \(wrap(t.text(d.remediation), indent: 2))\n"
        if let f = d.fixID?.rawValue { out += "  " + t(ui.fixCommand, ["fix": f]) + "\n" }
        if !d.messages.isEmpty {
            out += "\n" + t(ui.findingsHeading) + "\n"
            for (code, template) in d.messages.sorted(by: { $0.key < $1.key }) { out += "  \(d.id).\(code): \(t.text(template))\n" }
        }
        out += "\n" + t(ui.examplesHeading) + "\n"
        for e in d.examples {
            out += "  - \(e.expect.map(\.rawValue).sorted().joined(separator: "/")): \(e.name) (\(e.object))\n"
        }
        return out
    }

    /// File name → Markdown: one page per check and an index (README.md).
    /// In English by default (checks/); `docs` also writes checks/<lang>/ with a catalog's translator.
    public static func pages(_ t: Translator = .english) -> [(String, String)] {
        let ui = UIStrings.ui
        var out: [(String, String)] = []
        var index = "# \(t(ui.docsIndexTitle))\n\n\(t(ui.docsGenerated))\n\n"
        let when = ["root-unreadable": ui.docsWhenRootUnreadable, "not-captured": ui.docsWhenNotCaptured]
        let codes = Engine.messages.sorted(by: { $0.key < $1.key })
            .map { "`<id>.\($0.key)` (\"\(t.text($0.value))\") \(when[$0.key].map { t($0) } ?? "")" }.joined(separator: "; ")
        index += t(ui.docsIndexCodes, ["codes": codes]) + "\n\n"
        index += t(ui.docsIndexColumns) + "\n|---|---|---|---|\n"
        for c in Checks.all {
            let d = c.description
            index += "| [\(d.id)](\(d.id).md) | \(t.category(d.category)) | \(t(ui.severity(d.severity))) | \(t.text(d.title)) |\n"
            out.append(("\(d.id).md", markdown(d, t)))
        }
        out.append(("README.md", index))
        return out
    }

    public static func markdown(_ d: CheckDescription, _ t: Translator = .english) -> String {
        let ui = UIStrings.ui
        var md = "# `\(d.id)` — \(t.text(d.title))\n\n"
        md += "- \(t(ui.docsCategory, ["category": t.category(d.category)]))\n- \(t(ui.docsSeverity, ["severity": t(ui.severity(d.severity))]))\n"
        if let f = d.fixID?.rawValue { md += "- \(t(ui.docsFix, ["fix": f]))\n" }
        md += "\n## \(t(ui.whyItMatters))\n\n\(t.text(d.rationale))\n\n## \(t(ui.docsReads))\n\n"
        for r in d.reads { md += "- `\(r)`\n" }
        if let m = d.manualCheck.map({ t.text($0, context: "manual check") }) { md += "\n## \(t(ui.byHand))\n\n```\n\(m)\n```\n" }
        md += "\n## \(t(ui.howToFix))\n\n\(t.text(d.remediation))\n\n"
        if !d.messages.isEmpty {
            md += "## \(t(ui.docsFindings))\n\n\(t(ui.docsFindingsText))\n\n\(t(ui.docsFindingsColumns))\n|---|---|\n"
            for (code, template) in d.messages.sorted(by: { $0.key < $1.key }) {
                md += "| `\(d.id).\(code)` | \(t.text(template).replacing("|", with: "\\|")) |\n"
            }
            md += "\n"
        }
        md += "## \(t(ui.docsExamples))\n\n"
        md += t(ui.docsExamplesColumns) + "\n|---|---|---|\n"
        for e in d.examples {
            md += "| \(e.expect.map(\.rawValue).sorted().joined(separator: " / ")) | \(e.name) | \(e.object) |\n"
        }
        return md
    }

    static func wrap(_ text: String, indent: Int, width: Int = 96) -> String {
        var lines: [String] = []
        for para in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in para.split(separator: " ") {
                if line.displayWidth + DisplayWidth.of(word) + 1 > width - indent && !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                // A word wider than the line (a CJK sentence has no spaces) is cut at the column limit.
                var rest = String(word)
                while line.isEmpty && rest.displayWidth > width - indent {
                    let head = rest.displayPrefix(width - indent)
                    if head.isEmpty { break }
                    lines.append(head)
                    rest = String(rest.dropFirst(head.count))
                }
                line += line.isEmpty ? rest : " " + rest
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }
}
