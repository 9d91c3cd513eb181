import Foundation
import Testing

/// What the shipped binary may carry: the modules it is built from never import Foundation (one
/// Foundation-only API links ICU, ~38 MB of the binary); FoundationEssentials is fine.
@Suite("Distribution")
struct DistributionTests {
    static let shippedModules = ["sriov-preflight", "SRIOVPreflight", "PCIAccess", "ACPITables", "JSONKit"]

    @Test("no shipped module imports Foundation")
    func noFoundation() throws {
        var offenders: [String] = []
        for module in Self.shippedModules {
            let dir = Paths.repo + "/Sources/" + module
            let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
            for f in files where f.hasSuffix(".swift") {
                let text = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let t = line.trimmingCharacters(in: .whitespaces)
                    if t.hasPrefix("import Foundation") && !t.hasPrefix("import FoundationEssentials")
                        || t.hasPrefix("@preconcurrency import Foundation") && !t.contains("FoundationEssentials") {
                        offenders.append("\(module)/\(f): \(t)")
                    }
                }
            }
        }
        #expect(offenders.isEmpty, "import FoundationEssentials (or nothing) instead: \(offenders)")
        #expect(!offenders.isEmpty || Self.shippedModules.allSatisfy { FileManager.default.fileExists(atPath: Paths.repo + "/Sources/" + $0) })
    }
}
