import ArgumentParser
import SRIOVPreflight

struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: tr(cli.fixAbstract),
        discussion: tr(cli.fixDiscussion, ["fixes": FixID.allCases.map(\.rawValue).joined(separator: ", ")]))

    @OptionGroup var language: LanguageOptions

    @OptionGroup var rootOptions: RootOptions

    @Argument(help: ArgumentHelp(tr(cli.fixIDs)))
    var ids: [String] = []

    @Flag(name: .long, help: ArgumentHelp(tr(cli.fixApply)))
    var apply = false

    @Flag(name: .long, help: ArgumentHelp(tr(cli.fixUndo)))
    var undo = false

    @Flag(name: .long, help: ArgumentHelp(tr(cli.fixAcceptUnsafe)))
    var acceptUnsafeInterrupts = false

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(tr(cli.fixVFs)))
    var vfs: [String] = []

    @Flag(name: .long, help: ArgumentHelp(tr(cli.fixForce)))
    var force = false

    @Option(name: .long, help: ArgumentHelp(tr(cli.formatTextJSON)))
    var format: OutputFormat = .text

    func validate() throws {
        if apply && undo { throw ValidationError(tr(cli.fixApplyAndUndo)) }
        do {
            try request().validate()
        } catch {
            throw ValidationError(L10n.current.error("\(error)"))
        }
    }

    func request() throws -> FixRequest {
        let fixIDs = try ids.map { id -> FixID in
            guard let f = FixID(rawValue: id) else {
                throw ValidationError(tr(cli.fixUnknown, ["id": id, "fixes": FixID.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
            return f
        }
        let counts = try vfs.flatMap(splitList).map { spec -> (pf: String, count: Int) in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { throw ValidationError(tr(cli.fixVFsSyntax, ["spec": spec])) }
            return (parts[0], n)
        }
        return FixRequest(mode: undo ? .undo : (apply ? .apply : .plan), ids: fixIDs,
                          options: FixOptions(acceptUnsafeInterrupts: acceptUnsafeInterrupts, force: force, vfs: counts),
                          json: format == .json)
    }

    func run() throws {
        let out = FixSession.run(try request(), root: rootOptions.hostRoot(), base: rootOptions.root)
        print(out.stdout, terminator: "")
        if !out.stderr.isEmpty { printError(out.stderr) }
        if out.exitCode != 0 { throw ExitCode(out.exitCode) }
    }
}
