import ArgumentParser
import SRIOVPreflight

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check this host (or a captured host root) and report what is ready and what is not.")

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: "Replay a support bundle (.tar.gz written by `sriov-preflight bundle`).")
    var bundle: String?

    @Option(name: .long, help: "Report format on stdout (or --output): text, json, junit, prometheus, html.")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: "Write the report to FILE instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Also write a JSON report to FILE.")
    var json: String?

    @Option(name: .long, help: "Also write a JUnit XML report to FILE.")
    var junit: String?

    @Option(name: .long, help: "Also write Prometheus metrics to FILE (atomically: temporary file beside it, fsync, rename).")
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp(
        "Also write Prometheus metrics to DIR/\(PrometheusReporter.fileName) for node_exporter's textfile collector.",
        discussion: "Debian's prometheus-node-exporter reads \(PrometheusReporter.debianTextfileDirectory).",
        valueName: "DIR"))
    var textfileDir: String?

    @Option(name: .long, help: "Also write a self-contained HTML report to FILE.")
    var html: String?

    @Option(name: .long, parsing: .singleValue, help: "Run only these checks or categories (comma-separated).")
    var only: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: "Ignore results: ID, ID@OBJECT or CATEGORY (comma-separated), or 'all'.")
    var ignore: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Waive known exceptions listed in FILE (TOML: [[waiver]] check, justification, expires, who).",
        discussion: "A waived result keeps its status, is marked waived and does not count against readiness until the end (UTC) of its expires day; an expired waiver has no effect and gives a warning.",
        valueName: "FILE"))
    var waivers: String?

    @Flag(name: .long, help: "Warnings count as failures (exit 1; JUnit failures).")
    var strict = false

    @Flag(name: .long, help: "Never colour the text report.")
    var noColor = false

    func validate() throws {
        do {
            try selection.validate(Checks.all)
        } catch {
            throw ValidationError("\(error)")
        }
        if bundle != nil && rootOptions.root != "/" {
            throw ValidationError("--bundle and --root cannot be combined")
        }
    }

    var selection: Selection {
        Selection(only: only.flatMap(splitList), ignore: ignore.flatMap(splitList))
    }

    func run() throws {
        var waiverList: [Waiver] = []
        if let waivers {
            do {
                waiverList = try WaiverFile.load(waivers)
            } catch {
                printError("sriov-preflight check: --waivers \(error)")
                throw ExitCode(64)
            }
        }
        var root = rootOptions.hostRoot()
        var unpacked: String?
        if let bundle {
            // Unpack into a temporary directory and read it as a host root; removed when the run ends.
            do {
                unpacked = try SupportBundle.unpack(bundle)
            } catch let e as BundleError {
                printError("sriov-preflight check: \(e)")
                throw ExitCode(64)
            }
            root = SupportBundle.root(ofUnpacked: unpacked!)
        }
        defer { if let unpacked { SupportBundle.removeTemporaryDirectory(unpacked) } }
        var (report, _) = Report.run(root: root, selection: selection, strict: strict,
                                     source: bundle != nil ? .bundle : nil)
        if let waivers { report.apply(waiverList, file: waivers, now: report.timings.startedAt) }
        for w in report.warnings { printError("sriov-preflight check: warning: \(w)") }
        let toTTY = output == nil || output == "-"
        let color = !noColor && toTTY && Terminal.supportsColor(fd: 1)
        try writeOutput(try format.reporter(color: color).render(report), to: output)
        if let json { try writeOutput(try ReportFormat.json.reporter().render(report), to: json) }
        if let junit { try writeOutput(try ReportFormat.junit.reporter().render(report), to: junit) }
        for file in [prometheus, textfileDir.map { $0 + "/" + PrometheusReporter.fileName }].compactMap({ $0 }) {
            try writeOutput(PrometheusReporter().render(report), to: file, durable: true)
        }
        if let html { try writeOutput(try ReportFormat.html.reporter().render(report), to: html) }
        throw ExitCode(report.summary.exitCode.rawValue)
    }
}

func splitList(_ s: String) -> [String] {
    s.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
}
