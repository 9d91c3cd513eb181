import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("Waivers")
struct WaiverTests {
    static let known = Set(Checks.all.map(\.id))

    static let file = """
        # known exceptions of the lab
        [[waiver]]
        check = "firmware.iommu-table"        # every object
        justification = "lab box: \\"VT-d\\" off until the BIOS update \\u00e9"
        expires = 2026-06-30
        who = "alice"

        [[ waiver ]]   # spaces inside the brackets are TOML too
        check = 'kernel.iommu-enabled@host'
        justification = 'literal \\n stays'
        expires = "2026-06-30"

        """

    /// 2026-06-30 23:59:59 UTC and one second later.
    static let lastSecond = Double(WaiverFile.days("2026-06-30")! + 1) * 86_400 - 1
    static let oneSecondLater = lastSecond + 1

    @Test("the TOML subset: comments, basic and literal strings, escapes, a bare or quoted date, ID@OBJECT, who optional")
    func parse() throws {
        let w = try WaiverFile.parse(Self.file, knownChecks: Self.known)
        #expect(w.count == 2)
        #expect(w[0] == Waiver(check: "firmware.iommu-table", object: nil, justification: "lab box: \"VT-d\" off until the BIOS update é",
                               expires: "2026-06-30", who: "alice", line: 2))
        #expect(w[1] == Waiver(check: "kernel.iommu-enabled", object: "host", justification: "literal \\n stays",
                               expires: "2026-06-30", who: nil, line: 8))
        #expect(try WaiverFile.parse("", knownChecks: Self.known).isEmpty)
        #expect(try WaiverFile.parse("# nothing\r\n\r\n", knownChecks: Self.known).isEmpty)
    }

    @Test("dates: days since the epoch, impossible dates refused")
    func dates() {
        #expect(WaiverFile.days("1970-01-01") == 0)
        #expect(WaiverFile.days("2026-01-01").map { $0 * 86_400 } == 1_767_225_600)
        #expect(WaiverFile.days("2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "26-01-01", "2026-01-01T00:00:00", "tomorrow", ""] {
            #expect(WaiverFile.days(bad) == nil, "\(bad)")
        }
    }

    /// (file text, the line the error must name, a fragment of the message)
    static let malformed: [(String, Int, String)] = [
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\nexpires = 2026-01-01\n", 1, "without justification"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"x\"\n", 1, "without expires"),
        ("[[waiver]]\njustification = \"x\"\nexpires = 2026-01-01\n", 1, "without check"),
        ("\n[[waiver]]\ncheck = \"no.such-check\"\njustification = \"x\"\nexpires = 2026-01-01\n", 3, "unknown check id"),
        ("[[waiver]]\ncheck = \"cpu.virtualization@\"\njustification = \"x\"\nexpires = 2026-01-01\n", 2, "ID@OBJECT"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"  \"\nexpires = 2026-01-01\n", 3, "justification: empty"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"x\"\nexpires = 2026-02-30\n", 4, "not a date"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"x\"\nexpires = \"next week\"\n", 4, "not a date"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"x\"\nexpires = 2026-01-01T10:00:00Z\n", 4, "not a date"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"x\"\nexpires = 2026-01-01\nowner = \"bob\"\n", 5, "unknown key"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\"\ncheck = \"ir.enabled\"\n", 3, "given twice"),
        ("check = \"cpu.virtualization\"\n", 1, "outside a [[waiver]]"),
        ("[waiver]\n", 1, "only [[waiver]]"),
        ("[[waivers]]\n", 1, "only [[waiver]]"),
        ("[[waiver]]\ncheck = cpu.virtualization\n", 2, "not a string"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\n", 2, "not closed"),
        ("[[waiver]]\ncheck = \"cpu.virtualization\" trailing\n", 2, "unexpected text"),
        ("[[waiver]]\njustification = \"\"\"\nmulti\n\"\"\"\n", 2, "multi-line"),
        ("[[waiver]]\njustification = \"bad \\q escape\"\n", 2, "unknown escape"),
        ("[[waiver]]\njustification = \"\\uZZZZ\"\n", 2, "bad \\u"),
        ("[[waiver]]\nthis is not toml\n", 2, "expected key = value"),
        ("[[waiver]]\nwho =\n", 2, "no value"),
        ("[[waiver]]\n\"quoted key\" = \"x\"\n", 2, "not a bare key"),
    ]

    @Test("a malformed file is an error naming its line", arguments: 0..<malformed.count)
    func malformedFile(_ i: Int) {
        let (text, line, fragment) = Self.malformed[i]
        do {
            _ = try WaiverFile.parse(text, knownChecks: Self.known)
            Issue.record("accepted: \(text)")
        } catch let e as WaiverFile.ParseError {
            #expect(e.line == line, "\(text): \(e)")
            #expect(e.message.contains(fragment), "\(text): \(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    static func waived(at now: Double) throws -> ReportDocument {
        var doc = GoldenTests.document("no-iommu")
        doc.apply(try WaiverFile.parse(Self.file, knownChecks: Self.known), file: "lab.toml", now: now)
        return doc
    }

    @Test("boundary: a waiver holds the last second of its expiry day (UTC), not one second later")
    func boundary() throws {
        let base = GoldenTests.document("no-iommu")
        #expect(base.summary.fail == 2 && !base.summary.ready)

        let valid = try Self.waived(at: Self.lastSecond)
        #expect(valid.summary.fail == 0 && valid.summary.waived == 2)
        #expect(valid.summary.ready && valid.summary.exitCode == .ready)
        #expect(valid.warnings.isEmpty)
        #expect(valid.waivers?.entries.map(\.state) == [.active, .active])
        #expect(valid.waivers?.entries.map(\.waivedResults) == [1, 1])
        let r = valid.results.first { $0.id == "firmware.iommu-table" }!
        #expect(r.status == .fail && r.waiver?.who == "alice" && r.waiver?.waiver == "firmware.iommu-table")

        let expired = try Self.waived(at: Self.oneSecondLater)
        #expect(expired.summary == base.summary)
        #expect(expired.results.allSatisfy { $0.waiver == nil })
        #expect(expired.waivers?.entries.map(\.state) == [.expired, .expired])
        #expect(expired.warnings == [
            "waiver firmware.iommu-table (lab.toml line 2) expired on 2026-06-30: it has no effect",
            "waiver kernel.iommu-enabled@host (lab.toml line 8) expired on 2026-06-30: it has no effect",
        ])
    }

    @Test("a waiver covers only its object; pass, skip and ignored results are never waived")
    func scope() throws {
        var doc = GoldenTests.document("no-iommu")
        let w = [Waiver(check: "sriov.capable", object: "0000:02:00.0", justification: "x", expires: "2099-01-01", line: 1),
                 Waiver(check: "vfio.modules", justification: "x", expires: "2099-01-01", line: 2),
                 Waiver(check: "kernel.iommu-enabled", object: "0000:01:00.0", justification: "x", expires: "2099-01-01", line: 3)]
        doc.apply(w, file: "f", now: 0)
        #expect(doc.summary.waived == 0 && doc.summary.fail == 2)
        #expect(doc.waivers?.entries.map(\.waivedResults) == [0, 0, 0])
        var ign = GoldenTests.document("no-iommu")
        for i in ign.results.indices where ign.results[i].id == "firmware.iommu-table" { ign.results[i].ignored = true }
        ign.apply([Waiver(check: "firmware.iommu-table", justification: "x", expires: "2099-01-01", line: 1)], file: "f", now: 0)
        #expect(ign.results.allSatisfy { $0.waiver == nil })
    }

    @Test("the text report's `sriov-preflight fix` hint counts only counted failures (as the HTML fix plan): waived and ignored ones are left out")
    func fixHintLeavesWaivedOut() throws {
        let host = "intel-iommu-off"
        let base = GoldenTests.document(host)
        let offering = base.results.filter { $0.disposition == .counted && ($0.status == .fail || $0.status == .warn) && $0.fix != nil }
        try #require(!offering.isEmpty, "\(host) offers a fix")
        #expect(TextReporter(color: false).render(base).contains("run `sriov-preflight fix` to see"))
        // Waive each result that offers a fix: no hint is left.
        var waived = base
        waived.apply(offering.enumerated().map { Waiver(check: $1.id, object: $1.object, justification: "lab", expires: "2099-01-01", line: $0 + 1) },
                     file: "f", now: 0)
        #expect(waived.results.filter { $0.fix != nil && $0.disposition == .waived }.count == offering.count)
        let text = TextReporter(color: false).render(waived)
        #expect(!text.contains("sriov-preflight fix` to see"), "\(text)")
        // Waive all but one: the hint names that one's fix alone.
        var one = base
        one.apply(offering.dropFirst().enumerated().map { Waiver(check: $1.id, object: $1.object, justification: "lab", expires: "2099-01-01", line: $0 + 1) },
                  file: "f", now: 0)
        let ids = Set(one.results.filter { $0.disposition == .counted && ($0.status == .fail || $0.status == .warn) }.compactMap { $0.fix?.id.rawValue })
        #expect(!ids.isEmpty && TextReporter(color: false).render(one).contains("(\(ids.sorted().joined(separator: ", ")))"))
        // The golden reports have no waived result, so their text is unchanged.
        for h in Paths.committedFixtureHosts { #expect(GoldenTests.document(h).results.allSatisfy { $0.disposition != .waived }, "\(h)") }
    }

    @Test("waived in every format: JSON field (schema-valid, read back), JUnit skipped \"waived: …\", text mark, metrics disposition, HTML tag")
    func formats() throws {
        let doc = try Self.waived(at: Self.lastSecond)
        let json = try JSONReporter().render(doc)
        #expect(json.contains("\"waiver\": \"firmware.iommu-table\""))
        #expect(try validateAgainstSchema([json]) == nil)
        let back = try ReportDocument.read(json: json)
        #expect(back == doc)
        let xml = try JUnitReporter().render(doc)
        #expect(xml.contains("<skipped message=\"waived: lab box: &quot;VT-d&quot; off until the BIOS update é (until 2026-06-30, alice): fail: "))
        #expect(JUnitStructure.problems(xml).isEmpty)
        #expect(ReporterTests.xsdProblems(xml).isEmpty, "\(ReporterTests.xsdProblems(xml))")
        let text = TextReporter(color: false).render(doc)
        #expect(text.contains("(waived: lab box: \"VT-d\" off until the BIOS update é; until 2026-06-30, alice)"))
        #expect(text.contains("READY: 14 pass, 1 warn, 0 fail, 8 skip, 0 error, 2 waived (exit 0)"))
        let prom = PrometheusReporter().render(doc)
        #expect(prom.contains("check=\"firmware.iommu-table\",object=\"host\",category=\"firmware\",severity=\"error\",disposition=\"waived\",status=\"fail\"} 1"))
        #expect(prom.contains("sriov_preflight_results{status=\"waived\"} 2\n"))
        #expect(prom.contains("sriov_preflight_waivers{state=\"active\"} 2\n"))
        if Promtool.path != nil { #expect(try Promtool.check(prom) == nil) }
        let html = HTMLReporter().render(doc)
        #expect(html.contains("<span class=\"tag\">waived until 2026-06-30: lab box: &quot;VT-d&quot; off until the BIOS update é (alice)</span>"))
        #expect(html.contains("<b>2</b> waived"))
    }

    @Test("the expired warning appears in every format: text, JSON, JUnit, metrics, HTML")
    func expiredEverywhere() throws {
        let doc = try Self.waived(at: Self.oneSecondLater)
        let warning = "waiver kernel.iommu-enabled@host (lab.toml line 8) expired on 2026-06-30: it has no effect"
        #expect(TextReporter(color: false).render(doc).contains("warning: " + warning + "\n"))
        let json = try JSONReporter().render(doc)
        #expect(json.contains("\"warning\": \"\(warning)\""))
        #expect(json.contains("\"state\": \"expired\""))
        #expect(try validateAgainstSchema([json]) == nil)
        let xml = try JUnitReporter().render(doc)
        #expect(xml.contains("<system-err>warning: waiver firmware.iommu-table (lab.toml line 2) expired on 2026-06-30: it has no effect\nwarning: \(warning)</system-err>"))
        #expect(JUnitStructure.problems(xml).isEmpty)
        #expect(ReporterTests.xsdProblems(xml).isEmpty, "\(ReporterTests.xsdProblems(xml))")
        let prom = PrometheusReporter().render(doc)
        #expect(prom.contains("sriov_preflight_waiver_expired{waiver=\"kernel.iommu-enabled@host\",expires=\"2026-06-30\"} 1\n"))
        #expect(prom.contains("sriov_preflight_waivers{state=\"expired\"} 2\n"))
        if Promtool.path != nil { #expect(try Promtool.check(prom) == nil) }
        #expect(HTMLReporter().render(doc).contains("<p class=\"note warning\">Warning: \(warning)</p>"))
    }

    @Test("a report written before waivers (no waived, waiver or waivers keys) still reads")
    func oldReport() throws {
        let current = try JSONReporter().render(GoldenTests.document("no-iommu"))
        var o = try JSONSerialization.jsonObject(with: Data(current.utf8)) as! [String: Any]
        o["waivers"] = nil
        var summary = o["summary"] as! [String: Any]
        summary["waived"] = nil
        o["summary"] = summary
        o["results"] = (o["results"] as! [[String: Any]]).map { r in var r = r; r["waiver"] = nil; return r }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: o), as: UTF8.self)
        #expect(!json.contains("waive"))
        let doc = try ReportDocument.read(json: json)
        #expect(doc.summary.waived == 0 && doc.waivers == nil)
        #expect(try validateAgainstSchema([json]) == nil)
    }
}

@Suite("Waivers on the command line", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary),
                                               "run `swift build` first: .build/debug/sriov-preflight is missing"))
struct WaiverCLITests {
    @Test("--waivers: all failures waived → exit 0; expired → exit 1 and a warning on stderr; malformed → 64 naming the line")
    func cli() throws {
        let dir = temporaryDirectory("waivers")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = Paths.fixtureHosts + "/no-iommu"
        let good = WaiverTests.file.replacingOccurrences(of: "2026-06-30", with: "2999-12-31")
        try good.write(toFile: dir + "/good.toml", atomically: true, encoding: .utf8)
        let ok = try run([Paths.binary, "check", "--root", host, "--waivers", dir + "/good.toml", "--format", "json"])
        #expect(ok.status == 0, "\(ok.err)")
        #expect(ok.out.contains("\"waived\": 2"))
        try WaiverTests.file.replacingOccurrences(of: "2026-06-30", with: "2000-01-01")
            .write(toFile: dir + "/old.toml", atomically: true, encoding: .utf8)
        let old = try run([Paths.binary, "check", "--root", host, "--waivers", dir + "/old.toml"])
        #expect(old.status == 1)
        #expect(old.err.contains("warning: waiver kernel.iommu-enabled@host (\(dir)/old.toml line 8) expired on 2000-01-01"))
        try "[[waiver]]\ncheck = \"cpu.virtualization\"\njustification = \"x\"\nexpires = 2026-13-01\n"
            .write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        let bad = try run([Paths.binary, "check", "--root", host, "--waivers", dir + "/bad.toml"])
        #expect(bad.status == 64)
        #expect(bad.err.contains("\(dir)/bad.toml: line 4: expires"), "\(bad.err)")
        let missing = try run([Paths.binary, "check", "--root", host, "--waivers", dir + "/none.toml"])
        #expect(missing.status == 64 && missing.err.contains("none.toml"))
    }

    @Test("report --from REPORT --waivers: as check --waivers (waived, readiness and exit code recomputed, expired warns, 64 on a bad file); a bundle too")
    func report() throws {
        let dir = temporaryDirectory("waivers-report")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = Paths.fixtureHosts + "/no-iommu"
        let saved = try run([Paths.binary, "check", "--root", host, "--json", dir + "/r.json", "--output", "/dev/null"])
        #expect(saved.status == 1)
        let good = WaiverTests.file.replacingOccurrences(of: "2026-06-30", with: "2999-12-31")
        try good.write(toFile: dir + "/good.toml", atomically: true, encoding: .utf8)
        let checked = try run([Paths.binary, "check", "--root", host, "--waivers", dir + "/good.toml", "--format", "json"])
        let rendered = try run([Paths.binary, "report", "--from", dir + "/r.json", "--waivers", dir + "/good.toml", "--format", "json"])
        #expect(rendered.status == 0 && checked.status == 0, "\(rendered.err)")
        // The same results, summary and waiver table as check --waivers gave (the runs' times aside).
        let a = try ReportDocument.read(json: checked.out), b = try ReportDocument.read(json: rendered.out)
        #expect(a.summary == b.summary && b.summary.waived == 2)
        #expect(a.results.map(\.waiver) == b.results.map(\.waiver))
        #expect(a.waivers == b.waivers)
        #expect(try validateAgainstSchema([rendered.out]) == nil)
        // The same document in process: apply() as of the saved run's start.
        var doc = try ReportDocument.read(json: try String(contentsOfFile: dir + "/r.json", encoding: .utf8))
        doc.apply(try WaiverFile.load(dir + "/good.toml"), file: dir + "/good.toml", now: doc.timings.startedAt)
        #expect(try JSONReporter().render(doc) == rendered.out)
        // Text and HTML mark the waived results.
        let text = try run([Paths.binary, "report", "--from", dir + "/r.json", "--waivers", dir + "/good.toml", "--no-color"])
        #expect(text.status == 0 && text.out.contains("(waived: "))
        let html = try run([Paths.binary, "report", "--from", dir + "/r.json", "--waivers", dir + "/good.toml", "--format", "html"])
        #expect(html.status == 0 && html.out.contains("<section id=\"waivers\" class=\"card\">"))
        // Expired: no effect, exit 1, a warning on stderr and in the document.
        try WaiverTests.file.replacingOccurrences(of: "2026-06-30", with: "2000-01-01")
            .write(toFile: dir + "/old.toml", atomically: true, encoding: .utf8)
        let old = try run([Paths.binary, "report", "--from", dir + "/r.json", "--waivers", dir + "/old.toml", "--format", "junit"])
        #expect(old.status == 1)
        #expect(old.err.contains("warning: waiver kernel.iommu-enabled@host (\(dir)/old.toml line 8) expired on 2000-01-01"), "\(old.err)")
        #expect(old.out.contains("expired on 2000-01-01"))
        // Without --waivers the saved verdict stands.
        let plain = try run([Paths.binary, "report", "--from", dir + "/r.json", "--format", "json"])
        let plainDoc = try ReportDocument.read(json: plain.out)
        #expect(plain.status == 1 && plainDoc.waivers == nil)
        // A malformed or missing waiver file is a usage error.
        try "[[waiver]]\ncheck = \"cpu.virtualization\"\n".write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        let bad = try run([Paths.binary, "report", "--from", dir + "/r.json", "--waivers", dir + "/bad.toml"])
        #expect(bad.status == 64 && bad.err.contains("bad.toml"), "\(bad.err)")
        let none = try run([Paths.binary, "report", "--from", dir + "/r.json", "--waivers", dir + "/none.toml"])
        #expect(none.status == 64 && none.err.contains("none.toml"))
        // A support bundle: the report it carries, waived the same way.
        let bundle = try run([Paths.binary, "bundle", "--root", host, "--output", dir + "/b.tar.gz"])
        #expect(bundle.status == 0, "\(bundle.err)")
        let fromBundle = try run([Paths.binary, "report", "--from", dir + "/b.tar.gz", "--waivers", dir + "/good.toml", "--format", "json"])
        #expect(fromBundle.status == 0, "\(fromBundle.err)")
        #expect(try ReportDocument.read(json: fromBundle.out).summary.waived == 2)
    }
}
