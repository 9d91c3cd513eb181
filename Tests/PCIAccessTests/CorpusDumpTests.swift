import Foundation
import PCIAccess
import Testing

/// Every corpus dump and every host's `_lab` dump, scanned with libpci's dump
/// method, decoded and rendered, must agree with the `lspci -vvv` reference.
@Suite(.enabled(if: SharedData.isAvailable, "shared data (corpus/pci) not found: skipped"))
struct CorpusDumpTests {
    static let pairs = SharedData.dumpReferencePairs()

    @Test(arguments: pairs.map(\.name))
    func dumpMatchesReference(name: String) throws {
        let pair = try #require(Self.pairs.first { $0.name == name })
        let records = try PCIAccess.scanDump(file: pair.dump.path)
        let reference = LspciReference(text: try String(contentsOf: pair.reference, encoding: .utf8))
        #expect(!records.isEmpty)
        #expect(records.map(\.address) == records.map(\.address).sorted())
        let comparison = ReferenceComparison(records: records, reference: reference)
        print("dump \(name): \(comparison.summary)")
        #expect(comparison.differences.isEmpty, "\(comparison.differences.joined(separator: "\n"))")
    }

    @Test func corpusHasVirtualizationCapabilities() throws {
        #expect(Self.pairs.count >= 15)
        var total: [String: Int] = [:]
        for pair in Self.pairs {
            let records = try PCIAccess.scanDump(file: pair.dump.path)
            let reference = LspciReference(text: try String(contentsOf: pair.reference, encoding: .utf8))
            total.merge(ReferenceComparison(records: records, reference: reference).blocks, uniquingKeysWith: +)
        }
        print("corpus blocks compared: \(total)")
        for name in LspciReference.virtualizationNames {
            #expect(total[name, default: 0] > 0, "no \(name) block in the corpus")
        }
    }

    /// The PCI Express capability decoder against lspci's "Express (vN) <type>",
    /// LnkCap/LnkSta speed and width, and DevCap2/DevCtl2 ARIFwd flags.
    @Test func pcieCapabilityMatchesReference() throws {
        var checked = 0
        var differences: [String] = []
        for pair in Self.pairs {
            let reference = LspciReference(text: try String(contentsOf: pair.reference, encoding: .utf8))
            for record in try PCIAccess.scanDump(file: pair.dump.path) {
                guard let pcie = record.configSpace.pcie,
                      let block = reference.device(record.address)?.capabilities.first(where: { $0.offset == pcie.offset })
                else { continue }
                checked += 1
                let expected = ExpressBlock(block.lines)
                let ours = ExpressBlock(pcie)
                if ours != expected { differences.append("\(pair.name) \(record.address): \(ours) vs \(expected)") }
            }
        }
        print("PCI Express capabilities compared: \(checked)")
        #expect(checked >= 70)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }
}

/// The facts of an Express block that PCIeCapability decodes, as lspci words them.
private struct ExpressBlock: Equatable, CustomStringConvertible {
    var version: String?
    var type: String?
    var maxLink: String?
    var link: String?
    var ariForwardingSupported: Bool?
    var ariForwardingEnabled: Bool?

    var description: String {
        "v\(version ?? "?") \(type ?? "?") cap[\(maxLink ?? "-")] sta[\(link ?? "-")] "
            + "ARIFwd cap \(ariForwardingSupported.map(String.init) ?? "-") ctl \(ariForwardingEnabled.map(String.init) ?? "-")"
    }

    /// Parsed from lspci's lines ("Capabilities: [54] Express (v2) Root Port (Slot+), MSI 00", ...).
    init(_ lines: [String]) {
        let header = lines[0]
        if let range = header.range(of: "Express (v") {
            let rest = header[range.upperBound...]
            version = String(rest.prefix { $0 != ")" })
            type = String(rest.drop { $0 != " " }.dropFirst().prefix { $0 != "," })
                .replacingOccurrences(of: " (Slot+)", with: "").replacingOccurrences(of: " (Slot-)", with: "")
        }
        // Continuation lines (indented one level deeper) start with a space once tabs are trimmed.
        var fields: [String] = []
        for line in lines.dropFirst() {
            if line.hasPrefix(" "), !fields.isEmpty { fields[fields.count - 1] += line } else { fields.append(line) }
        }
        for line in fields {
            if line.hasPrefix("LnkCap:") { maxLink = Self.speedAndWidth(line) }
            if line.hasPrefix("LnkSta:") { link = Self.speedAndWidth(line) }
            if line.hasPrefix("DevCap2:"), line.contains("ARIFwd") { ariForwardingSupported = line.contains("ARIFwd+") }
            if line.hasPrefix("DevCtl2:"), line.contains("ARIFwd") { ariForwardingEnabled = line.contains("ARIFwd+") }
        }
    }

    /// Rendered from the decoder, showing only what lspci would show.
    init(_ pcie: PCIeCapability) {
        version = String(pcie.version)
        type = switch pcie.deviceType {
        case .endpoint: "Endpoint"
        case .legacyEndpoint: "Legacy Endpoint"
        case .rootPort: "Root Port"
        case .upstreamSwitchPort: "Upstream Port"
        case .downstreamSwitchPort: "Downstream Port"
        case .pcieToPCIBridge: "PCI-Express to PCI/PCI-X Bridge"
        case .pciToPCIeBridge: "PCI/PCI-X to PCI-Express Bridge"
        case .rootComplexIntegratedEndpoint: "Root Complex Integrated Endpoint"
        case .rootComplexEventCollector: "Root Complex Event Collector"
        case nil: "Unknown type \(pcie.deviceTypeRaw)"
        }
        func speed(_ code: UInt8?) -> String { code.flatMap(PCIeCapability.speedDescription) ?? "unknown" }
        if pcie.hasLink {
            maxLink = "\(speed(pcie.maxLinkSpeed)) x\(pcie.maxLinkWidth ?? 0)"
            link = "\(speed(pcie.currentLinkSpeed)) x\(pcie.currentLinkWidth ?? 0)"
        }
        // lspci shows ARIFwd only for ports that forward (root and downstream ports).
        if pcie.deviceCapabilities2 != nil, [.rootPort, .downstreamSwitchPort].contains(pcie.deviceType) {
            ariForwardingSupported = pcie.ariForwardingSupported
            ariForwardingEnabled = pcie.ariForwardingEnabled
        }
    }

    private static func speedAndWidth(_ line: String) -> String? {
        guard let speed = line.range(of: "Speed "), let width = line.range(of: "Width x") else { return nil }
        let speedText = line[speed.upperBound...].prefix { $0 != "," && $0 != " " }
        let widthText = line[width.upperBound...].prefix(while: \.isNumber)
        return "\(speedText) x\(widthText)"
    }
}
