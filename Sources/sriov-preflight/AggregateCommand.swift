import ArgumentParser
import SRIOVPreflight

struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: tr(cli.aggregateAbstract),
        discussion: tr(cli.aggregateDiscussion))

    @OptionGroup var language: LanguageOptions

    @Argument(help: ArgumentHelp(tr(cli.aggregateReports)))
    var reports: [String] = []

    @Option(name: .long, help: ArgumentHelp(tr(cli.aggregateFormat)))
    var format: FleetFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp(tr(cli.aggregateOutput)))
    var output: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(tr(cli.aggregateUnreachable)))
    var unreachable: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp(tr(cli.aggregateExpect)))
    var expect: [String] = []

    @Option(name: .long, help: ArgumentHelp(tr(cli.aggregateVersions)))
    var versions: FleetVersionPolicy = .schema

    func validate() throws {
        if reports.isEmpty && unreachable.isEmpty && expect.isEmpty {
            throw ValidationError(tr(cli.aggregateNothing))
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
