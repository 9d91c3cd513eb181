import Foundation
@testable import SRIOVPreflight
import Testing

/// Fleet inputs built from the committed fixture hosts (their golden-fixed reports), plus hosts without
/// a usable report of every kind.
enum FleetFixtures {
    static let now = 1_767_225_600.0   // 2026-01-01T00:00:00Z

    static func input(_ host: String, as name: String? = nil) -> FleetInput {
        let doc = GoldenTests.document(host)
        let name = name ?? host
        return FleetInput(name: name, source: "results/\(name).json", sha256: SHA256.hex(Array(doc.json().utf8)),
                          outcome: .report(FleetReport(doc)))
    }

    /// The fixture hosts (the first `limit`), one unreachable, one missing, one unreadable (another schema version).
    static func mixed(limit: Int = .max) -> [FleetInput] {
        var inputs = Paths.committedFixtureHosts.prefix(limit).map { input($0) }
        inputs.append(FleetInput(name: "old-host", source: "results/old-host.json", sha256: String(repeating: "0", count: 64),
                                 outcome: .unreadable("report schema version 1 (written by sriov-preflight 0.1.0); this sriov-preflight 0.2.0 reads version 2")))
        inputs.append(FleetInput(name: "gone", source: "results/gone.json", outcome: .missing("no report file: No such file or directory")))
        return inputs
    }

    static func mixedFleet(limit: Int = .max) -> FleetDocument {
        FleetAggregator.build(mixed(limit: limit), unreachable: ["rack9-node4"], now: now)
    }

    /// 14 hosts: past the transposition threshold.
    static func wideFleet() -> FleetDocument {
        let hosts = Paths.committedFixtureHosts
        let inputs = (0..<14).map { i in input(hosts[i % hosts.count], as: "node-\(String(i + 1).leftPadded(2, "0"))") }
        return FleetAggregator.build(inputs, unreachable: ["node-15"], now: now)
    }
}

/// The golden fleet text matrices (`SRIOV_UPDATE_GOLDEN=1 swift test --filter Golden` refreshes them).
@Suite("Golden fleet matrix")
struct FleetGoldenTests {
    @Test("the text matrix of 8 fixture hosts + unreachable, missing and unreadable ones (hosts as columns) equals Tests/Golden/fleet-matrix.txt")
    func matrix() throws {
        let text = FleetTextReporter().render(FleetFixtures.mixedFleet(limit: 8))
        try GoldenTests.compare(text, "fleet-matrix.txt")
        #expect(text.contains("\nHosts\n") && !text.contains("\nChecks\n"), "11 hosts: hosts are columns")
    }

    @Test("past 12 hosts the matrix is transposed (hosts as rows): Tests/Golden/fleet-transposed.txt")
    func transposed() throws {
        let text = FleetTextReporter().render(FleetFixtures.wideFleet())
        try GoldenTests.compare(text, "fleet-transposed.txt")
        #expect(text.contains("  node-15 ") && text.contains("UNREACHABLE"))
    }
}

@Suite("Fleet aggregate")
struct FleetTests {
    @Test("every cell is the worst status of that check's results in the host's own report")
    func matrixEqualsReports() throws {
        let fleet = FleetFixtures.mixedFleet()
        for host in Paths.committedFixtureHosts {
            let doc = GoldenTests.document(host)
            var worst: [String: Status] = [:]
            for r in doc.results where !r.ignored { worst[r.id] = max(worst[r.id] ?? .pass, r.status) }
            for c in fleet.checks {
                let expected = worst[c.id].map { FleetCell(rawValue: $0.rawValue)! } ?? .absent
                #expect(fleet.matrix[c.id]?[host] == expected, "\(host) \(c.id)")
            }
            let h = try #require(fleet.hosts.first { $0.name == host })
            #expect(h.ready == doc.summary.ready && h.exitCode == Int(doc.summary.exitCode.rawValue))
            #expect(h.results.count == doc.results.count)
        }
        for c in fleet.checks {
            #expect(fleet.matrix[c.id]?["rack9-node4"] == .unknown)
            #expect(fleet.matrix[c.id]?["gone"] == .unknown)
        }
        #expect(fleet.checks.map(\.id) == Checks.all.map(\.id).filter { id in fleet.checks.contains { $0.id == id } })
    }

    @Test("hosts without a usable report are rows of their own, and the exit code is 2")
    func noReport() {
        let fleet = FleetFixtures.mixedFleet()
        let states = Dictionary(uniqueKeysWithValues: fleet.hosts.map { ($0.name, $0.state) })
        #expect(states["rack9-node4"] == .unreachable && states["gone"] == .missing && states["old-host"] == .unreadable)
        #expect(fleet.hosts.first { $0.name == "rack9-node4" }?.reachable == false)
        #expect(fleet.summary.unreachable == 1 && fleet.summary.missing == 1 && fleet.summary.unreadable == 1)
        #expect(fleet.summary.hosts == Paths.committedFixtureHosts.count + 3)
        #expect(fleet.exitCode == .undecided)
        #expect(fleet.hosts.map(\.name) == fleet.hosts.map(\.name).sorted())
    }

    @Test("exit code: 0 when every host is ready, 1 when one is not, 2 when one is missing or undecided")
    func exitCodes() {
        let ready = FleetFixtures.input("intel-igb-ready")
        let notReady = FleetFixtures.input("no-iommu")
        #expect(FleetAggregator.build([ready, FleetFixtures.input("intel-igb-ready", as: "b")], now: 0).exitCode == .ready)
        #expect(FleetAggregator.build([ready, notReady], now: 0).exitCode == .failed)
        #expect(FleetAggregator.build([ready, notReady], expected: ["c"], now: 0).exitCode == .undecided)
        #expect(FleetAggregator.build([], now: 0).exitCode == .undecided, "no host is no verdict")
        var undecided = GoldenTests.document("intel-igb-ready")
        undecided.results[0].status = .error
        undecided.summary = Summary(undecided.results, strict: false)
        let u = FleetAggregator.build([ready, FleetInput(name: "u", source: nil, outcome: .report(FleetReport(undecided)))], now: 0)
        #expect(u.exitCode == .undecided && u.summary.undecided == 1)
    }

    @Test("an unreachable host wins over a stale report file of the same name")
    func staleReport() {
        let fleet = FleetAggregator.build([FleetFixtures.input("intel-igb-ready", as: "a")], unreachable: ["a"], now: 0)
        #expect(fleet.hosts.count == 1 && fleet.hosts[0].state == .unreachable && fleet.hosts[0].results.isEmpty)
    }

    @Test("ignored results give W unless another result of the check counts; the worst counted status wins")
    func cells() {
        var h = FleetHost(name: "h", source: nil, state: .ready)
        func r(_ id: String, _ o: String, _ s: Status, ignored: Bool = false) -> FleetResult {
            FleetResult(id: id, object: o, status: s, ignored: ignored, code: "", message: "", category: "c", durationMs: 0)
        }
        h.results = [r("a.x", "p0", .pass), r("a.x", "p1", .warn), r("a.x", "p2", .fail, ignored: true),
                     r("b.x", "host", .fail, ignored: true), r("c.x", "p0", .skip), r("c.x", "p1", .error)]
        let cells = FleetAggregator.cells(h)
        #expect(cells == ["a.x": .warn, "b.x": .ignored, "c.x": .error])
    }

    @Test("report files: missing, not a report, another schema version, another tool version (accepted, or refused by --versions same)")
    func loading() throws {
        let dir = temporaryDirectory("fleet")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var doc = GoldenTests.document("intel-igb-ready")
        try doc.json().write(toFile: dir + "/cur.json", atomically: true, encoding: .utf8)
        doc.tool.version = "0.1.9"
        try doc.json().write(toFile: dir + "/older.json", atomically: true, encoding: .utf8)
        try #"{"schema_version": 1, "tool": {"name": "sriov-preflight", "version": "0.1.0"}}"#
            .write(toFile: dir + "/v1.json", atomically: true, encoding: .utf8)
        try "not json".write(toFile: dir + "/junk.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/adir.json", withIntermediateDirectories: true)
        let paths = ["cur", "older", "v1", "junk", "adir", "absent"].map { "\(dir)/\($0).json" }
        let loaded = FleetLoader.loadAll(paths)
        func outcome(_ name: String, _ list: [FleetInput]) -> FleetInput.Outcome { list.first { $0.name == name }!.outcome }
        guard case .report = outcome("cur", loaded), case .report = outcome("older", loaded) else {
            Issue.record("reports not read"); return
        }
        guard case .unreadable(let v1) = outcome("v1", loaded) else { Issue.record("v1 read"); return }
        #expect(v1.contains("schema version 1") && v1.contains("0.1.0") && v1.contains("reads version 2"), "\(v1)")
        guard case .unreadable = outcome("junk", loaded), case .unreadable(let d) = outcome("adir", loaded),
              case .missing = outcome("absent", loaded) else { Issue.record("junk, directory, absent"); return }
        #expect(d.contains("directory"))
        #expect(loaded[0].sha256 == SHA256.hex(Array(try String(contentsOfFile: paths[0], encoding: .utf8).utf8)))

        let same = FleetLoader.loadAll(paths, policy: .same)
        guard case .unreadable(let why) = outcome("older", same) else { Issue.record("older accepted by --versions same"); return }
        #expect(why.contains("0.1.9") && why.contains(Tool.version))

        let fleet = FleetAggregator.build(loaded, now: FleetFixtures.now)
        #expect(fleet.summary.toolVersions == [Tool.version: 1, "0.1.9": 1])
        #expect(FleetTextReporter().render(fleet).contains("reports written by sriov-preflight 0.1.9 (1), \(Tool.version) (1)"))
    }

    @Test("host names come from report file names", arguments: [
        ("results/node-a.json", "node-a"), ("node-a", "node-a"), ("/x/y/a.b.example.json", "a.b.example"),
        (".json", ".json"), ("", "unnamed"), ("dir/", "dir"),
    ])
    func hostNames(_ path: String, _ name: String) {
        #expect(FleetLoader.hostName(ofReport: path) == name)
    }

    @Test("fleet JSON validates against reports/fleet.schema.json and reads back to the same document")
    func jsonSchema() throws {
        var hostile = FleetFixtures.mixed()
        hostile.append(FleetFixtures.input("pf-driver-missing", as: "x<&>\u{01}\"é"))
        let docs = [FleetFixtures.mixedFleet(), FleetFixtures.wideFleet(), FleetAggregator.build(hostile, now: 0),
                    FleetAggregator.build([], unreachable: ["a"], now: 0)]
        let texts = try docs.map { try FleetJSONReporter().render($0) }
        #expect(try validateAgainstSchema(texts, schema: "fleet.schema.json") == nil)
        for (d, t) in zip(docs, texts) { #expect(try FleetDocument.read(json: t) == d) }
        #expect(throws: ReportDocument.ReadError.self) { try FleetDocument.read(json: #"{"schema": "sriov-preflight/fleet/9"}"#) }
    }

    @Test("a waived failure does not count in the fleet: the host is ready, its cell is not a failure, the fleet JUnit skips it as waived (full and lean reader alike)")
    func waivedFailure() throws {
        var doc = GoldenTests.document("no-iommu")
        let failing = Set(doc.results.filter { $0.status == .fail }.map(\.id)).sorted()
        #expect(!failing.isEmpty)
        doc.apply(failing.map { Waiver(check: $0, justification: "BIOS update due", expires: "2099-12-31", who: "ops") },
                  file: "waivers.toml", now: FleetFixtures.now)
        try #require(doc.summary.ready, "the waivers cover every failure of no-iommu")
        let text = doc.json()
        let lean = try Array(text.utf8).withUnsafeBytes { try FleetReport.read($0) }
        #expect(lean == FleetReport(doc))
        let input = FleetInput(name: "waived-host", source: "results/waived-host.json",
                               sha256: SHA256.hex(Array(text.utf8)), outcome: .report(lean))
        let fleet = FleetAggregator.build([FleetFixtures.input("intel-igb-ready"), input], now: FleetFixtures.now)
        #expect(fleet.summary.exitCode == .ready && fleet.summary.notReady == 0)
        let host = try #require(fleet.hosts.first { $0.name == "waived-host" })
        #expect(host.ready && host.counts?.waived == doc.summary.waived && host.counts?.fail == doc.summary.fail)
        for id in failing {
            #expect(fleet.matrix[id]?["waived-host"] != .fail, "\(id)")
            let counts = try #require(fleet.byCheck.first { $0.id == id })
            #expect(counts.fail == 0 && !counts.hostsFailing.contains("waived-host"), "\(id)")
        }
        #expect(host.results.filter(\.waived).count == doc.results.filter { $0.disposition == .waived }.count)
        #expect(FleetTextReporter.firstProblem(host, order: [:]) == nil)
        let xml = try FleetJUnitReporter().render(fleet)
        let suite = try #require(JUnitStructure.parse(xml)?.all("testsuite").first { $0.attributes["name"] == "waived-host" })
        #expect(suite.attributes["failures"] == "0")
        let skipped = suite.all("testcase").flatMap { $0.all("skipped") }.compactMap { $0.attributes["message"] }
        #expect(skipped.filter { $0.hasPrefix("waived: ") }.count == doc.results.filter { $0.disposition == .waived && $0.status != .pass && $0.status != .skip }.count)
        #expect(!FleetTextReporter().render(fleet).contains("waived-host:"), "no line for a ready host")
    }

    @Test("fleet JUnit: one testsuite per host, one testcase per result, an error testcase for a host without a report")
    func junitStructure() throws {
        let fleet = FleetFixtures.mixedFleet()
        let xml = try FleetJUnitReporter().render(fleet)
        #expect(JUnitStructure.problems(xml).isEmpty, "\(JUnitStructure.problems(xml))")
        let root = try #require(JUnitStructure.parse(xml))
        let suites = root.all("testsuite")
        #expect(suites.map { $0.attributes["name"] } == fleet.hosts.map(\.name))
        #expect(suites.map { $0.attributes["hostname"] } == fleet.hosts.map(\.name))
        #expect(suites.map { $0.attributes["id"] } == fleet.hosts.indices.map { String($0) })
        #expect(suites.allSatisfy { $0.attributes["package"] == "sriov-preflight" })
        for (s, h) in zip(suites, fleet.hosts) {
            if h.state.hasReport {
                #expect(s.all("testcase").count == h.results.count)
            } else {
                let cases = s.all("testcase")
                #expect(cases.count == 1 && cases[0].all("error").count == 1, "\(h.name)")
                #expect(cases[0].attributes["name"] == (h.state == .unreachable ? "host.reachable" : "host.report"))
            }
        }
    }

    @Test("fleet JUnit is valid under the Ant (windyroad) and Jenkins xunit XSDs from ../shared",
          .enabled(if: Paths.shared != nil, "\(Paths.sharedMissing): the JUnit XSDs are not in the repository, so XSD validation is skipped (the structural check still runs)"))
    func junitXSD() throws {
        let shared = try #require(Paths.shared)
        var hostile = FleetFixtures.mixed()
        hostile.append(FleetFixtures.input("pf-driver-missing", as: "x<&>\u{01}\"é"))
        for fleet in [FleetFixtures.mixedFleet(), FleetFixtures.wideFleet(), FleetAggregator.build(hostile, now: 0)] {
            let xml = try FleetJUnitReporter().render(fleet)
            for xsd in ReporterTests.schemas {
                let path = "\(shared)/schemas/junit/\(xsd)"
                try #require(FileManager.default.fileExists(atPath: path), "\(path) missing from ../shared")
                let problem = XMLSchemaValidator.validate(xml: xml, xsdPath: path)
                #expect(problem == nil, "fleet under \(xsd): \(problem ?? "")")
            }
        }
    }

    @Test("sriov-preflight aggregate: formats, --output, --unreachable, --expect, exit codes",
          .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary), "run `swift build` first: \(Paths.binary) missing"))
    func command() throws {
        let dir = temporaryDirectory("agg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for h in ["intel-igb-ready", "no-iommu"] {
            try GoldenTests.document(h).json().write(toFile: "\(dir)/\(h).json", atomically: true, encoding: .utf8)
        }
        let ready = try run([Paths.binary, "aggregate", "\(dir)/intel-igb-ready.json"])
        #expect(ready.status == 0 && ready.out.contains("FLEET READY"), "\(ready)")
        let both = try run([Paths.binary, "aggregate", "\(dir)/intel-igb-ready.json", "\(dir)/no-iommu.json"])
        #expect(both.status == 1 && both.out.contains("no-iommu") && both.out.contains("Not ready"), "\(both)")
        let gone = try run([Paths.binary, "aggregate", "\(dir)/intel-igb-ready.json", "--unreachable", "n4,n5",
                            "--expect", "intel-igb-ready,n6", "--format", "json", "--output", "\(dir)/fleet.json"])
        #expect(gone.status == 2, "\(gone)")
        let fleet = try FleetDocument.read(json: try String(contentsOfFile: "\(dir)/fleet.json", encoding: .utf8))
        #expect(fleet.hosts.map(\.name) == ["intel-igb-ready", "n4", "n5", "n6"])
        #expect(fleet.hosts.map(\.state) == [.ready, .unreachable, .unreachable, .missing])
        let junit = try run([Paths.binary, "aggregate", "--format", "junit", "\(dir)/no-iommu.json"])
        #expect(junit.status == 1 && junit.out.contains("<testsuite name=\"no-iommu\""))
        let usage = try run([Paths.binary, "aggregate"])
        #expect(usage.status == 64)
    }

    @Test("collect --manifest: root-relative patterns of what the checks read; without --manifest a usage error",
          .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary), "run `swift build` first: \(Paths.binary) missing"))
    func manifest() throws {
        let r = try run([Paths.binary, "collect", "--manifest"])
        #expect(r.status == 0)
        let patterns = r.out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(patterns == CollectManifest.patterns)
        for p in ["proc/cmdline", "sys/bus/pci/devices/*/config", "sys/bus/pci/devices/*/sriov_totalvfs",
                  "lib/modules/{release}/modules.alias", "var/log/dmesg", "sys/firmware/acpi/tables/DMAR"] {
            #expect(patterns.contains(p), "\(p)")
        }
        #expect(patterns.allSatisfy { !$0.hasPrefix("/") && !$0.contains("..") && !$0.contains(" ") })
        #expect(try run([Paths.binary, "collect"]).status == 64)
    }
}
