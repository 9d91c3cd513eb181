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

    /// The options that take a value (the next argument), as declared above.
    static let valueOptions: Set<String> = ["--format", "--output", "-o", "--unreachable", "--expect", "--versions"]

    /// Report paths taken out of the command line before ArgumentParser sees it (`takeReports`).
    nonisolated(unsafe) static var taken: [String] = []

    /// Takes the report paths out of `aggregate`'s arguments: ArgumentParser copies its list of a repeated
    /// argument's values for every value it adds, so 10,000 report paths (a fleet's results/HOST.json) took it
    /// 2.5 s of quadratic copying. A report path is an argument that is neither an option (`-…`) nor the
    /// value of one of `valueOptions`, or any argument after `--`. Everything else goes to ArgumentParser as
    /// it was, so options, errors and help are unchanged.
    static func takeReports(from arguments: inout [String]) {
        guard arguments.first == configuration.commandName else { return }
        var kept = [arguments[0]]
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" {
                taken += arguments[(i + 1)...]
                break
            }
            if valueOptions.contains(a) {
                kept.append(a)
                if i + 1 < arguments.count { kept.append(arguments[i + 1]) }
                i += 2
                continue
            }
            if a.hasPrefix("-") { kept.append(a) } else { taken.append(a) }
            i += 1
        }
        arguments = kept
    }

    func validate() throws {
        if reports.isEmpty && Self.taken.isEmpty && unreachable.isEmpty && expect.isEmpty {
            throw ValidationError(tr(cli.aggregateNothing))
        }
    }

    func run() throws {
        let inputs = FleetLoader.loadAll(reports + Self.taken, policy: versions)
        let fleet = FleetAggregator.build(inputs, unreachable: unreachable.flatMap(splitList),
                                          expected: expect.flatMap(splitList), now: ReportDocument.wallClock())
        try writeOutput(try format.reporter().render(fleet), to: output)
        throw ExitCode(fleet.exitCode.rawValue)
    }
}

extension FleetFormat: ExpressibleByArgument {}
extension FleetVersionPolicy: ExpressibleByArgument {}
