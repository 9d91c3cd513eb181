import ArgumentParser
import SRIOVPreflight

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two reports (JSON reports or support bundles): of one host over time, or of two hosts.",
        discussion: "Newly failing and fixed results, other changes, objects (NICs, VFs) that appeared or are gone, the NIC inventory, host facts (kernel, command line, CPU) and the checksums of firmware tables and boot configuration. Exit 1 when something newly fails, 0 otherwise, 64 when a file is not a report this version reads.")

    @Argument(help: "The earlier report (JSON, or a bundle .tar.gz).")
    var old: String

    @Argument(help: "The later report (JSON, or a bundle .tar.gz).")
    var new: String

    @Option(name: .long, help: "Format: text or json.")
    var format: DiffFormat = .text

    @Option(name: [.short, .long], help: "Write the diff to FILE instead of stdout.")
    var output: String?

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        var docs: [ReportDocument] = []
        for path in [old, new] {
            do {
                docs.append(try ReportDocument.load(reportOrBundle: path))
            } catch {
                printError("sriov-preflight diff: \(path): \(error)")
                throw ExitCode(64)
            }
        }
        let diff = ReportDiff(old: docs[0], new: docs[1], oldSource: old, newSource: new)
        try writeOutput(format == .json ? diff.json() : diff.text(), to: output)
        throw ExitCode(Int32(diff.exitCode))
    }
}
