import Foundation
@testable import SRIOVPreflight
import Testing

/// The verdicts on real captured hosts (../shared/hosts and the lab's Tests/Fixtures/hosts) match EXPECTED.json,
/// for every check the catalog has.
@Suite("Captured hosts")
struct HostVerdictTests {
    static func compare(hostDir: String) throws -> [String] {
        let expected = try expectedVerdicts(hostDir)
        let (report, _) = Report.run(root: HostRoot.disk(hostDir))
        var problems: [String] = []
        let implemented = Set(Checks.all.map(\.id))
        for (id, objects) in expected where implemented.contains(id) {
            for (object, allowed) in objects {
                guard let r = report.results.first(where: { $0.id == id && $0.object == object }) else {
                    problems.append("\(id)[\(object)]: no result (expected \(allowed.joined(separator: "/")))")
                    continue
                }
                if !allowed.contains(r.status.rawValue) {
                    problems.append("\(id)[\(object)]: got \(r.status.rawValue), expected \(allowed.joined(separator: "/")) — \(r.message)")
                }
            }
        }
        return problems
    }

    @Test("shared hosts give the verdicts of their EXPECTED.json", .enabled(if: Paths.shared != nil, Comment(rawValue: Paths.sharedMissing)),
          arguments: Paths.sharedHosts)
    func sharedHost(_ name: String) throws {
        let problems = try Self.compare(hostDir: Paths.shared! + "/hosts/" + name)
        #expect(problems.isEmpty, "\(name):\n\(problems.joined(separator: "\n"))")
    }

    @Test("lab fixture hosts give the verdicts of their EXPECTED.json", arguments: Paths.committedFixtureHosts)
    func fixtureHost(_ name: String) throws {
        let problems = try Self.compare(hostDir: Paths.fixtureHosts + "/" + name)
        #expect(problems.isEmpty, "\(name):\n\(problems.joined(separator: "\n"))")
    }
}
