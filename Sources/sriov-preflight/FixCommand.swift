import ArgumentParser
import SRIOVPreflight

struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Show (and with --apply make) the changes that failed checks need; --undo reverts the last apply.",
        discussion: """
            Without --apply nothing is changed: the plan lists every file with a unified diff and every runtime \
            action. Every write is atomic, keeps the original's mode and owner, refuses symlinks, and is \
            journalled with a backup under ROOT/var/lib/sriov-preflight/. Fixes: \
            \(FixID.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @OptionGroup var rootOptions: RootOptions

    @Argument(help: "Fix ids (default: every fix a failing check offers).")
    var ids: [String] = []

    @Flag(name: .long, help: "Make the planned changes.")
    var apply = false

    @Flag(name: .long, help: "Revert the last applied plan from its journal.")
    var undo = false

    @Flag(name: .long, help: "Accept giving up interrupt isolation (needed to apply unsafe-interrupts).")
    var acceptUnsafeInterrupts = false

    @Option(name: .long, parsing: .singleValue, help: "PF=N: set a PF's VF count (PF by interface or PCI address); N=0 restores.")
    var vfs: [String] = []

    @Flag(name: .long, help: "Change the VF count even when VFs are in use; undo over later edits.")
    var force = false

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if apply && undo { throw ValidationError("--apply and --undo cannot be combined") }
        do {
            try request().validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func request() throws -> FixRequest {
        let fixIDs = try ids.map { id -> FixID in
            guard let f = FixID(rawValue: id) else {
                throw ValidationError("unknown fix '\(id)' (fixes: \(FixID.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return f
        }
        let counts = try vfs.flatMap(splitList).map { spec -> (pf: String, count: Int) in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { throw ValidationError("--vfs takes PF=N, got '\(spec)'") }
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
