import Foundation
@testable import SRIOVPreflight
import Testing

/// Real machines (../shared/realdata/hosts): each root holds a kernel-log excerpt, the command line, cpuinfo and
/// sometimes the DMAR/IVRS table; its LABEL.json `expected` lists the statuses allowed for object `host`,
/// derived from what the machine's own kernel printed. The test prints one row per machine and the per-check
/// counts, and fails below the count reached (a ratchet).
@Suite("Real machines")
struct RealDataTests {
    /// The number of scored verdicts that must be right (raise it, never lower it).
    static let bar = 150

    static var hostsDir: String? {
        guard let shared = Paths.shared else { return nil }
        let dir = shared + "/realdata/hosts"
        return FileManager.default.fileExists(atPath: dir) ? dir : nil
    }

    static let skipMessage = "../shared/realdata/hosts not found beside the repository (and SRIOV_SHARED unset): real-machine test skipped"

    struct Row {
        var slug: String
        var cells: [(id: String, got: String, allowed: [String], message: String)]
    }

    static func evaluate(_ dir: String) throws -> [Row] {
        let slugs = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/LABEL.json") }.sorted()
        var rows: [Row] = []
        for slug in slugs {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(slug)/LABEL.json"))
            let label = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            let expected = label["expected"] as? [String: [String]] ?? [:]
            let (report, _) = Report.run(root: HostRoot.disk("\(dir)/\(slug)"))
            var row = Row(slug: slug, cells: [])
            for id in expected.keys.sorted() {
                let r = report.results.first { $0.id == id && $0.object == "host" }
                row.cells.append((id, r?.status.rawValue ?? "none", expected[id]!, r?.message ?? "no result"))
            }
            rows.append(row)
        }
        return rows
    }

    @Test("every real machine gives the verdicts of its LABEL.json", .enabled(if: hostsDir != nil, Comment(rawValue: skipMessage)))
    func realMachines() throws {
        let rows = try Self.evaluate(Self.hostsDir!)
        var right = 0, total = 0
        var perClass: [String: (right: Int, total: Int)] = [:]
        var table = ""
        for row in rows {
            var line = row.slug.padding(toLength: 52, withPad: " ", startingAt: 0)
            for c in row.cells {
                let ok = c.allowed.contains(c.got)
                total += 1
                if ok { right += 1 }
                perClass[c.id, default: (0, 0)].total += 1
                if ok { perClass[c.id]!.right += 1 }
                line += " \(c.id)=\(c.got)\(ok ? "" : "✗(\(c.allowed.joined(separator: "/")))")"
            }
            table += line + "\n"
            for c in row.cells where !c.allowed.contains(c.got) {
                table += "    \(c.id): \(c.message)\n"
            }
        }
        table += perClass.keys.sorted().map { "\($0): \(perClass[$0]!.right)/\(perClass[$0]!.total)" }.joined(separator: "\n")
        table += "\nreal machines: \(right)/\(total) scored verdicts right (\(rows.count) boots)\n"
        print(table)
        #expect(right >= Self.bar, "real machines: \(right)/\(total) right, the bar is \(Self.bar)\n\(table)")
    }

    /// The checks of the kernel's IR decision speak only in finding codes with a template in their table, and
    /// every placeholder is filled, on every example host and every real machine.
    static let converted = ["ir.supported", "ir.enabled", "ir.unsafe-interrupts", "firmware.iommu-table",
                            "firmware.interrupt-remapping", "firmware.rmrr-devices", "kernel.iommu-enabled"]

    @Test("IR and firmware checks: every finding has a code and a filled template")
    func findingCodes() throws {
        var roots: [(String, HostRoot)] = []
        for check in Checks.all where Self.converted.contains(check.id) {
            for e in check.description.examples { roots.append(("\(check.id): \(e.name)", e.host.root(baseDir: Paths.fixtureHosts))) }
        }
        if let dir = Self.hostsDir {
            for slug in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() { roots.append((slug, HostRoot.disk("\(dir)/\(slug)"))) }
        }
        let byID = Dictionary(uniqueKeysWithValues: Checks.all.map { ($0.id, $0) })
        for (name, root) in roots {
            let snapshot = HostSnapshot.collect(root)
            for id in Self.converted {
                for f in byID[id]!.evaluate(snapshot) {
                    #expect(f.literal == nil, "\(name): \(id) gives a literal message: \(f.literal ?? "")")
                    let template = byID[id]!.description.messages[f.code]
                    #expect(template != nil, "\(name): \(id).\(f.code) has no template")
                    if let t = template {
                        for p in MessageTemplate.placeholders(t) {
                            #expect(f.params[p] != nil, "\(name): \(id).\(f.code) lacks param {\(p)}")
                        }
                    }
                }
            }
        }
    }
}
