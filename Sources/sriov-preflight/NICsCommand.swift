import ArgumentParser
import SRIOVPreflight

struct NICsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nics",
        abstract: tr(cli.nicsAbstract))

    @OptionGroup var language: LanguageOptions

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: ArgumentHelp(tr(cli.formatTextJSON)))
    var format: OutputFormat = .text

    func run() throws {
        let snapshot = HostSnapshot.collect(rootOptions.hostRoot())
        let rows = snapshot.nicTable
        switch format {
        case .json: print(try JSONCoding.serialize(rows), terminator: "")
        default: print(rows.isEmpty ? L10n.current(UIStrings.ui.noNICs) + "\n" : NICTableRenderer.text(rows), terminator: "")
        }
    }
}
