import ArgumentParser
import SRIOVPreflight

struct SRIOVPreflightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sriov-preflight",
        abstract: "Tells whether a Linux host is ready for SR-IOV NIC virtualization, and proves it.",
        discussion: """
            Exit codes of `check`: 0 ready; 1 at least one check failed (with --strict, a warning too); \
            2 nothing failed but some check could not decide; 64 usage error (also: a --bundle that is \
            not a readable .tar.gz or holds unsafe members).
            """,
        version: Tool.version,
        subcommands: [CheckCommand.self, ReportCommand.self, AggregateCommand.self, CollectCommand.self, NICsCommand.self, FixCommand.self, BundleCommand.self, DecodeCommand.self, ListCommand.self, ExplainCommand.self, DocsCommand.self, DiffCommand.self],
        defaultSubcommand: CheckCommand.self)
}

/// Options every subcommand that reads a host shares.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: "Host root to read (a captured host or an unpacked bundle).")
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
        throw ValidationError("cannot write \(path): \(error)")
    }
}
