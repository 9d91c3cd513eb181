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
    public let readInPart = Msg("read only in part:", context: "report")
    public let readInPartLine = Msg("{path}: the first {size} of {total} bytes")
    public let skippedFiles = Msg("skipped:", context: "report")
    public let waiverExpired = Msg("waiver {waiver} ({file} line {line}) expired on {expires}: it has no effect")
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
    // Why a fix is not needed: where the checks it answers stand ({status} is a status word, {message} the
    // result's message).
    public let fixStandingNotRun = Msg("{check} did not run (not selected)")
    public let fixStandingIgnored = Msg("{check} is ignored")
    public let fixStandingUnmended = Msg("{check} is {status}, but not in a way this fix mends: {message}")
    public let fixStandingStatus = Msg("{check} is {status}: {message}")
    public let listSeparator = Msg("; ", context: "list separator")
    // fix --apply / --undo.
    public let fixRestored = Msg("restored /{path}")
    public let fixRemovedCreated = Msg("removed /{path} (the fix had created it)")
    public let fixRan = Msg("ran: {command}")
    public let fixUndone = Msg("undone: {journal}")
    public let fixUndoNeedsRoot = Msg("undo needs root on the live host (files under /etc and /var/lib, sysfs writes, modprobe): nothing was changed; run with sudo")
    public let fixPermissionNote = Msg("note: {problems}\nrun `sriov-preflight fix --apply` as root (sudo)")
    public let fixPermissionFail = Msg("{problems}\nnothing was changed: run as root (sudo)")
    public let fixNeedRoot = Msg("these fixes need root:")
    public let fixCannotWrite = Msg("these fixes write where this user cannot:")
    public let fixStepFile = Msg("{change} /{path}")
    public let fixStepRun = Msg("run `{command}`")
    public let changeCreate = Msg("create", context: "file change")
    public let changeModify = Msg("modify", context: "file change")
    public let changeDelete = Msg("delete", context: "file change")
    public let fixStepJournal = Msg("keep its journal and backups under /{dir}/")
    public let fixRefusedApply = Msg("fix {id} refused: {why}")
    public let fixNothingChanged = Msg("nothing was changed")
    public let fixUnsafeNeedsFlag = Msg("fix {id} gives up interrupt isolation: re-run with --accept-unsafe-interrupts to apply it")
    public let fixNothingToChange = Msg("nothing to change: the host already has what the fixes would set")
    public let fixApplied = Msg("fix {id}: applied")
    public let fixAppliedReboot = Msg("fix {id}: applied (reboot required)")
    public let fixWrote = Msg("wrote /{path}")
    public let fixSkippedNotLive = Msg("skipped (not the live host): {command}")
    public let fixJournal = Msg("journal: {journal} (undo with: {command})")
    public let fixPlanned = Msg("{count} fix planned; nothing was changed (add --apply to make the changes)",
                                plural: "{count} fixes planned; nothing was changed (add --apply to make the changes)")

    // diff.
    public let diffOldSide = Msg("old: {source} — host {hostname}, {generated}, {tool}, {verdict} (exit {exit})")
    public let diffNewSide = Msg("new: {source} — host {hostname}, {generated}, {tool}, {verdict} (exit {exit})")
    public let diffNone = Msg("no differences (exit 0)")
    public let diffNotReported = Msg("(not reported)")
    public let diffAbsent = Msg("(absent)")
    public let diffStatusDisposition = Msg("{status} ({disposition})")
    public let dispositionIgnored = Msg("ignored", context: "disposition")
    public let dispositionWaived = Msg("waived", context: "disposition")
    public let diffWas = Msg("was: {value}")
    public let diffNow = Msg("now: {value}")
    public let diffNewlyFailing = Msg("Newly failing ({count})")
    public let diffFixed = Msg("Fixed ({count})")
    public let diffChanged = Msg("Changed ({count})")
    public let diffAppeared = Msg("Appeared ({count})")
    public let diffDisappeared = Msg("Disappeared ({count})")
    public let diffNICs = Msg("NICs ({count})")
    public let diffHostFacts = Msg("Host facts ({count})")
    public let diffFiles = Msg("Files ({count})")
    public let diffCheckedBy = Msg("checked by {checks}")
    public let diffSummary = Msg("{newly} newly failing, {fixed} fixed, {changed} changed, {appeared} appeared, {disappeared} disappeared, {facts} facts differ (exit {exit})")

    // aggregate (the fleet view).
    public let fleetHeader = Msg("{tool} — fleet of {count} host: {counts}", plural: "{tool} — fleet of {count} hosts: {counts}")
    public let fleetCountReady = Msg("{count} ready")
    public let fleetCountNotReady = Msg("{count} not ready")
    public let fleetCountUndecided = Msg("{count} undecided")
    public let fleetCountUnreachable = Msg("{count} unreachable")
    public let fleetCountMissing = Msg("{count} missing")
    public let fleetCountUnreadable = Msg("{count} unreadable")
    public let fleetVersions = Msg("reports written by {tool} {versions}")
    public let fleetMarks = Msg("marks: ✓ pass  ✗ fail  ! warn  – skip  E error  W ignored  · not run  ? no report")
    public let fleetTopFailing = Msg("Top failing checks")
    public let fleetFailingOf = Msg("{fail} of {total}: {hosts}")
    public let fleetMoreFailing = Msg("… and {count} more failing checks")
    public let fleetAndMore = Msg("{names}, … and {count} more")
    public let fleetNotReady = Msg("Not ready", context: "fleet heading")
    public let fleetProblem = Msg("{check}: {message}")
    public let fleetProblemFix = Msg("{check}: {message} — fix: {remediation}")
    public let fleetCouldNotDecide = Msg("could not decide {check}: {message}")
    public let fleetNoReport = Msg("No report")
    public let fleetAbsent = Msg("{state}", context: "fleet host")
    public let fleetAbsentSource = Msg("{state} ({source})")
    public let fleetAbsentProblem = Msg("{state}: {problem}")
    public let fleetAbsentSourceProblem = Msg("{state} ({source}): {problem}")
    public let stateUnreachable = Msg("unreachable", context: "host state")
    public let stateMissing = Msg("missing", context: "host state")
    public let stateUnreadable = Msg("unreadable", context: "host state")
    public let verdictUnreachable = Msg("UNREACHABLE", context: "verdict")
    public let verdictMissing = Msg("MISSING", context: "verdict")
    public let verdictUnreadable = Msg("UNREADABLE", context: "verdict")
    public let fleetVerdictLine = Msg("{verdict} (exit {exit})")
    public let fleetReady = Msg("FLEET READY: every host is ready")
    public let fleetNotReadyVerdict = Msg("FLEET NOT READY: {count} host not ready", plural: "FLEET NOT READY: {count} hosts not ready")
    public let fleetUndecided = Msg("FLEET UNDECIDED: {count} host(s) without a verdict")
    public let fleetHosts = Msg("Hosts", context: "fleet heading")
    public let fleetChecks = Msg("Checks", context: "fleet heading")
    public let fleetHostFail = Msg("{count} fail")
    public let fleetHostWarn = Msg("{count} warn")
    public let fleetHostError = Msg("{count} error")
    public let fleetHostCounts = Msg("({counts})")
    public let fleetColCheck = Msg("check", context: "fleet column")
    public let fleetColHost = Msg("host", context: "fleet column")
    public let fleetColVerdict = Msg("verdict", context: "fleet column")
    public let listComma = Msg(", ", context: "list separator")

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

    /// A result's message known only by its check id and English text (a diff, a fleet view): translated when
    /// one of the check's templates (or the engine's) renders it exactly, else as it is.
    public func message(id: String, english: String) -> String {
        guard !isEnglish else { return english }
        let templates = (Checks.named(id)?.description.messages.values.sorted() ?? []) + Engine.messages.values.sorted()
        for template in templates {
            if let p = MessageTemplate.match(template, english) { return MessageTemplate.render(text(template), p) }
        }
        return english
    }

    /// The English template of a published finding code (`<id>.<code>`), from the catalog.
    static func template(code: String, id: String) -> String? {
        guard code.hasPrefix(id + ".") else { return nil }
        let short = String(code.dropFirst(id.count + 1))
        return Checks.named(id)?.description.messages[short] ?? Engine.messages[short]
    }

    /// A warning about the run (an expired waiver) in this language: the English text as stored when no
    /// template renders it.
    public func warning(_ english: String) -> String {
        guard !isEnglish, let p = MessageTemplate.match(UIStrings.ui.waiverExpired.id, english) else { return english }
        return self(UIStrings.ui.waiverExpired, p)
    }

    /// A category heading (the id itself in English).
    public func category(_ id: String) -> String { text(id, context: "category") }
}
