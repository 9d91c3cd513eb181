import ArgumentParser
import SRIOVPreflight

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "For hosts that cannot run this tool: what to collect from them (--manifest).",
        discussion: """
            --manifest prints, one per line, the root-relative glob patterns of the files the checks read. \
            Collect them on the host with its own tools (the Ansible collection's sriov.preflight.collect module \
            does), pack them as a .tar.gz with the paths relative to the root, and judge the archive anywhere with \
            `sriov-preflight check --bundle ARCHIVE`.
            """)

    @Flag(name: .long, help: "Print the list of paths (glob patterns) the checks read.")
    var manifest = false

    func validate() throws {
        if !manifest { throw ValidationError("nothing to do: give --manifest") }
    }

    func run() throws {
        print(CollectManifest.text(), terminator: "")
    }
}
