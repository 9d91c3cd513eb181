import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("Report document")
struct ReportDocumentTests {
    @Test("JSON → document → JSON is byte-identical, and text and JUnit render the same from the read-back document",
          arguments: ReporterTests.reports().map(\.0))
    func roundTrip(_ name: String) throws {
        let report = ReporterTests.reports().first { $0.0 == name }!.1
        let json = JSONReporter.render(report)
        let back = try ReportDocument.read(json: json)
        #expect(JSONReporter.render(back) == json)
        #expect(TextReporter(color: false).render(back) == TextReporter(color: false).render(report))
        #expect(try JUnitReporter.render(back) == JUnitReporter.render(report))
    }

    @Test("every result carries a finding code under its check id, and params the message was rendered from")
    func codes() {
        let (report, _) = Report.run(root: ExampleHost.intelBIOSOff.root())
        for r in report.results {
            #expect(r.code.hasPrefix(r.id + "."), "\(r.id): \(r.code)")
        }
    }

    @Test("a saved report of another schema version, or not a report, is refused with a reason")
    func refusals() {
        #expect(throws: ReportDocument.ReadError.self) { try ReportDocument.read(json: "{\"schema_version\": 1, \"tool\": {\"version\": \"0.1.0\"}}") }
        do {
            _ = try ReportDocument.read(json: "{\"schema_version\": 1, \"tool\": {\"version\": \"0.1.0\"}}")
        } catch {
            #expect("\(error)".contains("schema version 1") && "\(error)".contains("0.1.0"))
        }
        #expect(throws: ReportDocument.ReadError.self) { try ReportDocument.read(json: "[]") }
        #expect(throws: (any Error).self) { try ReportDocument.read(json: "{\"schema_version\": 2") }
        #expect(throws: ReportDocument.ReadError.self) { try ReportDocument.read(json: "{\"schema_version\": 2, \"tool\": 3}") }
    }

    @Test("the JSON parser reads what the writer writes, escapes and numbers included")
    func parser() throws {
        let v: JSON = .object(["a": .string("x\"\\\n\u{01}é𝄞"), "b": .int(-5), "c": .uint(UInt64.max), "d": .double(1.25),
                               "e": .array([.null, .bool(true), .bool(false)]), "f": .object([:])])
        #expect(try JSON.parse(v.serialized(pretty: true)) == v)
        #expect(try JSON.parse("\"\\ud834\\udd1e\"") == .string("𝄞"))
        #expect(throws: JSON.ParseError.self) { try JSON.parse(String(repeating: "[", count: 10_000)) }
        #expect(throws: JSON.ParseError.self) { try JSON.parse("\"\\ud834\"") }
        #expect(throws: JSON.ParseError.self) { try JSON.parse("{} x") }
    }
}
