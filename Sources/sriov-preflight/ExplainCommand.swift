import ArgumentParser
import SRIOVPreflight

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: tr(cli.explainAbstract))

    @OptionGroup var language: LanguageOptions

    @Argument(help: ArgumentHelp(tr(cli.explainID)))
    var id: String

    func validate() throws {
        if Checks.named(id) == nil { throw ValidationError(tr(cli.explainUnknown, ["id": id])) }
    }

    func run() throws {
        print(CheckDocs.explain(Checks.named(id)!.description), terminator: "")
    }
}
