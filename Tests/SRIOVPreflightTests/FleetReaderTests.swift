import Foundation
@testable import SRIOVPreflight
import Testing

/// The aggregate's lean report reader (`FleetReport.read`) against the full decoder (`ReportDocument.read`),
/// and the scanner's skipping against its parsing.
@Suite("Fleet report reader")
struct FleetReaderTests {
    /// Reports of every committed fixture host, every synthetic example host, the ../shared hosts when present,
    /// and variants: waivers (active and expired), --ignore, --only, --strict, escapes in the strings.
    static let reports: [(String, String)] = {
        var out: [(String, String)] = []
        for h in Paths.committedFixtureHosts { out.append((h, GoldenTests.document(h).json())) }
        let examples: [(String, ExampleHost)] = [
            ("intelReady", .intelReady), ("amdReady", .amdReady), ("intelBIOSOff", .intelBIOSOff),
            ("intelIntremapOff", .intelIntremapOff), ("intelNoIRHardware", .intelNoIRHardware),
            ("intelKernelDefaultOff", .intelKernelDefaultOff), ("emptyRoot", .emptyRoot),
        ]
        for (name, host) in examples { out.append((name, ReportDocument.run(root: host.root()).0.json())) }
        for h in Paths.sharedHosts.prefix(6) {
            out.append((h, ReportDocument.run(root: HostRoot.disk(Paths.shared! + "/hosts/" + h)).0.json()))
        }
        let base = GoldenTests.document("no-iommu")
        var waived = base
        waived.apply([Waiver(check: "kernel.iommu-enabled", justification: "lab \"A\"\n\\ é \u{01}", expires: "2099-12-31", who: "ops"),
                      Waiver(check: "ir.enabled", justification: "old", expires: "2000-01-01", line: 7)],
                     file: "waivers.toml", now: FleetFixtures.now)
        out.append(("waived", waived.json()))
        let (ignored, _) = ReportDocument.run(root: HostRoot.disk(Paths.fixtureHosts + "/no-iommu"),
                                              selection: Selection(only: ["kernel", "sriov"], ignore: ["kernel.iommu-enabled"]),
                                              strict: true)
        out.append(("only-ignore-strict", ignored.json()))
        var odd = base
        odd.host.hostname = "h\"o\\s\tt\u{7F}é😀"
        odd.tool.version = "9.9.9-\u{2028}"
        if !odd.results.isEmpty {
            odd.results[0].message = "quote \" backslash \\ newline \n tab \t nul \u{00} 😀"
            odd.results[0].durationMs = 123.456
            odd.results[0].object = ""
        }
        out.append(("escapes", odd.json()))
        return out
    }()

    static func full(_ text: String) -> Result<FleetReport, Error> {
        Result { FleetReport(try ReportDocument.read(json: text)) }
    }

    static func lean(_ bytes: [UInt8]) -> Result<FleetReport, Error> {
        Result { try bytes.withUnsafeBytes { try FleetReport.read($0) } }
    }

    @Test("the lean reader reads what the full decoder reads from every fixture, example and shared host's report")
    func agreeOnReports() throws {
        #expect(Self.reports.count >= 18)
        for (name, text) in Self.reports {
            let full = try Self.full(text).get()
            let lean = try #require(try? Self.lean(Array(text.utf8)).get(), "\(name): the lean reader gave up")
            #expect(lean == full, "\(name)")
        }
        // Written compact (no space) and with the members in another order, still the same.
        for (name, text) in Self.reports.prefix(3) {
            let value = try JSON.parse(text)
            let compact = value.serialized(pretty: false)
            #expect(try Self.lean(Array(compact.utf8)).get() == Self.full(text).get(), "\(name) compact")
            guard case .object(let o) = value else { continue }
            var reordered = "{"
            for (i, k) in o.keys.sorted(by: >).enumerated() {
                reordered += (i > 0 ? ",\n" : "") + JSON.string(k).serialized(pretty: false) + " :\t" + o[k]!.serialized(pretty: false)
            }
            reordered += "}\n"
            #expect(try Self.lean(Array(reordered.utf8)).get() == Self.full(text).get(), "\(name) reordered")
        }
    }

    /// A report with waivers and a few of its files read and NICs (the mutation tests decode it thousands of times).
    static let small: String = {
        var doc = try! ReportDocument.read(json: reports.first { $0.0 == "waived" }!.1)
        doc.filesRead = Array(doc.filesRead.prefix(12))
        doc.nics = Array(doc.nics.prefix(2))
        return doc.json()
    }()

    @Test("every truncation of a report is an error for both readers, never a crash")
    func truncated() throws {
        let bytes = Array(Self.small.utf8)
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!   // what follows the closing brace is space
        var cuts = Set(0..<300)
        cuts.formUnion(stride(from: 0, to: end, by: 17))
        cuts.formUnion(end - 300...end)
        for n in cuts.sorted() {
            let prefix = Array(bytes[0..<n])
            #expect(throws: (any Error).self, "lean, \(n) bytes") { try Self.lean(prefix).get() }
            #expect(throws: (any Error).self, "full, \(n) bytes") { try Self.full(String(decoding: prefix, as: UTF8.self)).get() }
        }
    }

    /// Where the two readers may differ: the lean reader checks the parts it passes over as JSON only, so a
    /// report whose only fault is in one of them (a file record without its path) is read by it and refused
    /// by the full decoder, which names that part.
    static let skippedParts: Set<String> = ["files_read", "nics", "evidence", "params", "selection", "timings", "fix", "waiver", "waivers"]

    @Test("a report with one byte changed: the lean reader reads it only when the full decoder reads the same (or faults a part the fleet passes over); never a crash")
    func mutated() throws {
        let bytes = Array(Self.small.utf8)
        let replacements: [UInt8] = Array("\"\\{}[],: 0x-.e\u{01}".utf8) + [0xFF]
        var leanRead = 0, leanRefused = 0
        var next = 0
        var k = 0
        while next < bytes.count {
            let position = next
            var m = bytes
            m[position] = replacements[k % replacements.count]
            k += 1
            next += 1 + (k * 7919) % 13
            let lean = Self.lean(m)
            let full = Self.full(String(decoding: m, as: UTF8.self))
            switch (lean, full) {
            case (.success(let l), .success(let f)):
                #expect(l == f, "byte \(position): the readers read different reports")
                leanRead += 1
            case (.success, .failure(let e)):
                // The full decoder's complaint, by where it is in the document.
                var path: [String] = []
                do { _ = try JSONCoding.decode(ReportDocument.self, from: try JSON.parse(m)) } catch let d as DecodingError {
                    switch d {
                    case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
                        path = c.codingPath.map(\.stringValue)
                    @unknown default: break
                    }
                } catch {}
                #expect(path.contains { Self.skippedParts.contains($0) },
                        "byte \(position): lean read a report the full decoder refuses (at \(path)): \(e)")
                leanRead += 1
            case (.failure, _):
                leanRefused += 1
            }
        }
        #expect(leanRead > 50 && leanRefused > 50, "\(leanRead) read, \(leanRefused) refused")
    }

    @Test("members the fleet needs: missing, twice, of another type or another schema version: the lean reader gives up")
    func refusesWhatItDoesNotTake() throws {
        let text = GoldenTests.document("intel-igb-ready").json()
        let cases: [(String, String)] = [
            ("\"schema_version\": 2", "\"schema_version\": 3"),
            ("\"schema_version\": 2", "\"schema_version\": 2.0"),
            ("\"strict\": false", "\"strict\": 0"),
            ("\"exit_code\": 0", "\"exit_code\": 7"),
            ("\"status\": \"pass\"", "\"status\": \"PASS\""),
            ("\"severity\": \"error\"", "\"severity\": 1"),
            ("\"hostname\": ", "\"hostname\": 1, \"x\": "),
            ("\"tool\": {", "\"tool\": {\"name\": \"x\", "),
            ("\"results\": [", "\"results\": [null, "),
            ("\"files_read\": [", "\"files_read\": {}, \"y\": ["),
            ("\"summary\": {", "\"summary\": {\"p\\u0061ss\": 1, "),
            ("\"title\": ", "\"title\": null, \"t\": "),
            ("\"duration_ms\": 0", "\"duration_ms\": \"0\""),
        ]
        for (from, to) in cases {
            #expect(text.contains(from), "\(from)")
            let changed = text.replacingOccurrences(of: from, with: to, options: [], range: text.range(of: from))
            #expect(throws: (any Error).self, "\(to)") { try Self.lean(Array(changed.utf8)).get() }
        }
        // The loader falls back to the full decoder: its reason, or its reading where it reads more.
        let dir = temporaryDirectory("lean")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let escapedKey = text.replacingOccurrences(of: "\"strict\":", with: "\"str\\u0069ct\":")
        try escapedKey.write(toFile: dir + "/escaped.json", atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "\"schema_version\": 2", with: "\"schema_version\": 3")
            .write(toFile: dir + "/v3.json", atomically: true, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: dir + "/half.json", atomically: true, encoding: .utf8)
        let loaded = FleetLoader.loadAll(["escaped", "v3", "half"].map { "\(dir)/\($0).json" })
        guard case .report(let r) = loaded[0].outcome else { Issue.record("escaped key: \(loaded[0].outcome)"); return }
        #expect(r == (try Self.full(text).get()))
        guard case .unreadable(let v3) = loaded[1].outcome, case .unreadable(let half) = loaded[2].outcome else {
            Issue.record("v3 or half read"); return
        }
        #expect(v3.contains("report schema version 3") && v3.contains("reads version 2"), "\(v3)")
        #expect(half.contains("JSON: unexpected end of input") || half.contains("JSON:"), "\(half)")
    }

    @Test("skipValue accepts exactly what the parser accepts, with the same error at the same byte")
    func skipMatchesParse() throws {
        var inputs = [
            "", " ", "{", "}", "[", "]", "[]", "{}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "-", "-01", "1.", "1e", "1e+",
            ".5", "tru", "nul", "falsey", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\u{01}\"",
            "\"\\ud83d\\ude00\"", "[1 2]", "{\"a\":[{\"b\":null}]} x", "[\"\\\"\",{\"\":\"\\\\\"}]", "1e999", "18446744073709551616",
            String(repeating: "[", count: 255) + String(repeating: "]", count: 255),
            String(repeating: "[", count: 256) + String(repeating: "]", count: 256),
            String(repeating: "[", count: 300), String(repeating: "{\"a\":", count: 300),
            String(repeating: "[{\"k\":", count: 127) + "1" + String(repeating: "}]", count: 127),
            String(repeating: "[{\"k\":", count: 128) + "1" + String(repeating: "}]", count: 128),
        ]
        let report = Array(GoldenTests.document("amd-nvme").json().utf8)
        for i in stride(from: 0, to: report.count, by: max(1, report.count / 400)) {
            var m = report
            let marks = Array("\"\\{[]}:,0 \u{01}".utf8)
            m[i] = marks[i % marks.count]
            inputs.append(String(decoding: m, as: UTF8.self))
        }
        for text in inputs {
            let bytes = Array(text.utf8)
            let parsed = Result { try JSON.parse(bytes) }
            let skipped: Result<Void, Error> = Result {
                try bytes.withUnsafeBytes { b in
                    var s = JSONScanner(b)
                    s.skipSpace()
                    try s.skipValue(depth: 0)
                    try s.end()
                }
            }
            switch (parsed, skipped) {
            case (.success, .success): break
            case (.failure(let a), .failure(let b)):
                #expect("\(a)" == "\(b)", "\(text.prefix(80))")
            default:
                Issue.record("parse \(parsed), skip \(skipped): \(text.prefix(80))")
            }
        }
    }
}
