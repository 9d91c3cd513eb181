import ArgumentParser
import SRIOVPreflight

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a saved JSON report again, as text, JSON, JUnit, Prometheus metrics or HTML (no host is read).",
        discussion: "The exit code is the one of the saved run (0 ready, 1 not ready, 2 undecided); 64 when the file is not a report this version reads.")

    @Option(name: .long, help: "The JSON report to read (written by `check --format json` or `--json`).")
    var from: String

    @Option(name: .long, help: "Report format on stdout (or --output): text, json, junit, prometheus, html.")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: "Write the report to FILE instead of stdout.")
    var output: String?

    @Flag(name: .long, help: "Never colour the text report.")
    var noColor = false

    func run() throws {
        let report: ReportDocument
        do {
            report = try ReportDocument.read(json: try FileInput.readText(from, limit: FileInput.reportLimit))
        } catch {
            printError("sriov-preflight report: \(from): \(error)")
            throw ExitCode(64)
        }
        let toTTY = output == nil || output == "-"
        let color = !noColor && toTTY && Terminal.supportsColor(fd: 1)
        try writeOutput(try format.reporter(color: color).render(report), to: output)
        throw ExitCode(report.summary.exitCode.rawValue)
    }
}
