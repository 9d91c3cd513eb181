import CLibXML2
import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("Reports")
struct ReporterTests {
    static let hostile = "a <tag> & \"quotes\" 'apos' \u{01}\u{07}\u{1B}[31m bell, NUL:\u{00}, U+FFFE:\u{FFFE}, ok: é ✓ 𝄞"

    /// Hosts that pass, fail, skip and error, and a report full of hostile text.
    static func reports() -> [(String, Report)] {
        var out: [(String, Report)] = []
        for (name, host) in [("ready", ExampleHost.intelReady), ("bios-off", ExampleHost.intelBIOSOff),
                             ("no-boot-config", ExampleHost.intelReady.removing("etc/default/grub")),
                             ("unreadable", ExampleHost.intelReady.unreadable("proc/cmdline").unreadable("proc/cpuinfo"))] {
            out.append((name, Report.run(root: host.root(), strict: name == "bios-off").0))
        }
        var (hostile, _) = Report.run(root: ExampleHost.intelBIOSOff.root(), selection: Selection(ignore: ["cpu"]))
        for i in hostile.results.indices {
            hostile.results[i].message = Self.hostile
            hostile.results[i].evidence.append(Evidence("x<y>&\u{02}", Self.hostile, expected: Self.hostile))
            hostile.results[i].remediation += Self.hostile
        }
        hostile.results[1].status = .skip
        hostile.results[2].status = .error
        hostile.results[3].status = .fail
        hostile.results[4].status = .warn
        hostile.host.hostname = "host\u{01}<&>"
        hostile.host.cmdline = Self.hostile
        out.append(("hostile", hostile))
        return out
    }

    @Test("JSON reports validate against reports/report.schema.json")
    func jsonSchema() throws {
        let docs = Self.reports().map { JSONReporter.render($0.1) }
        #expect(try validateAgainstSchema(docs) == nil)
        for d in docs {
            let obj = try JSONSerialization.jsonObject(with: Data(d.utf8)) as? [String: Any]
            #expect(obj?["schema_version"] as? Int == ReportDocument.currentSchemaVersion)
        }
        let hostile = JSONReporter.render(Self.reports().last!.1)
        #expect(hostile.contains("\\u0001") && hostile.contains("\\u0000"))
    }

    /// A report with the clock taken out: the run's start, its duration and every check's duration.
    static func timeless(_ r: Report) -> Report {
        var r = r
        r.timings = Timings(startedAt: 0, durationMs: 0, collectMs: 0, checksMs: 0)
        r.generatedAt = "1970-01-01T00:00:00Z"
        for i in r.results.indices { r.results[i].durationMs = 0 }
        return r
    }

    @Test("JSON: two independent runs of one host root give the same bytes, keys sorted")
    func jsonDeterministic() throws {
        let dir = temporaryDirectory("det")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelWithNIC.withBond("bond0", mode: "802.3ad 4", slaves: ["ens1f0", "eno1"]).materialize(at: dir)
        // Each run has its own HostRoot (its own caches), its own snapshot and its own checks' results.
        let first = JSONReporter.render(Self.timeless(Report.run(root: HostRoot.disk(dir)).0))
        let second = JSONReporter.render(Self.timeless(Report.run(root: HostRoot.disk(dir)).0))
        #expect(first == second)
        #expect(first.contains("\"bond.mode\"") && first.contains("0000:3b:00.0"), "the run saw the NIC and the bond")
        let keys = first.split(separator: "\n").prefix(while: { !$0.contains("\"host\"") }).compactMap { line -> String? in
            guard line.hasPrefix("  \"") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "\"" })
        }
        #expect(keys == keys.sorted())
    }

    @Test("JSON objects serialize the same whatever order their keys were inserted in")
    func jsonInsertionOrder() {
        let names = (0..<300).map { "k\(($0 * 7919) % 1000)" }
        var forward: [String: JSON] = [:]
        for (i, n) in names.enumerated() { forward[n] = .num(i) }
        var backward: [String: JSON] = [:]
        backward.reserveCapacity(8192)
        for n in names.reversed() { backward[n] = forward[n] }
        let nested = JSON.object(["b": .object(forward), "a": .array([.object(backward)])])
        let nestedBackward = JSON.object(["a": .array([.object(forward)]), "b": .object(backward)])
        #expect(JSON.object(forward).serialized() == JSON.object(backward).serialized())
        #expect(nested.serialized() == nestedBackward.serialized())
        #expect(nested.serialized(pretty: false) == nestedBackward.serialized(pretty: false))
        let order = JSON.object(forward).serialized().split(separator: "\n").compactMap { l -> String? in
            l.hasPrefix("  \"") ? String(l.dropFirst(3).prefix { $0 != "\"" }) : nil
        }
        #expect(order == names.sorted() && order.count == 300)
    }

    static let schemas: [String] = ["windyroad-JUnit.xsd", "jenkins-xunit-junit-10.xsd"]

    /// What the two JUnit XSDs of ../shared say against `xml` (`XSD: message`); empty when valid, or without
    /// ../shared (the in-repo structural check, `JUnitStructure`, still runs).
    static func xsdProblems(_ xml: String) -> [String] {
        guard let shared = Paths.shared else { return [] }
        return schemas.compactMap { xsd in
            XMLSchemaValidator.validate(xml: xml, xsdPath: "\(shared)/schemas/junit/\(xsd)").map { "\(xsd): \($0)" }
        }
    }

    @Test("JUnit reports are well-formed and have the structure both public XSDs ask for (libxml2, in-repo)",
          arguments: reports().map(\.0))
    func junit(_ name: String) throws {
        let report = Self.reports().first { $0.0 == name }!.1
        let xml = try JUnitReporter.render(report)
        let problems = JUnitStructure.problems(xml)
        #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "\n"))\n\(xml)")
        // the counts agree with the report itself
        let counts = JUnitStructure.totals(xml)
        #expect(counts?.tests == report.results.count, "\(name)")
    }

    @Test("the in-repo JUnit structure check catches broken reports")
    func junitStructureCatches() throws {
        let xml = try JUnitReporter.render(Self.reports()[1].1)
        #expect(JUnitStructure.problems(xml).isEmpty)
        for broken in [xml.replacingOccurrences(of: "<testsuites>", with: "<testsuitez>"),
                       xml.replacingOccurrences(of: "classname=\"sriov-preflight.kernel\"", with: "classname=\"x\""),
                       xml.replacingOccurrences(of: "<failure type=\"fail\"", with: "<failure"),
                       xml.replacingOccurrences(of: " tests=\"", with: " tests=\"9"),
                       xml.replacingOccurrences(of: "<system-err/>", with: ""),
                       String(xml.dropLast(20))] {
            #expect(!JUnitStructure.problems(broken).isEmpty, "\(broken)")
        }
    }

    @Test("JUnit reports are valid under the Ant (windyroad) and Jenkins xunit XSDs from ../shared",
          .enabled(if: Paths.shared != nil, "\(Paths.sharedMissing): the JUnit XSDs are not in the repository, so XSD validation is skipped (the structural check still runs)"),
          arguments: reports().map(\.0))
    func junitXSD(_ name: String) throws {
        let shared = try #require(Paths.shared)
        let xml = try JUnitReporter.render(Self.reports().first { $0.0 == name }!.1)
        for xsd in Self.schemas {
            let path = "\(shared)/schemas/junit/\(xsd)"
            try #require(FileManager.default.fileExists(atPath: path), "\(path) missing from ../shared")
            let problem = XMLSchemaValidator.validate(xml: xml, xsdPath: path)
            #expect(problem == nil, "\(name) under \(xsd): \(problem ?? "")\n\(xml)")
        }
    }

    @Test("JUnit maps statuses: fail → failure, error → error, skip → skipped, warn → skipped unless strict")
    func junitMapping() throws {
        let r = Self.reports().last!.1
        let xml = try JUnitReporter.render(r)
        #expect(xml.contains("<failure type=\"fail\""))
        #expect(xml.contains("<error type=\"error\""))
        #expect(xml.contains("<skipped message=\"warn: "))
        #expect(xml.contains("<skipped message=\"ignored: "))
        #expect(xml.contains("classname=\"sriov-preflight.kernel\""))
        #expect(xml.contains("name=\"kernel.iommu-enabled[host]\""))
        #expect(xml.contains("\\u{0001}") && !xml.contains("\u{01}"))
        var strict = r
        strict.strict = true
        #expect(try JUnitReporter.render(strict).contains("<failure type=\"warn\""))
    }

    @Test("text report: categories, evidence under failures, summary, no colour unless asked")
    func text() {
        let r = Self.reports()[1].1
        let plain = TextReporter(color: false).render(r)
        #expect(plain.contains("\nfirmware\n"))
        #expect(plain.contains("FAIL  firmware.iommu-table"))
        #expect(plain.contains("sys/firmware/acpi/tables: no DMAR, no IVRS"))
        #expect(plain.contains("NOT READY:"))
        #expect(!plain.contains("\u{1B}["))
        #expect(TextReporter(color: true).render(r).contains("\u{1B}[1;31m"))
        let hostile = TextReporter(color: false).render(Self.reports().last!.1)
        #expect(!hostile.contains("\u{1B}[31m"), "control characters must be shown, not sent to the terminal")
    }

    @Test("exit codes derive from results")
    func exitCodes() {
        func summary(_ statuses: [Status], strict: Bool = false) -> ExitCode {
            Summary(statuses.map { CheckResult(status: $0, message: "") }, strict: strict).exitCode
        }
        #expect(summary([.pass, .skip, .warn]) == .ready)
        #expect(summary([.pass, .warn], strict: true) == .failed)
        #expect(summary([.pass, .error]) == .undecided)
        #expect(summary([.error, .fail]) == .failed)
    }
}
