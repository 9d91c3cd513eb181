import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SRIOVPreflight

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: tr(cli.docsAbstract))

    @OptionGroup var language: LanguageOptions

    @Option(name: .long, help: ArgumentHelp(tr(cli.docsOutput)))
    var output: String = "checks"

    @Option(name: .long, help: ArgumentHelp(tr(cli.docsPot)))
    var pot: String?

    func run() throws {
        for (name, text) in CheckDocs.pages() {
            try FileOutput.write(text, to: output + "/" + name)
        }
        print(tr(cli.docsWrote, ["count": "\(Checks.all.count + 1)", "dir": output + "/"]))
        for language in L10n.catalogs {
            guard let t = L10n.translator(for: language, environment: L10n.processEnvironment()) else {
                printError(tr(cli.docsNoCatalog, ["language": language, "dir": "\(output)/\(language)/"]))
                continue
            }
            _ = mkdir(output + "/" + language, 0o755)
            for (name, text) in CheckDocs.pages(t) {
                try FileOutput.write(text, to: output + "/" + language + "/" + name)
            }
            print(tr(cli.docsWrote, ["count": "\(Checks.all.count + 1)", "dir": "\(output)/\(language)/"]))
        }
        if let pot {
            try FileOutput.write(POTemplate.text(), to: pot)
            print(tr(cli.docsWrotePot, ["count": "\(POTemplate.entries().count)", "file": pot]))
        }
    }
}
