import PCIAccess

/// `lspci -vvv` text split into per-device sections and per-capability blocks.
/// Leading tabs are stripped from every line, as `lspciLines()` renders them.
struct LspciReference {
    struct CapabilityBlock: Equatable {
        var offset: Int
        /// nil for standard capabilities (lspci prints "[40]" without a version).
        var version: UInt8?
        /// Header line first, then the detail lines.
        var lines: [String]

        var isExtended: Bool { version != nil }
        var name: String {
            guard let close = lines[0].range(of: "] ") else { return "" }
            return String(lines[0][close.upperBound...])
        }
    }

    struct Device {
        var address: PCIAddress
        var headerLine: String
        /// Every line of the section after the header, tabs trimmed.
        var lines: [String] = []
        var capabilities: [CapabilityBlock] = []

        var extendedCapabilities: [CapabilityBlock] { capabilities.filter(\.isExtended) }
        var standardCapabilityOffsets: [Int] { capabilities.filter { !$0.isExtended }.map(\.offset) }

        /// The SR-IOV, ARI and ACS blocks, in chain order.
        var virtualizationBlocks: [[String]] {
            extendedCapabilities.filter { LspciReference.virtualizationNames.contains($0.name) }.map(\.lines)
        }
    }

    static let virtualizationNames: Set<String> = [
        "Single Root I/O Virtualization (SR-IOV)",
        "Alternative Routing-ID Interpretation (ARI)",
        "Access Control Services",
    ]

    var devices: [Device] = []

    init(text: String) {
        var current: Device?
        var inCapability = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if rawLine.isEmpty {
                inCapability = false
                continue
            }
            if !rawLine.hasPrefix("\t") {
                if let current { devices.append(current) }
                let token = rawLine.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
                current = PCIAddress(token).map { Device(address: $0, headerLine: rawLine) }
                inCapability = false
                continue
            }
            guard current != nil else { continue }
            current!.lines.append(trimmed(rawLine))
            if rawLine.hasPrefix("\tCapabilities: [") {
                let body = rawLine.dropFirst("\tCapabilities: [".count)
                let tag = body.prefix { $0 != "]" }.split(separator: " ")
                if let offset = tag.first.flatMap({ Int($0, radix: 16) }) {
                    let version = tag.count > 1 ? UInt8(tag[1].dropFirst()) : nil
                    current!.capabilities.append(CapabilityBlock(offset: offset, version: version, lines: [trimmed(rawLine)]))
                    inCapability = true
                    continue
                }
            }
            if inCapability, rawLine.hasPrefix("\t\t") {
                current!.capabilities[current!.capabilities.count - 1].lines.append(trimmed(rawLine))
            } else {
                inCapability = false
            }
        }
        if let current { devices.append(current) }
    }

    func device(_ address: PCIAddress) -> Device? {
        devices.first { $0.address == address }
    }

    private func trimmed(_ line: String) -> String {
        String(line.drop { $0 == "\t" })
    }
}
