import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SRIOVPreflight

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: tr(cli.bundleAbstract),
        discussion: tr(cli.bundleDiscussion))

    @OptionGroup var language: LanguageOptions

    @OptionGroup var rootOptions: RootOptions

    @Option(name: [.short, .long], help: ArgumentHelp(tr(cli.bundleOutput)))
    var output: String = "sriov-preflight-bundle.tar.gz"

    @Flag(name: .long, help: ArgumentHelp(tr(cli.bundleRedact)))
    var redact = false

    func run() throws {
        let tty = isatty(2) == 1
        let summary: SupportBundle.Summary
        do {
            summary = try SupportBundle.create(root: rootOptions.hostRoot(), output: output, redact: redact) { step in
                if tty { printError(tr(cli.bundleStep, ["step": step])) }
            }
        } catch let e as BundleError {
            printError(tr(cli.commandProblem, ["command": "bundle", "problem": L10n.current.error("\(e)")]))
            throw ExitCode(1)
        }
        var p = ["file": summary.output, "files": "\(summary.files)", "bytes": "\(summary.bytes)",
                 "ms": "\(Int(summary.durationMs.rounded()))", "unreadable": "\(summary.unreadable)"]
        if let map = summary.redactionMap { p["map"] = map }
        let m = summary.unreadable > 0
            ? (summary.redactionMap == nil ? cli.bundleWroteUnreadable : cli.bundleWroteUnreadableMap)
            : (summary.redactionMap == nil ? cli.bundleWrote : cli.bundleWroteMap)
        print(tr(m, p))
    }
}
