import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SRIOVPreflight

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write a support bundle: the files the checks read, the reports and a manifest, as a .tar.gz.",
        discussion: """
            Replay it with `sriov-preflight check --bundle FILE`. With --redact, hostnames, MAC and IP \
            addresses and serial numbers are replaced by tokens; the mapping is written to \
            FILE.redaction-map.json beside the bundle, never into it.
            """)

    @OptionGroup var rootOptions: RootOptions

    @Option(name: [.short, .long], help: "Bundle file to write (default: sriov-preflight-bundle.tar.gz).")
    var output: String = "sriov-preflight-bundle.tar.gz"

    @Flag(name: .long, help: "Replace hostnames, MAC/IP addresses and serial numbers by tokens.")
    var redact = false

    func run() throws {
        let tty = isatty(2) == 1
        let summary: SupportBundle.Summary
        do {
            summary = try SupportBundle.create(root: rootOptions.hostRoot(), output: output, redact: redact) { step in
                if tty { printError("bundle: \(step)…") }
            }
        } catch let e as BundleError {
            printError("sriov-preflight bundle: \(e)")
            throw ExitCode(1)
        }
        var line = "wrote \(summary.output): \(summary.files) files, \(summary.bytes) bytes"
        line += " in \(Int(summary.durationMs.rounded())) ms"
        if summary.unreadable > 0 { line += "; \(summary.unreadable) unreadable (see MANIFEST.json)" }
        if let map = summary.redactionMap { line += "; redaction map: \(map)" }
        print(line)
    }
}
