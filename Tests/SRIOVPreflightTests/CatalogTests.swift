import Foundation
@testable import SRIOVPreflight
import Testing

struct ExampleCase: CustomTestStringConvertible, Sendable {
    let check: Check
    let example: CheckExample
    var testDescription: String { "\(check.id): \(example.name)" }
}

@Suite("Check catalog")
struct CatalogTests {
    static let cases: [ExampleCase] = Checks.all.flatMap { c in c.description.examples.map { ExampleCase(check: c, example: $0) } }

    @Test("every example host gives its expected verdict", arguments: cases)
    func example(_ c: ExampleCase) {
        let root = c.example.host.root(baseDir: Paths.fixtureHosts)
        let snapshot = HostSnapshot.collect(root)
        let results = Engine.run(snapshot, checks: [c.check])
        let mine = results.filter { $0.object == c.example.object }
        #expect(!mine.isEmpty, "no result for object \(c.example.object); got \(results.map(\.object))")
        for r in mine {
            #expect(c.example.expect.contains(r.status),
                    "\(c.check.id) on '\(c.example.name)' [\(r.object)]: got \(r.status) — \(r.message)")
        }
    }

    @Test("every check has a passing and a non-passing example, and a complete description")
    func completeness() {
        var ids = Set<String>()
        for c in Checks.all {
            let d = c.description
            #expect(ids.insert(d.id).inserted, "duplicate id \(d.id)")
            #expect(d.id.hasPrefix(d.category + "."), "\(d.id) is not under its category \(d.category)")
            #expect(!d.title.isEmpty && !d.rationale.isEmpty && !d.remediation.isEmpty && !d.reads.isEmpty, "\(d.id)")
            #expect(d.examples.contains { $0.expect == [.pass] }, "\(d.id) has no passing example")
            #expect(d.examples.contains { !$0.expect.contains(.pass) && ($0.expect.contains(.fail) || $0.expect.contains(.warn)) },
                    "\(d.id) has no failing example")
        }
    }

    @Test("checks/ pages are generated from the descriptions (run `make docs` after changing a check)")
    func docsDoNotDrift() throws {
        for (name, text) in CheckDocs.pages() {
            let path = Paths.repo + "/checks/" + name
            let onDisk = try? String(contentsOfFile: path, encoding: .utf8)
            #expect(onDisk == text, "checks/\(name) differs from the generated page: run `make docs`")
        }
        let files = (try FileManager.default.contentsOfDirectory(atPath: Paths.repo + "/checks")).filter { $0.hasSuffix(".md") }
        #expect(Set(files) == Set(CheckDocs.pages().map(\.0)), "stale pages in checks/")
    }

    @Test("selection: --only and --ignore")
    func selection() throws {
        let snapshot = HostSnapshot.collect(ExampleHost.intelBIOSOff.root())
        let only = Engine.run(snapshot, selection: Selection(only: ["kernel"]))
        #expect(Set(only.map(\.category)) == ["kernel"])
        let ignored = Engine.run(snapshot, selection: Selection(ignore: ["firmware.iommu-table@host", "kernel.iommu-enabled"]))
        let ig = ignored.filter(\.ignored).map(\.id)
        #expect(Set(ig) == ["firmware.iommu-table", "kernel.iommu-enabled"])
        let summary = Summary(ignored, strict: false)
        #expect(summary.ignored == 2)
        let all = Engine.run(snapshot, selection: Selection(ignore: ["all"]))
        #expect(all.allSatisfy { $0.ignored })
        #expect(Summary(all, strict: false).exitCode == .ready)
        #expect(throws: Selection.Problem.self) { try Selection(ignore: ["all", "cpu"]).validate(Checks.all) }
        #expect(throws: Selection.Problem.self) { try Selection(only: ["nope"]).validate(Checks.all) }
        try Selection(only: ["cpu", "kernel.iommu-enabled"]).validate(Checks.all)
    }
}
