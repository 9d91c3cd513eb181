import ArgumentParser
import SRIOVPreflight

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr(cli.listAbstract))

    @OptionGroup var language: LanguageOptions

    @Option(name: .long, help: ArgumentHelp(tr(cli.formatTextJSON)))
    var format: OutputFormat = .text

    func run() throws {
        switch format {
        case .json: print(CheckDocs.catalogJSON().serialized(pretty: true), terminator: "")
        default: print(CheckDocs.catalogText(), terminator: "")
        }
    }
}
