import ArgumentParser
import SRIOVPreflight

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a check: why it matters, what it reads, how to fix it.")

    @Argument(help: "A check id (see `sriov-preflight list`).")
    var id: String

    func validate() throws {
        if Checks.named(id) == nil { throw ValidationError("unknown check '\(id)' (see `sriov-preflight list`)") }
    }

    func run() throws {
        print(CheckDocs.explain(Checks.named(id)!.description), terminator: "")
    }
}
