import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("Bad roots give reports, not crashes")
struct RobustnessTests {
    func reportOf(_ root: HostRoot) throws -> Report {
        let (report, _) = Report.run(root: root)
        #expect(report.results.count >= Checks.all.count)
        #expect(try validateAgainstSchema([JSONReporter.render(report)]) == nil)
        let xml = try JUnitReporter.render(report)
        #expect(xml.contains("<testsuites>"))
        return report
    }

    @Test func missingRoot() throws {
        let r = try reportOf(HostRoot.disk("/nonexistent-\(UUID().uuidString)"))
        #expect(r.results.allSatisfy { $0.status == .error && $0.message.contains("cannot be read") })
        #expect(r.summary.exitCode == .undecided)
    }

    @Test func emptyRoot() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try reportOf(HostRoot.disk(dir))
        #expect(r.results.allSatisfy { $0.status == .error && $0.message.contains("empty") })
    }

    @Test("every file unreadable")
    func unreadableRoot() throws {
        var host = ExampleHost.intelReady
        for (path, node) in host.nodes {
            if case .file = node { host = host.unreadable(path, .permissionDenied) }
        }
        let r = try reportOf(host.root())
        #expect(!r.results.contains { $0.status == .pass && $0.id == "cpu.virtualization" })
        #expect(r.results.contains { $0.status == .error })
    }

    @Test("garbage in every file")
    func garbage() throws {
        var host = ExampleHost.intelReady
        var rng = SystemRandomNumberGenerator()
        for (path, node) in host.nodes {
            if case .file = node { host = host.bytes(path, (0..<200).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        }
        _ = try reportOf(host.root())
    }
}
