import ArgumentParser
import SRIOVPreflight

struct SRIOVPreflightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sriov-preflight",
        abstract: tr(cli.rootAbstract),
        discussion: tr(cli.rootDiscussion) + "\n\n" + tr(cli.rootLanguage),
        version: Tool.version,
        subcommands: [CheckCommand.self, ReportCommand.self, AggregateCommand.self, CollectCommand.self, NICsCommand.self, FixCommand.self, BundleCommand.self, DecodeCommand.self, ListCommand.self, ExplainCommand.self, DocsCommand.self, DiffCommand.self],
        defaultSubcommand: CheckCommand.self)

    @OptionGroup var language: LanguageOptions
}

/// `--lang zh_CN|en`: main.swift takes it out of the arguments (before or after the subcommand) and sets the
/// language before ArgumentParser reads any help text; it is declared here too so that `--help` lists it.
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr(cli.langHelp), valueName: "zh_CN|en"))
    var lang: String?
}

/// The command line's texts in the chosen language (read after main.swift has applied `--lang`).
let cli = CLIStrings.ui

func tr(_ m: Msg, _ params: [String: String] = [:]) -> String { L10n.current(m, params) }

/// The waivers of `--waivers FILE` (none without it); a file that cannot be used ends the run with exit code
/// 64, `problem` saying why.
func loadWaivers(_ path: String?, problem: Msg) throws -> [Waiver] {
    guard let path else { return [] }
    do {
        return try WaiverFile.load(path)
    } catch {
        printError(tr(problem, ["problem": L10n.current.error("\(error)")]))
        throw ExitCode(64)
    }
}

/// Options every subcommand that reads a host shares.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr(cli.rootHelp)))
    var root: String = "/"

    func hostRoot() -> HostRoot { HostRoot.disk(root) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension ReportFormat: ExpressibleByArgument {}

func writeOutput(_ text: String, to path: String?, durable: Bool = false) throws {
    guard let path, path != "-" else {
        print(text, terminator: "")
        return
    }
    do {
        try FileOutput.write(text, to: path, durable: durable)
    } catch {
        throw ValidationError(tr(cli.cannotWrite, ["file": path, "problem": L10n.current.error("\(error)")]))
    }
}
