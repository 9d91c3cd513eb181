import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SRIOVPreflight

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write one Markdown page per check (the repository's checks/ folder), in English and in every language with a catalog (checks/zh_CN/).")

    @Option(name: .long, help: "Directory to write the pages to.")
    var output: String = "checks"

    @Option(name: .long, help: "Also write the gettext template (po/sriov-preflight.pot) to FILE.")
    var pot: String?

    func run() throws {
        for (name, text) in CheckDocs.pages() {
            try FileOutput.write(text, to: output + "/" + name)
        }
        print("wrote \(Checks.all.count + 1) pages to \(output)/")
        for language in L10n.catalogs {
            guard let t = L10n.translator(for: language, environment: L10n.processEnvironment()) else {
                printError("no \(language) catalog found (run `make locale`): \(output)/\(language)/ not written")
                continue
            }
            _ = mkdir(output + "/" + language, 0o755)
            for (name, text) in CheckDocs.pages(t) {
                try FileOutput.write(text, to: output + "/" + language + "/" + name)
            }
            print("wrote \(Checks.all.count + 1) pages to \(output)/\(language)/")
        }
        if let pot {
            try FileOutput.write(POTemplate.text(), to: pot)
            print("wrote \(POTemplate.entries().count) msgids to \(pot)")
        }
    }
}
