import ArgumentParser
import SRIOVPreflight

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: tr(cli.diffAbstract),
        discussion: tr(cli.diffDiscussion))

    @OptionGroup var language: LanguageOptions

    @Argument(help: ArgumentHelp(tr(cli.diffOld)))
    var old: String

    @Argument(help: ArgumentHelp(tr(cli.diffNew)))
    var new: String

    @Option(name: .long, help: ArgumentHelp(tr(cli.diffFormat)))
    var format: DiffFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp(tr(cli.diffOutput)))
    var output: String?

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        var docs: [ReportDocument] = []
        for path in [old, new] {
            do {
                docs.append(try ReportDocument.load(reportOrBundle: path))
            } catch {
                printError(tr(cli.commandFileProblem, ["command": "diff", "file": path, "problem": L10n.current.error("\(error)")]))
                throw ExitCode(64)
            }
        }
        let diff = ReportDiff(old: docs[0], new: docs[1], oldSource: old, newSource: new)
        try writeOutput(format == .json ? diff.json() : diff.text(), to: output)
        throw ExitCode(Int32(diff.exitCode))
    }
}
