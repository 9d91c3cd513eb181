/// Every people-facing text of the reporters and commands that is not part of a check's description: one
/// stored property each, so the .pot extraction (a Mirror over `UIStrings()`) cannot miss one.
/// A msgid is a whole sentence with `{name}` placeholders; translated fragments are never concatenated.
public struct UIStrings: Sendable {
    public static let ui = UIStrings()
    /// Looked up to see whether gettext serves the catalog.
    static var probe: Msg { ui.ready }

    // Text report.
    public let header = Msg("host {hostname}, kernel {kernel}, CPU {cpu}")
    public let headerRoot = Msg("host {hostname}, kernel {kernel}, CPU {cpu}, root {root}")
    public let cmdline = Msg("cmdline: {cmdline}")
    public let ignored = Msg("(ignored)")
    public let expected = Msg("{source}: {observed} (expected: {expected})")
    public let evidence = Msg("{source}: {observed}")
    public let fixLine = Msg("fix: {remediation}")
    public let nicsHeading = Msg("NICs")
    public let fixHint = Msg("run `sriov-preflight fix` to see {count} available fix ({ids})",
                             plural: "run `sriov-preflight fix` to see {count} available fixes ({ids})")
    public let summary = Msg("{verdict}: {pass} pass, {warn} warn, {fail} fail, {skip} skip, {error} error (exit {exit})")
    public let summaryIgnored = Msg("{verdict}: {pass} pass, {warn} warn, {fail} fail, {skip} skip, {error} error, {ignored} ignored (exit {exit})")
    public let summaryWaived = Msg("{verdict}: {pass} pass, {warn} warn, {fail} fail, {skip} skip, {error} error, {waived} waived (exit {exit})")
    public let summaryIgnoredWaived = Msg("{verdict}: {pass} pass, {warn} warn, {fail} fail, {skip} skip, {error} error, {ignored} ignored, {waived} waived (exit {exit})")
    public let waived = Msg("(waived: {justification}; until {expires})")
    public let waivedBy = Msg("(waived: {justification}; until {expires}, {who})")
    public let warningPrefix = Msg("warning:", context: "report")
    public let ready = Msg("READY", context: "verdict")
    public let notReady = Msg("NOT READY", context: "verdict")
    public let undecided = Msg("UNDECIDED", context: "verdict")
    public let undecidedWhy = Msg("{verdict} (some checks could not run)")
    public let statusPass = Msg("PASS", context: "status")
    public let statusWarn = Msg("WARN", context: "status")
    public let statusFail = Msg("FAIL", context: "status")
    public let statusSkip = Msg("SKIP", context: "status")
    public let statusError = Msg("ERROR", context: "status")

    // Category headings (the ids stay what --only takes).
    public let catCPU = Msg("cpu", context: "category")
    public let catFirmware = Msg("firmware", context: "category")
    public let catKernel = Msg("kernel", context: "category")
    public let catIR = Msg("ir", context: "category")
    public let catVFIO = Msg("vfio", context: "category")
    public let catSRIOV = Msg("sriov", context: "category")
    public let catNIC = Msg("nic", context: "category")
    public let catBond = Msg("bond", context: "category")

    // Severity words (explain, list, docs).
    public let sevError = Msg("error", context: "severity")
    public let sevWarning = Msg("warning", context: "severity")
    public let sevInfo = Msg("info", context: "severity")

    // NIC table (`nics` and the text report).
    public let colNIC = Msg("NIC", context: "nics column")
    public let colPCI = Msg("PCI", context: "nics column")
    public let colModel = Msg("MODEL", context: "nics column")
    public let colDriver = Msg("DRIVER", context: "nics column")
    public let colLink = Msg("LINK", context: "nics column")
    public let colSpeed = Msg("SPEED", context: "nics column")
    public let colBond = Msg("BOND", context: "nics column")
    public let colSRIOV = Msg("SR-IOV", context: "nics column")
    public let colVFs = Msg("VFS FREE/ON (MAX)", context: "nics column")
    public let linkUp = Msg("up", context: "link")
    public let linkDown = Msg("down", context: "link")
    public let linkNoNetdev = Msg("no netdev", context: "link")
    public let stateSplit = Msg("split (已虚拟化)", context: "SR-IOV state")
    public let stateSplittable = Msg("splittable (可虚拟化)", context: "SR-IOV state")
    public let stateNotSplittable = Msg("not splittable (不可虚拟化)", context: "SR-IOV state")
    public let noNICs = Msg("no physical NICs found")

    // explain.
    public let explainMeta = Msg("category: {category}, severity: {severity}")
    public let explainMetaFix = Msg("category: {category}, severity: {severity}, fix: {fix}")
    public let whyItMatters = Msg("Why it matters")
    public let whatItReads = Msg("What it reads (relative to --root)")
    public let byHand = Msg("Check it by hand")
    public let howToFix = Msg("How to fix")
    public let fixCommand = Msg("`sriov-preflight fix {fix}` shows the change; add --apply to make it.")
    public let findingsHeading = Msg("Findings (code: message, {name} stands for a value)")
    public let examplesHeading = Msg("Examples the test suite runs")

    // Check pages (checks/*.md).
    public let docsIndexTitle = Msg("Checks")
    public let docsGenerated = Msg("Generated by `sriov-preflight docs` from the check descriptions; do not edit by hand.")
    public let docsIndexCodes = Msg("Each page lists the check's finding codes (`<id>.<code>`) with their message templates. Any check can also give {codes}.")
    public let docsWhenRootUnreadable = Msg("when the host root itself cannot be read")
    public let docsWhenNotCaptured = Msg("when a capture (not the live host) lacks what the check needs: absence from a capture is never a verdict")
    public let docsIndexColumns = Msg("| id | category | severity | title |")
    public let docsCategory = Msg("Category: {category}")
    public let docsSeverity = Msg("Severity: {severity}")
    public let docsFix = Msg("Fix: `{fix}` (`sriov-preflight fix {fix}`)")
    public let docsReads = Msg("What it reads")
    public let docsFindings = Msg("Findings")
    public let docsFindingsText = Msg("Every result carries one of these codes; its message is the template with each `{name}` replaced by the result's param of that name (`params` in the JSON report).")
    public let docsFindingsColumns = Msg("| code | message |")
    public let docsExamples = Msg("Example hosts (run by the test suite)")
    public let docsExamplesColumns = Msg("| expected | example | object |")

    // fix plans.
    public let fixNotNeeded = Msg("fix {id}: not needed — {why}")
    public let fixRefused = Msg("fix {id}: REFUSED — {why}")
    public let fixPlanTitle = Msg("fix {id}: {title}")
    public let fixAnswers = Msg("answers: {results}")
    public let fixNote = Msg("note: {note}")
    public let fixRequires = Msg("requires: {flag} with --apply")
    public let fixRun = Msg("run: {command}    # {why}")
    public let fixRunLiveOnly = Msg("run (live host only; skipped here): {command}    # {why}")
    public let fixReboot = Msg("reboot required: yes")
    public let fixNoReboot = Msg("reboot required: no")
    public let fixNothing = Msg("nothing to change")
    public let fixPlanned = Msg("{count} fix planned; nothing was changed (add --apply to make the changes)",
                                plural: "{count} fixes planned; nothing was changed (add --apply to make the changes)")

    /// Every message above, in declaration order.
    public var all: [Msg] { Mirror(reflecting: self).children.compactMap { $0.value as? Msg } }

    public func status(_ s: Status) -> Msg {
        switch s {
        case .pass: return statusPass
        case .warn: return statusWarn
        case .fail: return statusFail
        case .skip: return statusSkip
        case .error: return statusError
        }
    }

    public func severity(_ s: Severity) -> Msg {
        switch s {
        case .error: return sevError
        case .warning: return sevWarning
        case .info: return sevInfo
        }
    }

    public func state(_ s: NICRow.SRIOVState) -> Msg {
        switch s {
        case .split: return stateSplit
        case .splittable: return stateSplittable
        case .notSplittable: return stateNotSplittable
        }
    }
}

extension Translator {
    /// A result's message in this language: its finding's template, translated and filled with its params.
    /// The English message as stored when the template is not this version's (a report from another version).
    public func message(_ r: CheckResult) -> String {
        guard !isEnglish, let template = Self.template(code: r.code, id: r.id),
              MessageTemplate.render(template, r.params) == r.message else { return r.message }
        return MessageTemplate.render(text(template), r.params)
    }

    /// The English template of a published finding code (`<id>.<code>`), from the catalog.
    static func template(code: String, id: String) -> String? {
        guard code.hasPrefix(id + ".") else { return nil }
        let short = String(code.dropFirst(id.count + 1))
        return Checks.named(id)?.description.messages[short] ?? Engine.messages[short]
    }

    /// A category heading (the id itself in English).
    public func category(_ id: String) -> String { text(id, context: "category") }
}
