/// The command line's own texts: every subcommand's abstract and discussion, every option's help (what
/// `--help` shows; ArgumentParser's own words, USAGE:, OPTIONS:, "Show help information.", stay English), and
/// the messages the commands print themselves. Context `cli`. The executable reads them through
/// `L10n.current` after `--lang` is taken out of the arguments, so `--help` is in the chosen language.
public struct CLIStrings: Sendable {
    public static let ui = CLIStrings()

    // The root command.
    public let rootAbstract = Msg("Tells whether a Linux host is ready for SR-IOV NIC virtualization, and proves it.", context: "cli")
    public let rootDiscussion = Msg("Exit codes of `check`: 0 ready; 1 at least one check failed (with --strict, a warning too); 2 nothing failed but some check could not decide; 64 usage error (also: a --bundle that is not a readable .tar.gz or holds unsafe members).", context: "cli")
    public let rootLanguage = Msg("Language of the text output and of --help: --lang zh_CN|en (before or after the subcommand), else SRIOV_PREFLIGHT_LANG, LANGUAGE, LC_ALL, LC_MESSAGES, LANG. JSON, JUnit, Prometheus metrics, check ids and exit codes are the same in every language.", context: "cli")
    public let langHelp = Msg("Language of the text output and of --help: zh_CN or en (default: from the environment, see `sriov-preflight --help`).", context: "cli")
    public let rootHelp = Msg("Host root to read (a captured host or an unpacked bundle).", context: "cli")
    public let formatTextJSON = Msg("text or json.", context: "cli")
    public let noColorHelp = Msg("Never colour the text report.", context: "cli")
    public let reportFormatHelp = Msg("Report format on stdout (or --output): text, json, junit, prometheus, html.", context: "cli")
    public let reportOutputHelp = Msg("Write the report to FILE instead of stdout.", context: "cli")

    // check.
    public let checkAbstract = Msg("Check this host (or a captured host root) and report what is ready and what is not.", context: "cli")
    public let checkBundle = Msg("Replay a support bundle (.tar.gz written by `sriov-preflight bundle`).", context: "cli")
    public let checkJSON = Msg("Also write a JSON report to FILE.", context: "cli")
    public let checkJUnit = Msg("Also write a JUnit XML report to FILE.", context: "cli")
    public let checkPrometheus = Msg("Also write Prometheus metrics to FILE (atomically: temporary file beside it, fsync, rename).", context: "cli")
    public let checkTextfileDir = Msg("Also write Prometheus metrics to DIR/{file} for node_exporter's textfile collector.", context: "cli")
    public let checkTextfileDirMore = Msg("Debian's prometheus-node-exporter reads {dir}.", context: "cli")
    public let checkHTML = Msg("Also write a self-contained HTML report to FILE.", context: "cli")
    public let checkOnly = Msg("Run only these checks or categories (comma-separated).", context: "cli")
    public let checkIgnore = Msg("Ignore results: ID, ID@OBJECT or CATEGORY (comma-separated), or 'all'.", context: "cli")
    public let checkWaivers = Msg("Waive known exceptions listed in FILE (TOML: [[waiver]] check, justification, expires, who).", context: "cli")
    public let checkWaiversMore = Msg("A waived result keeps its status, is marked waived and does not count against readiness until the end (UTC) of its expires day; an expired waiver has no effect and gives a warning.", context: "cli")
    public let checkStrict = Msg("Warnings count as failures (exit 1; JUnit failures).", context: "cli")
    public let checkBundleAndRoot = Msg("--bundle and --root cannot be combined", context: "cli")
    public let checkWaiverFile = Msg("sriov-preflight check: --waivers {problem}", context: "cli")
    public let checkWarning = Msg("sriov-preflight check: warning: {warning}", context: "cli")

    // report.
    public let reportAbstract = Msg("Render a saved JSON report again, as text, JSON, JUnit, Prometheus metrics or HTML (no host is read).", context: "cli")
    public let reportDiscussion = Msg("The exit code is the one of the saved run (0 ready, 1 not ready, 2 undecided), counted again with --waivers; 64 when the file is not a report this version reads.", context: "cli")
    public let reportFrom = Msg("The JSON report to read (written by `check --format json` or `--json`), or a support bundle.", context: "cli")
    public let reportWaivers = Msg("Apply the waivers in FILE as `check --waivers` does, as of the saved run's time (replacing any it had).", context: "cli")
    public let reportWaiverFile = Msg("sriov-preflight report: --waivers {problem}", context: "cli")
    public let reportWarning = Msg("sriov-preflight report: warning: {warning}", context: "cli")

    // aggregate.
    public let aggregateAbstract = Msg("Merge many hosts' JSON reports into one fleet view: a check × host matrix, JSON, JUnit or HTML.", context: "cli")
    public let aggregateDiscussion = Msg("Each report's host name is its file name without .json (the Ansible collection writes results/HOST.json). A host named by --unreachable, a report file that is missing, and one that is not a report this version reads are listed as such, never dropped. Reports of other tool versions are accepted when they use the report schema this version reads (--versions same refuses them); another schema version is refused with the versions named. Exit codes: 0 every host ready; 1 a host not ready; 2 a host unreachable, missing, unreadable or undecided; 64 usage error.", context: "cli")
    public let aggregateReports = Msg("JSON reports (written by `check --format json` or `--json`).", context: "cli")
    public let aggregateFormat = Msg("Output format on stdout (or --output): text, json, junit, html (the host × check matrix as a self-contained page).", context: "cli")
    public let aggregateOutput = Msg("Write the fleet report to FILE instead of stdout.", context: "cli")
    public let aggregateUnreachable = Msg("Hosts the run could not reach (comma-separated; repeatable).", context: "cli")
    public let aggregateExpect = Msg("Hosts that must have a report (comma-separated; repeatable): one without is listed as missing.", context: "cli")
    public let aggregateVersions = Msg("Which reports to accept: schema (any tool version writing this report schema) or same (this tool version only).", context: "cli")
    public let aggregateNothing = Msg("give at least one report (or a host with --unreachable / --expect)", context: "cli")

    // collect.
    public let collectAbstract = Msg("For hosts that cannot run this tool: what to collect from them (--manifest).", context: "cli")
    public let collectDiscussion = Msg("--manifest prints, one per line, the root-relative glob patterns of the files the checks read. Collect them on the host with its own tools (the Ansible collection's sriov.preflight.collect module does), pack them as a .tar.gz with the paths relative to the root, and judge the archive anywhere with `sriov-preflight check --bundle ARCHIVE`.", context: "cli")
    public let collectManifest = Msg("Print the list of paths (glob patterns) the checks read.", context: "cli")
    public let collectNothing = Msg("nothing to do: give --manifest", context: "cli")

    // nics.
    public let nicsAbstract = Msg("One row per physical NIC: PCI address, model, driver, link, speed, bond, SR-IOV state, VFs.", context: "cli")

    // fix.
    public let fixAbstract = Msg("Show (and with --apply make) the changes that failed checks need; --undo reverts the last apply.", context: "cli")
    public let fixDiscussion = Msg("Without --apply nothing is changed: the plan lists every file with a unified diff and every runtime action. Every write is atomic, keeps the original's mode and owner, refuses symlinks, and is journalled with a backup under ROOT/var/lib/sriov-preflight/. Fixes: {fixes}.", context: "cli")
    public let fixIDs = Msg("Fix ids (default: every fix a failing check offers).", context: "cli")
    public let fixApply = Msg("Make the planned changes.", context: "cli")
    public let fixUndo = Msg("Revert the last applied plan from its journal.", context: "cli")
    public let fixAcceptUnsafe = Msg("Accept giving up interrupt isolation (needed to apply unsafe-interrupts).", context: "cli")
    public let fixVFs = Msg("PF=N: set a PF's VF count (PF by interface or PCI address); N=0 restores.", context: "cli")
    public let fixForce = Msg("Change the VF count even when VFs are in use; undo over later edits.", context: "cli")
    public let fixApplyAndUndo = Msg("--apply and --undo cannot be combined", context: "cli")
    public let fixUnknown = Msg("unknown fix '{id}' (fixes: {fixes})", context: "cli")
    public let fixVFsSyntax = Msg("--vfs takes PF=N, got '{spec}'", context: "cli")

    // bundle.
    public let bundleAbstract = Msg("Write a support bundle: the files the checks read, the reports and a manifest, as a .tar.gz.", context: "cli")
    public let bundleDiscussion = Msg("Replay it with `sriov-preflight check --bundle FILE`. With --redact, hostnames, MAC and IP addresses and serial numbers are replaced by tokens; the mapping is written to FILE.redaction-map.json beside the bundle, never into it.", context: "cli")
    public let bundleOutput = Msg("Bundle file to write (default: sriov-preflight-bundle.tar.gz).", context: "cli")
    public let bundleRedact = Msg("Replace hostnames, MAC/IP addresses and serial numbers by tokens.", context: "cli")
    public let bundleStep = Msg("bundle: {step}…", context: "cli")
    public let bundleWrote = Msg("wrote {file}: {files} files, {bytes} bytes in {ms} ms", context: "cli")
    public let bundleWroteUnreadable = Msg("wrote {file}: {files} files, {bytes} bytes in {ms} ms; {unreadable} unreadable (see MANIFEST.json)", context: "cli")
    public let bundleWroteMap = Msg("wrote {file}: {files} files, {bytes} bytes in {ms} ms; redaction map: {map}", context: "cli")
    public let bundleWroteUnreadableMap = Msg("wrote {file}: {files} files, {bytes} bytes in {ms} ms; {unreadable} unreadable (see MANIFEST.json); redaction map: {map}", context: "cli")

    // decode.
    public let decodeAbstract = Msg("A support engineer's view of the raw evidence: PCI capabilities, ACPI DMAR and IVRS tables.", context: "cli")
    public let decodePCIAbstract = Msg("The SR-IOV, ARI and ACS capabilities of each PCI function, as lspci -vvv shows them.", context: "cli")
    public let decodePCIDump = Msg("Read an `lspci -xxxx` dump instead of the host root.", context: "cli")
    public let decodeACPIAbstract = Msg("Decode ACPI DMAR or IVRS tables.", context: "cli")
    public let decodeDMARAbstract = Msg("Decode Intel VT-d DMAR tables (default: the host's own).", context: "cli")
    public let decodeIVRSAbstract = Msg("Decode AMD-Vi IVRS tables (default: the host's own).", context: "cli")
    public let decodeFiles = Msg("Table files (raw binary, as in /sys/firmware/acpi/tables, or acpidump text).", context: "cli")
    public let decodeNoTable = Msg("{file}: acpidump text holds no {table} table", context: "cli")
    public let cannotRead = Msg("cannot read {file}: {problem}", context: "cli")

    // list, explain, docs.
    public let listAbstract = Msg("Show the check catalog.", context: "cli")
    public let explainAbstract = Msg("Explain a check: why it matters, what it reads, how to fix it.", context: "cli")
    public let explainID = Msg("A check id (see `sriov-preflight list`).", context: "cli")
    public let explainUnknown = Msg("unknown check '{id}' (see `sriov-preflight list`)", context: "cli")
    public let docsAbstract = Msg("Write one Markdown page per check (the repository's checks/ folder), in English and in every language with a catalog (checks/zh_CN/).", context: "cli")
    public let docsOutput = Msg("Directory to write the pages to.", context: "cli")
    public let docsPot = Msg("Also write the gettext template (po/sriov-preflight.pot) to FILE.", context: "cli")
    public let docsWrote = Msg("wrote {count} pages to {dir}", context: "cli")
    public let docsNoCatalog = Msg("no {language} catalog found (run `make locale`): {dir} not written", context: "cli")
    public let docsWrotePot = Msg("wrote {count} msgids to {file}", context: "cli")

    // diff.
    public let diffAbstract = Msg("What changed between two reports (JSON reports or support bundles): of one host over time, or of two hosts.", context: "cli")
    public let diffDiscussion = Msg("Newly failing and fixed results, other changes, objects (NICs, VFs) that appeared or are gone, the NIC inventory, host facts (kernel, command line, CPU) and the checksums of firmware tables and boot configuration. Exit 1 when something newly fails, 0 otherwise, 64 when a file is not a report this version reads.", context: "cli")
    public let diffOld = Msg("The earlier report (JSON, or a bundle .tar.gz).", context: "cli")
    public let diffNew = Msg("The later report (JSON, or a bundle .tar.gz).", context: "cli")
    public let diffFormat = Msg("Format: text or json.", context: "cli")
    public let diffOutput = Msg("Write the diff to FILE instead of stdout.", context: "cli")

    // Messages of several commands.
    public let cannotWrite = Msg("cannot write {file}: {problem}", context: "cli")
    public let commandFileProblem = Msg("sriov-preflight {command}: {file}: {problem}", context: "cli")
    public let commandProblem = Msg("sriov-preflight {command}: {problem}", context: "cli")

    public var all: [Msg] { Mirror(reflecting: self).children.compactMap { $0.value as? Msg } }
}
