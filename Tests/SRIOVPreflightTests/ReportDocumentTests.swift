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

    @Test("the direct text encoder writes what the JSON tree writes, byte for byte",
          arguments: ReporterTests.reports().map(\.0))
    func directEncoder(_ name: String) throws {
        var report = ReporterTests.reports().first { $0.0 == name }!.1
        report.filesRead.append(FileRead(path: "a\u{7F}\u{1F}\t\r\n\"\\é𝄞", kind: .file, size: 3, fileSize: 9))
        report.results[0].params["zz"] = "x"; report.results[0].params["Z"] = "\u{0}"
        report.timings.durationMs = -0.5; report.timings.collectMs = 1e20; report.timings.checksMs = .infinity
        for pretty in [true, false] {
            #expect(try JSONCoding.serialize(report, pretty: pretty) == JSONCoding.encode(report).serialized(pretty: pretty))
        }
        #expect(JSON.string("a\u{7F}\u{1F}\u{0}\t\r\n\"\\é/").serialized(pretty: false) == #""a\u007f\u001f\u0000\t\r\n\"\\é/""#)
        #expect(JSON.array([.int(.min), .int(.max), .uint(.max), .int(-7), .double(-0.0), .double(0.0025), .double(1e20)]).serialized(pretty: false)
                == "[-9223372036854775808,9223372036854775807,18446744073709551615,-7,0,0.003,9.999999999999998e+19]")
        #expect(try JSONCoding.serialize(["k": [1, 2], "j": []]) == JSON.object(["k": .array([.int(1), .int(2)]), "j": .array([])]).serialized())
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
