import Foundation
@testable import SRIOVPreflight
import Testing

/// promtool (Debian's prometheus package carries it): $SRIOV_PROMTOOL, `make promtool`'s copy under
/// .build/tools, or one on PATH. Nil when none: the promtool tests skip and say how to get it.
enum Promtool {
    static let path: String? = {
        let env = ProcessInfo.processInfo.environment
        var candidates = [env["SRIOV_PROMTOOL"], Paths.repo + "/.build/tools/prometheus/usr/bin/promtool"].compactMap { $0 }
        for dir in (env["PATH"] ?? "").split(separator: ":") { candidates.append("\(dir)/promtool") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let missing = "promtool not found: run `make promtool` (unpacks Debian's prometheus package into .build/tools) or set SRIOV_PROMTOOL; promtool tests skipped"

    /// nil when `promtool check metrics` accepts the text (exit 0, no lint problem); else what it said.
    static func check(_ text: String) throws -> String? {
        let r = try run([path!, "check", "metrics"], stdin: text)
        return r.status == 0 && r.out.isEmpty && r.err.isEmpty ? nil : "exit \(r.status): \(r.out)\(r.err)"
    }
}

@Suite("Prometheus metrics")
struct PrometheusTests {
    @Test("promtool check metrics accepts the metrics of every fixture host",
          .enabled(if: Promtool.path != nil, Comment(rawValue: Promtool.missing)), arguments: Paths.committedFixtureHosts)
    func promtool(_ host: String) throws {
        let text = PrometheusReporter().render(GoldenTests.document(host))
        let problem = try Promtool.check(text)
        #expect(problem == nil, "\(host): \(problem ?? "")")
    }

    /// A report whose strings are hostile: quotes, backslashes, line feeds, non-ASCII in every label.
    static func hostile() -> ReportDocument {
        var doc = GoldenTests.document("intel-igb-ready")
        doc.results[0].object = "we\"ird\\name\nline2 网卡"
        doc.results[1].id = "x\"y"
        doc.nics[0].name = "eth\"0\\"
        doc.nics[0].driver = "drv\n"
        doc.results.append(doc.results[2])   // the same check and object twice
        doc.results[doc.results.count - 1].status = .fail
        return doc
    }

    @Test("labels are escaped, a duplicate check and object gives one series (the worse status)")
    func escaping() throws {
        let text = PrometheusReporter().render(Self.hostile())
        #expect(text.contains(#"object="we\"ird\\name\nline2 网卡""#))
        #expect(text.contains(#"interface="eth\"0\\""#))
        #expect(text.contains(#"driver="drv\n""#))
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(Set(lines.map { $0.split(separator: " ").dropLast().joined(separator: " ") }).count == lines.count,
                "a series appears twice")
        let r = GoldenTests.document("intel-igb-ready").results[2]
        #expect(lines.contains { $0.contains("check=\"\(r.id)\",object=\"\(r.object)\"") && $0.contains("status=\"fail\"} 1") })
        if Promtool.path != nil {
            let problem = try Promtool.check(text)
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    @Test("every family has HELP and TYPE before its series, exactly once, and no sample carries a timestamp")
    func shape() {
        for host in Paths.committedFixtureHosts {
            let text = PrometheusReporter().render(GoldenTests.document(host))
            var seen: Set<String> = []
            var current = ""
            for line in text.split(separator: "\n") {
                let f = line.split(separator: " ")
                if line.hasPrefix("# HELP ") {
                    current = String(f[2])
                    #expect(!seen.contains(current), "\(host): \(current) twice")
                    seen.insert(current)
                } else if line.hasPrefix("# TYPE ") {
                    #expect(f[2] == current && f[3] == "gauge")
                } else {
                    let name = line.prefix { $0 != "{" && $0 != " " }
                    #expect(String(name) == current, "\(host): \(line) outside its family")
                    let rest = line.contains("{") ? line[line.lastIndex(of: "}")!...].dropFirst() : line.drop { $0 != " " }
                    #expect(rest.split(separator: " ").count == 1, "\(host): not one value (a timestamp?) in \(line)")
                    #expect(name.hasPrefix("sriov_preflight_") && !name.hasSuffix("_total"))
                }
            }
            #expect(seen.contains("sriov_preflight_check_status") && seen.contains("sriov_preflight_pf_vfs"))
        }
    }

    @Test("status is enum-style: for each check and object exactly one status series is 1")
    func oneHot() {
        let doc = GoldenTests.document("no-iommu")
        let text = PrometheusReporter().render(doc)
        let ones = text.split(separator: "\n").filter { $0.hasPrefix("sriov_preflight_check_status{") && $0.hasSuffix(" 1") }
        #expect(ones.count == doc.results.count)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("sriov_preflight_check_status{") }.count == doc.results.count * Status.allCases.count)
        #expect(text.contains("sriov_preflight_host_ready 0\n"))
        #expect(PrometheusReporter().render(GoldenTests.document("intel-igb-ready")).contains("sriov_preflight_host_ready 1\n"))
    }

    @Test("an atomic write: a reader polling the file sees the old metrics or the new ones, never a part")
    func atomicWrite() throws {
        let dir = temporaryDirectory("prom")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + PrometheusReporter.fileName
        // Two versions of very different sizes (a partial write of the long one would be caught).
        let short = PrometheusReporter().render(GoldenTests.document("no-iommu"))
        let long = String(repeating: PrometheusReporter().render(GoldenTests.document("bond-lacp-vfio")), count: 10)
        try FileOutput.write(short, to: path, durable: true)
        let tally = Tally()
        let reader = Thread {
            while !tally.stopped {
                guard let data = FileManager.default.contents(atPath: path) else { tally.add(missing: 1); continue }
                let s = String(decoding: data, as: UTF8.self)
                tally.add(reads: 1, long: s == long ? 1 : 0, torn: s == long || s == short ? 0 : 1)
            }
            tally.finish()
        }
        reader.start()
        for i in 0..<200 { try FileOutput.write(i % 2 == 0 ? long : short, to: path, durable: true) }
        tally.stop()
        tally.waitFinished()
        let r = tally.snapshot
        print("atomic write: 200 writes of \(long.utf8.count) / \(short.utf8.count) bytes; \(r.reads) reads, \(r.long) of the long version, \(r.torn) torn, \(r.missing) missing")
        #expect(r.torn == 0 && r.missing == 0, "\(r.torn) of \(r.reads) reads saw a partial file, \(r.missing) none")
        #expect(r.reads > 0)
        // No temporary file is left behind, and none is named *.prom (node_exporter would read it).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [PrometheusReporter.fileName])
        // Control, reported and not asserted (scheduling decides): the same reader against writes in place
        // (truncate, then 4 KiB at a time) does see partial files, so the reader above could have seen them.
        let control = Tally()
        let reader2 = Thread {
            while !control.stopped {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let s = String(decoding: data, as: UTF8.self)
                control.add(reads: 1, torn: s == long || s == short ? 0 : 1)
            }
            control.finish()
        }
        reader2.start()
        for i in 0..<100 {
            let bytes = Array((i % 2 == 0 ? long : short).utf8)
            let fd = open(path, O_WRONLY | O_TRUNC)
            var off = 0
            while off < bytes.count {
                let n = bytes[off..<min(off + 4096, bytes.count)].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                off += n
            }
            close(fd)
        }
        control.stop()
        control.waitFinished()
        print("atomic write control: 100 in-place writes; \(control.snapshot.reads) reads, \(control.snapshot.torn) saw a partial file")
    }
}

/// The metrics through the binary, and the systemd units that run it.
@Suite("Prometheus command line", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary),
                                            "run `swift build` first: .build/debug/sriov-preflight is missing"))
struct PrometheusCLITests {
    @Test("--textfile-dir, --prometheus and --format prometheus write the same metrics; the exit code is the verdict's")
    func outputs() throws {
        let host = Paths.fixtureHosts + "/no-iommu"
        let dir = temporaryDirectory("textfile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run([Paths.binary, "check", "--root", host, "--textfile-dir", dir, "--prometheus", dir + "/other.prom"])
        #expect(r.status == 1)
        let a = try String(contentsOfFile: dir + "/sriov_preflight.prom", encoding: .utf8)
        let b = try String(contentsOfFile: dir + "/other.prom", encoding: .utf8)
        #expect(a == b && a.contains("sriov_preflight_host_ready 0\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["other.prom", "sriov_preflight.prom"])
        let stdout = try run([Paths.binary, "check", "--root", host, "--format", "prometheus"])
        #expect(stdout.out.hasPrefix("# HELP sriov_preflight_build_info "))
        if Promtool.path != nil { #expect(try Promtool.check(a) == nil) }
        let missing = try run([Paths.binary, "check", "--root", host, "--textfile-dir", dir + "/no/such/dir"])
        #expect(missing.status == 64 && missing.err.contains("sriov_preflight.prom"))
    }

    @Test("systemd-analyze verify accepts the service and the timer under dist/systemd",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze missing: unit test skipped"))
    func units() throws {
        let dir = temporaryDirectory("units")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files: [String] = []
        for name in ["sriov-preflight-metrics.service", "sriov-preflight-metrics.timer"] {
            // verify wants ExecStart's program to exist: the built binary stands in for /usr/bin's.
            let text = try String(contentsOfFile: Paths.repo + "/dist/systemd/" + name, encoding: .utf8)
                .replacingOccurrences(of: "/usr/bin/sriov-preflight", with: Paths.binary)
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            files.append(dir + "/" + name)
        }
        let r = try run(["/usr/bin/systemd-analyze", "verify", "--man=no"] + files)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.out)\(r.err)")
        let service = try String(contentsOfFile: files[0], encoding: .utf8)
        #expect(service.contains("--textfile-dir ${TEXTFILE_DIR}") && service.contains("SuccessExitStatus=1 2"))
        #expect(service.contains("Environment=TEXTFILE_DIR=\(PrometheusReporter.debianTextfileDirectory)"))
        // The service's command line, run against a fixture host with its directories in a temporary one.
        let exec = service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") }!.dropFirst("ExecStart=".count)
        let argv = exec.replacingOccurrences(of: "${TEXTFILE_DIR}", with: dir)
            .replacingOccurrences(of: "/var/lib/sriov-preflight", with: dir)
            .split(separator: " ").map(String.init) + ["--root", Paths.fixtureHosts + "/no-iommu"]
        #expect(argv[0] == Paths.binary)
        let r2 = try run(argv)
        #expect(r2.status == 1, "\(r2.err)")
        #expect(FileManager.default.fileExists(atPath: dir + "/" + PrometheusReporter.fileName))
        #expect(FileManager.default.fileExists(atPath: dir + "/last.json"))
    }
}

/// Counters shared by the writer (the test) and the reader thread.
final class Tally: @unchecked Sendable {
    private let lock = NSCondition()
    private var reads = 0, long = 0, torn = 0, missing = 0
    private var stopFlag = false, finished = false
    var stopped: Bool { lock.lock(); defer { lock.unlock() }; return stopFlag }
    func stop() { lock.lock(); stopFlag = true; lock.unlock() }
    func add(reads r: Int = 0, long l: Int = 0, torn t: Int = 0, missing m: Int = 0) {
        lock.lock(); reads += r; long += l; torn += t; missing += m; lock.unlock()
    }
    func finish() { lock.lock(); finished = true; lock.broadcast(); lock.unlock() }
    func waitFinished() { lock.lock(); while !finished { lock.wait() }; lock.unlock() }
    var snapshot: (reads: Int, long: Int, torn: Int, missing: Int) {
        lock.lock(); defer { lock.unlock() }; return (reads, long, torn, missing)
    }
}
