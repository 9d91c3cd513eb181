import ArgumentParser
import SRIOVPreflight

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the check catalog.")

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        switch format {
        case .json: print(CheckDocs.catalogJSON().serialized(pretty: true), terminator: "")
        default: print(CheckDocs.catalogText(), terminator: "")
        }
    }
}
