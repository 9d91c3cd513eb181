@testable import ACPITables
import Foundation
import Testing

/// acpidump text, the form customers usually send: every corpus table rendered as acpidump prints it decodes
/// exactly as its binary does, alone and among other tables.
@Suite("acpidump text")
struct AcpidumpTextTests {
    @Test("every corpus table, rendered as acpidump text, decodes as its binary",
          .enabled(if: corpusAvailable, "…/shared/corpus/acpi not found: corpus tests skipped"))
    func corpusRoundTrip() throws {
        let names = Corpus.tableNames()
        #expect(names.count >= 377)
        var checked = 0
        for name in names {
            let bytes = Corpus.bytes(name)
            guard let kind = ACPITableKind(bytes: bytes) else { continue }
            let text = AcpidumpText.render(signature: kind.signature, address: 0x7B7E_4000, bytes: bytes)
            // Among other tables, with CR line ends on every other table, as a mail or a Windows editor leaves them.
            let facp = AcpidumpText.render(signature: "FACP", address: 0x7B7F_0000, bytes: Array("FACP".utf8) + [0x24, 0, 0, 0] + [UInt8](repeating: 0x41, count: 28))
            let dump = "$ sudo acpidump\n" + facp + text.replacingOccurrences(of: "\n", with: checked % 2 == 0 ? "\n" : "\r\n") + facp
            #expect(AcpidumpText.looks(Array(dump.utf8)), "\(name)")
            guard let t = AcpidumpText.table(kind.signature, in: Array(dump.utf8)) else {
                Issue.record("\(name): no \(kind.signature) in its acpidump text")
                continue
            }
            #expect(t.bytes == bytes, "\(name): bytes differ")
            #expect(t.address == 0x7B7E_4000)
            let fromText: ACPIDecodedTable = kind == .dmar ? try DMARTable.decode(t.bytes) : try IVRSTable.decode(t.bytes)
            let fromBinary: ACPIDecodedTable = kind == .dmar ? try DMARTable.decode(bytes) : try IVRSTable.decode(bytes)
            #expect(fromText.jsonString(pretty: false) == fromBinary.jsonString(pretty: false), "\(name): decode differs")
            #expect(fromText.textDescription() == fromBinary.textDescription(), "\(name)")
            checked += 1
        }
        #expect(checked == names.count)
    }

    @Test("the acpidump line format: 8-wide offsets, padded short last line, ASCII column that looks like hex")
    func format() {
        var bytes = Array("DMAR".utf8) + [0x32, 0, 0, 0] + [UInt8](repeating: 0xAB, count: 42)
        bytes[49] = 0x41  // 'A'
        let text = AcpidumpText.render(signature: "DMAR", bytes: bytes)
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "DMAR @ 0x0000000000000000")
        #expect(lines[1] == "    0000: 44 4D 41 52 32 00 00 00 AB AB AB AB AB AB AB AB  DMAR2...........")
        #expect(lines[4] == "    0030: AB 41                                            .A")
        #expect(AcpidumpText.parse(text).first?.bytes == bytes)
        // A short last line whose ASCII column is hex-like, no padding: cut to the header's Length.
        let unpadded = "DMAR @ 0x0\n    0000: 44 4D 41 52 12 00 00 00 00 00 00 00 00 00 00 00  DMAR............\n    0010: AB CD  AB\n"
        #expect(AcpidumpText.parse(unpadded).first?.bytes.count == 0x12)
        // A gap in the offsets is reported, not glued together.
        let gap = "DMAR @ 0x0\n    0000: 44 4D 41 52 30 00 00 00 00 00 00 00 00 00 00 00\n    0020: 00 00\n"
        #expect(AcpidumpText.parse(gap).first?.problem != nil)
        #expect(!AcpidumpText.looks(bytes))
    }
}
