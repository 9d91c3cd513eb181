import ArgumentParser
import SRIOVPreflight

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: tr(cli.checkAbstract))

    @OptionGroup var language: LanguageOptions

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: ArgumentHelp(tr(cli.checkBundle)))
    var bundle: String?

    @Option(name: .long, help: ArgumentHelp(tr(cli.reportFormatHelp)))
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp(tr(cli.reportOutputHelp)))
    var output: String?

    @Option(name: .long, help: ArgumentHelp(tr(cli.checkJSON)))
    var json: String?

    @Option(name: .long, help: ArgumentHelp(tr(cli.checkJUnit)))
    var junit: String?

    @Option(name: .long, help: ArgumentHelp(tr(cli.checkPrometheus)))
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp(
        tr(cli.checkTextfileDir, ["file": PrometheusReporter.fileName]),
        discussion: tr(cli.checkTextfileDirMore, ["dir": PrometheusReporter.debianTextfileDirectory]),
        valueName: "DIR"))
    var textfileDir: String?

    @Option(name: .long, help: ArgumentHelp(tr(cli.checkHTML)))
    var html: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(tr(cli.checkOnly)))
    var only: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp(tr(cli.checkIgnore)))
    var ignore: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        tr(cli.checkWaivers),
        discussion: tr(cli.checkWaiversMore),
        valueName: "FILE"))
    var waivers: String?

    @Flag(name: .long, help: ArgumentHelp(tr(cli.checkStrict)))
    var strict = false

    @Flag(name: .long, help: ArgumentHelp(tr(cli.noColorHelp)))
    var noColor = false

    func validate() throws {
        do {
            try selection.validate(Checks.all)
        } catch {
            throw ValidationError(L10n.current.error("\(error)"))
        }
        if bundle != nil && rootOptions.root != "/" {
            throw ValidationError(tr(cli.checkBundleAndRoot))
        }
    }

    var selection: Selection {
        Selection(only: only.flatMap(splitList), ignore: ignore.flatMap(splitList))
    }

    func run() throws {
        let waiverList = try loadWaivers(waivers, problem: cli.checkWaiverFile)
        var root = rootOptions.hostRoot()
        var unpacked: String?
        if let bundle {
            // Unpack into a temporary directory and read it as a host root; removed when the run ends.
            do {
                unpacked = try SupportBundle.unpack(bundle)
            } catch let e as BundleError {
                printError(tr(cli.commandProblem, ["command": "check", "problem": L10n.current.error("\(e)")]))
                throw ExitCode(64)
            }
            root = SupportBundle.root(ofUnpacked: unpacked!)
        }
        defer { if let unpacked { SupportBundle.removeTemporaryDirectory(unpacked) } }
        let run = Report.run(root: root, selection: selection, strict: strict, source: bundle != nil ? .bundle : nil)
        var report = run.0
        // The snapshot and, at the end, the report: freed by the process's exit, not object by object.
        KeptUntilExit.keep(run.1)
        if let waivers { report.apply(waiverList, file: waivers, now: report.timings.startedAt) }
        for w in report.warnings { printError(tr(cli.checkWarning, ["warning": L10n.current.warning(w)])) }
        let toTTY = output == nil || output == "-"
        let color = !noColor && toTTY && Terminal.supportsColor(fd: 1)
        let reporter = format.reporter(color: color)
        if toTTY {
            // Streamed: a big host's JSON report is written as it is rendered, never whole in memory.
            try FileOutput.standardOutput { try reporter.render(report, to: $0) }
        } else {
            try writeOutput(try reporter.render(report), to: output)
        }
        if let json { try writeOutput(try ReportFormat.json.reporter().render(report), to: json) }
        if let junit { try writeOutput(try ReportFormat.junit.reporter().render(report), to: junit) }
        for file in [prometheus, textfileDir.map { $0 + "/" + PrometheusReporter.fileName }].compactMap({ $0 }) {
            try writeOutput(PrometheusReporter().render(report), to: file, durable: true)
        }
        if let html { try writeOutput(try ReportFormat.html.reporter().render(report), to: html) }
        KeptUntilExit.keep(report)
        throw ExitCode(report.summary.exitCode.rawValue)
    }
}

func splitList(_ s: String) -> [String] {
    s.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
}
