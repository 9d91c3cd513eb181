import ArgumentParser
import SRIOVPreflight

struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Merge many hosts' JSON reports into one fleet view: a check × host matrix, JSON, JUnit or HTML.",
        discussion: """
            Each report's host name is its file name without .json (the Ansible collection writes \
            results/HOST.json). A host named by --unreachable, a report file that is missing, and one that is \
            not a report this version reads are listed as such, never dropped. Reports of other tool versions \
            are accepted when they use the report schema this version reads (--versions same refuses them); \
            another schema version is refused with the versions named. Exit codes: 0 every host ready; 1 a \
            host not ready; 2 a host unreachable, missing, unreadable or undecided; 64 usage error.
            """)

    @Argument(help: "JSON reports (written by `check --format json` or `--json`).")
    var reports: [String] = []

    @Option(name: .long, help: "Output format on stdout (or --output): text, json, junit, html (the host × check matrix as a self-contained page).")
    var format: FleetFormat = .text

    @Option(name: [.short, .long], help: "Write the fleet report to FILE instead of stdout.")
    var output: String?

    @Option(name: .long, parsing: .singleValue, help: "Hosts the run could not reach (comma-separated; repeatable).")
    var unreachable: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: "Hosts that must have a report (comma-separated; repeatable): one without is listed as missing.")
    var expect: [String] = []

    @Option(name: .long, help: "Which reports to accept: schema (any tool version writing this report schema) or same (this tool version only).")
    var versions: FleetVersionPolicy = .schema

    func validate() throws {
        if reports.isEmpty && unreachable.isEmpty && expect.isEmpty {
            throw ValidationError("give at least one report (or a host with --unreachable / --expect)")
        }
    }

    func run() throws {
        let inputs = FleetLoader.loadAll(reports, policy: versions)
        let fleet = FleetAggregator.build(inputs, unreachable: unreachable.flatMap(splitList),
                                          expected: expect.flatMap(splitList), now: ReportDocument.wallClock())
        try writeOutput(try format.reporter().render(fleet), to: output)
        throw ExitCode(fleet.exitCode.rawValue)
    }
}

extension FleetFormat: ExpressibleByArgument {}
extension FleetVersionPolicy: ExpressibleByArgument {}
