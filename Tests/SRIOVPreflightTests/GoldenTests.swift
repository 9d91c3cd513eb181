import Foundation
@testable import SRIOVPreflight
import Testing

/// Every reporter on every fixture host, against files committed under Tests/Golden/. After a deliberate
/// change of a message or a format: `SRIOV_UPDATE_GOLDEN=1 swift test --filter Golden`, then review the diff.
@Suite("Golden reports")
struct GoldenTests {
    static let dir = Paths.repo + "/Tests/Golden"
    static let update = ProcessInfo.processInfo.environment["SRIOV_UPDATE_GOLDEN"] == "1"

    /// The report of a fixture host with what varies from run to run set to fixed values.
    static func document(_ host: String) -> ReportDocument {
        var (doc, _) = Report.run(root: HostRoot.disk(Paths.fixtureHosts + "/" + host))
        doc.host.root = "Tests/Fixtures/hosts/\(host)"
        doc.generatedAt = "2026-01-01T00:00:00Z"
        doc.timings = Timings(startedAt: 1_767_225_600, durationMs: 0, collectMs: 0, checksMs: 0)
        for i in doc.results.indices { doc.results[i].durationMs = 0 }
        return doc
    }

    static func compare(_ actual: String, _ file: String) throws {
        let path = dir + "/" + file
        if update {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("\(file) is missing: run SRIOV_UPDATE_GOLDEN=1 swift test --filter Golden")
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            Issue.record("""
                \(file) differs at line \(i + 1):
                  expected: \(i < e.count ? String(e[i]) : "<end>")
                  actual:   \(i < a.count ? String(a[i]) : "<end>")
                if the change is deliberate: SRIOV_UPDATE_GOLDEN=1 swift test --filter Golden, and review the diff
                """)
        }
    }

    @Test("text, JSON and JUnit of every fixture host equal the golden files", arguments: Paths.committedFixtureHosts)
    func golden(_ host: String) throws {
        let doc = Self.document(host)
        try Self.compare(try JSONReporter().render(doc), "\(host).json")
        try Self.compare(TextReporter(color: false).render(doc), "\(host).txt")
        try Self.compare(try JUnitReporter().render(doc), "\(host).xml")
        try Self.compare(PrometheusReporter().render(doc), "\(host).prom")
    }

    /// Hosts whose HTML report is kept as a golden file: a ready one, two not ready ones (one with a fix plan).
    static let htmlHosts = ["intel-igb-ready", "intel-intremap-off", "no-iommu"]

    @Test("the HTML report of a ready and of not-ready fixture hosts equals the golden file", arguments: htmlHosts)
    func goldenHTML(_ host: String) throws {
        try Self.compare(HTMLReporter().render(Self.document(host)), "\(host).html")
    }

    @Test("a saved report renders the same text and JUnit as the run, and the same JSON byte for byte",
          arguments: Paths.committedFixtureHosts)
    func readBack(_ host: String) throws {
        let (doc, _) = Report.run(root: HostRoot.disk(Paths.fixtureHosts + "/" + host))
        let json = try JSONReporter().render(doc)
        let back = try ReportDocument.read(json: json)
        #expect(try JSONReporter().render(back) == json)
        #expect(TextReporter(color: false).render(back) == TextReporter(color: false).render(doc))
        #expect(try JUnitReporter().render(back) == (try JUnitReporter().render(doc)))
        #expect(HTMLReporter().render(back) == HTMLReporter().render(doc))
    }
}
