import ArgumentParser
import SRIOVPreflight

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Write one Markdown page per check (the repository's checks/ folder).")

    @Option(name: .long, help: "Directory to write the pages to.")
    var output: String = "checks"

    func run() throws {
        for (name, text) in CheckDocs.pages() {
            try FileOutput.write(text, to: output + "/" + name)
        }
        print("wrote \(Checks.all.count + 1) pages to \(output)/")
    }
}
