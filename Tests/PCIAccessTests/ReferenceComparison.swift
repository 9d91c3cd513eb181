import PCIAccess

/// Compares scanned functions against an `lspci -vvv` reference: the set of
/// functions, each function's standard capability offsets and extended chain
/// (offset + version), and the exact text of every SR-IOV, ARI and ACS block.
struct ReferenceComparison {
    var functions = 0
    var blocks: [String: Int] = [:] // capability name -> blocks compared
    var differences: [String] = []

    init(records: [PCIFunctionRecord], reference: LspciReference) {
        let referenced = Set(reference.devices.map(\.address))
        let scanned = Set(records.map(\.address))
        for missing in referenced.subtracting(scanned).sorted() {
            differences.append("\(missing): in the reference but not scanned")
        }
        for extra in scanned.subtracting(referenced).sorted() {
            differences.append("\(extra): scanned but not in the reference")
        }
        for record in records {
            guard let device = reference.device(record.address) else { continue }
            functions += 1
            compare(record, device)
        }
    }

    var blockCount: Int { blocks.values.reduce(0, +) }

    var summary: String {
        let perName = blocks.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "\(functions) functions, \(blockCount) blocks (\(perName)), \(differences.count) differences"
    }

    private mutating func compare(_ record: PCIFunctionRecord, _ device: LspciReference.Device) {
        let config = record.configSpace
        let ours = config.capabilities.map(\.offset)
        if ours != device.standardCapabilityOffsets {
            differences.append("\(record.address): standard capabilities \(hexList(ours)) vs \(hexList(device.standardCapabilityOffsets))")
        }
        let chain = config.extendedCapabilities.map { "\(hex($0.offset)) v\($0.version)" }
        let theirChain = device.extendedCapabilities.map { "\(hex($0.offset)) v\($0.version ?? 0)" }
        if chain != theirChain {
            differences.append("\(record.address): extended chain \(chain) vs \(theirChain)")
        }
        let rendered = config.virtualizationCapabilityBlocks()
        let expected = device.virtualizationBlocks
        if rendered != expected {
            differences.append("\(record.address): rendered\n\(rendered.flatMap { $0 }.joined(separator: "\n"))\nexpected\n"
                + expected.flatMap { $0 }.joined(separator: "\n"))
        }
        for block in device.extendedCapabilities where LspciReference.virtualizationNames.contains(block.name) {
            blocks[block.name, default: 0] += 1
        }
    }

    private func hex(_ value: Int) -> String { String(value, radix: 16) }
    private func hexList(_ values: [Int]) -> String { "[" + values.map(hex).joined(separator: ",") + "]" }
}
