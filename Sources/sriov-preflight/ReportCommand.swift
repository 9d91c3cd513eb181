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

    func run() throws {
        let report: ReportDocument
        do {
            report = try ReportDocument.read(json: try FileInput.readText(from, limit: FileInput.reportLimit))
        } catch {
            printError(tr(cli.commandFileProblem, ["command": "report", "file": from, "problem": L10n.current.error("\(error)")]))
            throw ExitCode(64)
        }
        let toTTY = output == nil || output == "-"
        let color = !noColor && toTTY && Terminal.supportsColor(fd: 1)
        try writeOutput(try format.reporter(color: color).render(report), to: output)
        throw ExitCode(report.summary.exitCode.rawValue)
    }
}
