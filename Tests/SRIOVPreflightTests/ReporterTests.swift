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

    @Test("JSON keys are sorted and the output is deterministic")
    func jsonDeterministic() {
        let r = Self.reports()[1].1
        #expect(JSONReporter.render(r) == JSONReporter.render(r))
        let text = JSONReporter.render(r)
        let keys = text.split(separator: "\n").prefix(while: { !$0.contains("\"host\"") }).compactMap { line -> String? in
            guard line.hasPrefix("  \"") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "\"" })
        }
        #expect(keys == keys.sorted())
    }

    static let schemas: [String] = ["windyroad-JUnit.xsd", "jenkins-xunit-junit-10.xsd"]

    @Test("JUnit reports are well-formed, and valid under both public XSDs",
          arguments: reports().map(\.0))
    func junit(_ name: String) throws {
        let report = Self.reports().first { $0.0 == name }!.1
        let xml = try JUnitReporter.render(report)
        var bytes = Array(xml.utf8)
        let doc = bytes.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { xmlReadMemory($0, Int32(b.count), "r.xml", "UTF-8", 0) }
        }
        #expect(doc != nil, "not well-formed:\n\(xml)")
        xmlFreeDoc(doc)
        guard let shared = Paths.shared else { return }
        for xsd in Self.schemas {
            let problem = XMLSchemaValidator.validate(xml: xml, xsdPath: "\(shared)/schemas/junit/\(xsd)")
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
