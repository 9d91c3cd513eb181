import ArgumentParser
import SRIOVPreflight

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: tr(cli.reportAbstract),
        discussion: tr(cli.reportDiscussion))

    @OptionGroup var language: LanguageOptions

    @Option(name: .long, help: ArgumentHelp(tr(cli.reportFrom)))
    var from: String

    @Option(name: .long, help: ArgumentHelp(tr(cli.reportFormatHelp)))
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp(tr(cli.reportOutputHelp)))
    var output: String?

    @Flag(name: .long, help: ArgumentHelp(tr(cli.noColorHelp)))
    var noColor = false

    @Option(name: .long, help: ArgumentHelp(tr(cli.reportWaivers), valueName: "FILE"))
    var waivers: String?

    func run() throws {
        let waiverList = try loadWaivers(waivers, problem: cli.reportWaiverFile)
        var report: ReportDocument
        do {
            // A JSON report, or the report.json a support bundle carries.
            report = try ReportDocument.load(reportOrBundle: from)
        } catch {
            printError(tr(cli.commandFileProblem, ["command": "report", "file": from, "problem": L10n.current.error("\(error)")]))
            throw ExitCode(64)
        }
        if let waivers {
            // The waivers of this file replace any the saved run had; their expiry is judged at the run's start.
            report.apply(waiverList, file: waivers, now: report.timings.startedAt)
            for w in report.warnings { printError(tr(cli.reportWarning, ["warning": L10n.current.warning(w)])) }
        }
        let toTTY = output == nil || output == "-"
        let color = !noColor && toTTY && Terminal.supportsColor(fd: 1)
        try writeOutput(try format.reporter(color: color).render(report), to: output)
        throw ExitCode(report.summary.exitCode.rawValue)
    }
}
