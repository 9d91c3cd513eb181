import ArgumentParser
import SRIOVPreflight

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: tr(cli.collectAbstract),
        discussion: tr(cli.collectDiscussion))

    @OptionGroup var language: LanguageOptions

    @Flag(name: .long, help: ArgumentHelp(tr(cli.collectManifest)))
    var manifest = false

    func validate() throws {
        if !manifest { throw ValidationError(tr(cli.collectNothing)) }
    }

    func run() throws {
        print(CollectManifest.text(), terminator: "")
    }
}
