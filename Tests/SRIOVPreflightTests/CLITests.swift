import Foundation
import SRIOVPreflight
import Testing

/// The binary as a user runs it (built by `swift build` before `swift test`; `make test` does both).
@Suite("Command line", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary),
                                 "run `swift build` first: .build/debug/sriov-preflight is missing"))
struct CLITests {
    func materialize(_ host: ExampleHost) throws -> String {
        let dir = temporaryDirectory("host")
        for (path, node) in host.nodes {
            let full = dir + "/" + path
            let parent = (full as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            switch node {
            case .file(let b): try Data(b).write(to: URL(fileURLWithPath: full))
            case .link(let t): try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: t)
            case .directory: try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
            default: break
            }
        }
        return dir
    }

    @Test("exit codes: 0 ready, 1 fail, 2 undecided, 64 usage")
    func exitCodes() throws {
        let ready = try materialize(.intelWithNIC)
        let off = try materialize(.intelBIOSOff)
        defer { for d in [ready, off] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(try run([Paths.binary, "check", "--root", ready]).status == 0)
        #expect(try run([Paths.binary, "check", "--root", off]).status == 1)
        #expect(try run([Paths.binary, "check", "--root", "/nonexistent-root"]).status == 2)
        #expect(try run([Paths.binary, "check", "--root", off, "--ignore", "all"]).status == 0)
        #expect(try run([Paths.binary, "check", "--only", "no.such-check"]).status == 64)
        #expect(try run([Paths.binary, "check", "--format", "yaml"]).status == 64)
        #expect(try run([Paths.binary, "check", "--ignore", "all,cpu"]).status == 64)
    }

    @Test("--format, --output, --json and --junit write several reports at once")
    func outputs() throws {
        let off = try materialize(.intelBIOSOff)
        let out = temporaryDirectory("out")
        defer { for d in [off, out] { try? FileManager.default.removeItem(atPath: d) } }
        let r = try run([Paths.binary, "check", "--root", off, "--output", out + "/r.txt", "--json", out + "/r.json",
                         "--junit", out + "/r.xml"], env: ["NO_COLOR": "1"])
        #expect(r.status == 1)
        #expect(r.out.isEmpty)
        let text = try String(contentsOfFile: out + "/r.txt", encoding: .utf8)
        #expect(text.contains("NOT READY"))
        let json = try String(contentsOfFile: out + "/r.json", encoding: .utf8)
        #expect(try validateAgainstSchema([json]) == nil)
        let xml = try String(contentsOfFile: out + "/r.xml", encoding: .utf8)
        #expect(xml.hasPrefix("<?xml"))
        let stdoutJSON = try run([Paths.binary, "check", "--root", off, "--format", "json", "--json", out + "/same.json"])
        #expect(stdoutJSON.out.hasPrefix("{"))
        // Standard output is streamed as the report is rendered; the file is written whole: the same bytes.
        #expect(stdoutJSON.out == (try String(contentsOfFile: out + "/same.json", encoding: .utf8)))
    }

    @Test("report --from re-renders a saved report: JSON byte for byte, text and JUnit as the run wrote them, same exit code")
    func reportFrom() throws {
        let off = try materialize(.intelBIOSOff)
        let out = temporaryDirectory("out")
        defer { for d in [off, out] { try? FileManager.default.removeItem(atPath: d) } }
        let r = try run([Paths.binary, "check", "--root", off, "--output", out + "/r.txt", "--json", out + "/r.json",
                         "--junit", out + "/r.xml"], env: ["NO_COLOR": "1"])
        #expect(r.status == 1)
        for (format, file) in [("json", "r.json"), ("text", "r.txt"), ("junit", "r.xml")] {
            let again = try run([Paths.binary, "report", "--from", out + "/r.json", "--format", format], env: ["NO_COLOR": "1"])
            #expect(again.status == 1)
            #expect(again.out == (try String(contentsOfFile: out + "/" + file, encoding: .utf8)), "\(format)")
        }
        try "{\"schema_version\": 1}".write(toFile: out + "/old.json", atomically: true, encoding: .utf8)
        let old = try run([Paths.binary, "report", "--from", out + "/old.json"])
        #expect(old.status == 64 && old.err.contains("schema version 1"))
        let fifo = out + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let f = try run([Paths.binary, "report", "--from", fifo])
        #expect(f.status == 64 && f.err.contains("FIFO"))
    }

    @Test("list, explain")
    func catalog() throws {
        let list = try run([Paths.binary, "list", "--format", "json"])
        #expect(list.status == 0)
        let arr = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]]
        #expect(arr?.count == Checks.all.count)
        let text = try run([Paths.binary, "list"])
        #expect(text.out.contains("kernel.iommu-enabled"))
        let explain = try run([Paths.binary, "explain", "kernel.iommu-enabled"])
        #expect(explain.status == 0 && explain.out.contains("Why it matters"))
        #expect(try run([Paths.binary, "explain", "nope"]).status == 64)
    }

    /// As an unprivileged user (nobody, through util-linux's setpriv): the plan names what needs root, and
    /// `--apply` refuses before it changes anything.
    @Test("fix as a non-root user says which fixes need root and changes nothing",
          .enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and /usr/bin/setpriv to run the binary as nobody"))
    func fixAsNonRoot() throws {
        let host = try materialize(.intelNoIRHardware.file("proc/modules", "ixgbe 1 0 - Live 0x0\n"))
        defer { try? FileManager.default.removeItem(atPath: host) }
        _ = try run(["chmod", "-R", "a+rX,go-w", host])
        let before = FixTests.tree(host)
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Paths.binary]
        let plan = try run(asNobody + ["fix", "--root", host])
        #expect(plan.status == 0)
        #expect(plan.out.contains("fix unsafe-interrupts"))
        #expect(plan.err.contains("these fixes need root"))
        #expect(plan.err.contains("fix unsafe-interrupts: create /etc/modprobe.d/iommu_unsafe_interrupts.conf"))
        #expect(plan.err.contains("keep its journal and backups under /var/lib/sriov-preflight/"))
        let apply = try run(asNobody + ["fix", "--root", host, "--apply", "--accept-unsafe-interrupts", "unsafe-interrupts"])
        #expect(apply.status == 1)
        #expect(apply.err.contains("these fixes need root") && apply.err.contains("nothing was changed"))
        #expect(FixTests.tree(host) == before)
        // As root the same apply goes through.
        let asRoot = try run([Paths.binary, "fix", "--root", host, "--apply", "--accept-unsafe-interrupts", "unsafe-interrupts"])
        #expect(asRoot.status == 0, "\(asRoot.err)")
        #expect(FixTests.tree(host) != before)
    }
}
