import ACPITables
import Foundation
import Testing

/// Known places where iasl's `-d` output is wrong or incomplete, by corpus
/// file and "FieldName@0xOFFSET" (Tests/README.md, "Where iasl's disassembly is wrong", says why each is an iasl bug).
/// Any difference not listed here fails the test, and so does a listed one
/// that no longer occurs.
///
/// All ten are the last device entry of the table, an ACPI HID (F0h) entry
/// that ends exactly at the table's Length:
/// - nine 22-byte entries without a UID (UID Format 0, UID Length 0): iasl
///   prints HID and CID but silently drops UID Format and UID Length;
/// - one 24-byte entry with a 2-byte integer UID (format 1, length 2): iasl
///   prints UID Format and UID Length, then "ACPI subtable terminates early"
///   instead of the UID.
let knownIaslDifferences: [String: Set<String>] = {
    let noUIDAtTableEnd: [(file: String, offset: String)] = [
        ("linuxhw-0BDDD9796D2C-IVRS.bin", "13C"), ("linuxhw-26FEFDA4DE0C-IVRS.bin", "13C"),
        ("linuxhw-4C483D36D3E6-IVRS.bin", "184"), ("linuxhw-5D25BEE9F5FA-IVRS.bin", "13C"),
        ("linuxhw-742F023DAEF2-IVRS.bin", "13C"), ("linuxhw-762913DF1149-IVRS.bin", "13C"),
        ("linuxhw-A1579356D706-IVRS.bin", "13C"), ("linuxhw-BCEEED753BA5-IVRS.bin", "13C"),
        ("linuxhw-DC953747E73F-IVRS.bin", "13C"),
    ]
    var known: [String: Set<String>] = [:]
    for (file, formatOffset) in noUIDAtTableEnd {
        let lengthOffset = String(Int(formatOffset, radix: 16)! + 1, radix: 16, uppercase: true)
        known[file] = ["UID Format@0x\(formatOffset)", "UID Length@0x\(lengthOffset)"]
    }
    known["linuxhw-4AF98851C2C6-IVRS.bin"] = ["UID@0x1EE"]
    return known
}()

@Suite("Corpus: every real table against its iasl -d reference")
struct CorpusTests {
    @Test(.enabled(if: corpusAvailable, "…/shared/corpus/acpi not found: corpus tests skipped"))
    func everyTableAgreesWithIasl() throws {
        let names = Corpus.tableNames()
        #expect(names.count >= 377, "corpus should hold at least the 377 reference tables")
        var agree = 0
        var unexpected: [String] = []
        var stale: [String] = []
        let clock = ContinuousClock()
        var decodeTime = Duration.zero
        for name in names {
            let bytes = Corpus.bytes(name)
            guard let text = Corpus.dsl(for: name) else {
                unexpected.append("\(name): no .dsl beside it")
                continue
            }
            let dsl = DslDocument(text)
            var table: ACPITable?
            decodeTime += clock.measure { table = try? ACPITable.decode(bytes) }
            guard let table else {
                unexpected.append("\(name): does not decode: \(String(describing: Result { try ACPITable.decode(bytes) }))")
                continue
            }
            var diffs: [String: String]
            switch table {
            case .dmar(let t):
                diffs = iaslDifferences(dsl: dsl, expected: IaslProjection.fields(t))
            case .ivrs(let t):
                diffs = iaslDifferences(dsl: dsl, expected: IaslProjection.fields(t))
                // iasl stops at the first block type it does not know; it must be ours too.
                let unknown = t.blocks.filter { if case .unknown = $0 { return true } else { return false } }
                if dsl.unknownSubtableTypes != Array(unknown.prefix(1).map(\.typeCode)) {
                    diffs["unknown-block"] = "iasl reports unknown types \(dsl.unknownSubtableTypes), decoder has \(unknown.map(\.typeCode))"
                }
            }
            let known = knownIaslDifferences[name] ?? []
            for key in diffs.keys.sorted() where !known.contains(key) {
                unexpected.append("\(name): \(key): \(diffs[key]!)")
            }
            for key in known.sorted() where diffs[key] == nil {
                stale.append("\(name): \(key) is listed as a known iasl difference but no longer differs")
            }
            if diffs.isEmpty { agree += 1 }
        }
        print("corpus: \(names.count) tables, \(agree) agree with iasl field for field, "
              + "\(names.count - agree) differ only in the \(knownIaslDifferences.values.reduce(0) { $0 + $1.count }) known iasl faults; "
              + "decoding all took \(decodeTime) (informational, not asserted)")
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected differences:\n\(unexpected.joined(separator: "\n"))")
        #expect(stale.isEmpty, "\(stale.joined(separator: "\n"))")
    }

    @Test(.enabled(if: corpusAvailable, "…/shared/corpus/acpi not found: corpus tests skipped"))
    func everyTableMatchesManifestKeyFacts() throws {
        let manifest = Corpus.manifestFacts()
        let names = Corpus.tableNames()
        #expect(Set(manifest.keys) == Set(names), "MANIFEST.tsv and the .bin files list the same tables")
        for name in names {
            guard let facts = manifest[name] else { continue }
            let table = try ACPITable.decode(Corpus.bytes(name))
            #expect(facts["len"] == String(table.header.length), "\(name) len")
            #expect(facts["rev"] == String(table.header.revision), "\(name) rev")
            if let oem = facts["oem"] {
                // MANIFEST keeps raw control characters; the decoder shows them as spaces (like iasl).
                let printable = String(oem.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? Character($0) : " " })
                let expected = printable.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
                #expect(expected == [table.header.oemID, table.header.oemTableID].map { $0.trimmingCharacters(in: " ") },
                        "\(name) oem")
            }
            switch table {
            case .dmar(let t): checkDMARFacts(name, t, facts)
            case .ivrs(let t): checkIVRSFacts(name, t, facts)
            }
        }
    }

    func checkDMARFacts(_ name: String, _ t: DMARTable, _ facts: [String: String]) {
        #expect(facts["HAW"] == String(t.hostAddressWidthBits), "\(name) HAW")
        #expect(facts["flags"]?.hasPrefix(String(format: "0x%02x", t.flags)) == true, "\(name) flags")
        let drhd = "\(t.drhdUnits.count)(INCLUDE_PCI_ALL=\(t.drhdUnits.filter(\.includePCIAll).count))"
        #expect(facts["DRHD"] == drhd, "\(name) DRHD")
        let counts = ["RMRR": t.rmrrs.count, "ATSR": t.atsrs.count, "RHSA": t.rhsas.count,
                      "ANDD": t.andds.count, "SATC": t.satcs.count, "SIDP": t.sidps.count]
        for (key, count) in counts {
            #expect(facts[key] == String(count), "\(name) \(key)")
        }
        let segments = Set(t.drhdUnits.map(\.segment) + t.rmrrs.map(\.segment) + t.atsrs.map(\.segment)
                           + t.satcs.map(\.segment) + t.sidps.map(\.segment))
        #expect(facts["segments"] == segments.sorted().map(String.init).joined(separator: ","), "\(name) segments")
        let scopeTypes = Set(t.structures.flatMap(\.deviceScopes).map(\.typeCode))
        #expect(facts["scope_types"] == scopeTypes.sorted().map(String.init).joined(separator: ","), "\(name) scope_types")
    }

    func checkIVRSFacts(_ name: String, _ t: IVRSTable, _ facts: [String: String]) {
        let i = t.ivInfo
        let ivinfo = String(format: "0x%08x", i.raw)
            + "(EFRSup=\(i.efrSupported ? 1 : 0),DMAguard=\(i.dmaRemapSupport ? 1 : 0),GVA=\(i.guestVirtualAddressSize),"
            + "PA=\(i.physicalAddressSize),VA=\(i.virtualAddressSize),HtAtsResv=\(i.htAtsReserved ? 1 : 0))"
        #expect(facts["IVinfo"] == ivinfo, "\(name) IVinfo")
        #expect(facts["blocks"] == t.blocks.map { String(format: "%02xh", $0.typeCode) }.joined(separator: ","),
                "\(name) blocks")
        #expect(facts["IVHD"] == String(t.ivhdBlocks.count), "\(name) IVHD")
        #expect(facts["IVMD"] == String(t.ivmdBlocks.count), "\(name) IVMD")
        // MANIFEST's EFR is the image of the first IVHD that has one.
        let efr = t.ivhdBlocks.compactMap(\.efrRegisterImage).first.map { String(format: "0x%016llx", $0) }
        #expect(facts["EFR"] == efr, "\(name) EFR")
        let bases = Set(t.ivhdBlocks.map(\.baseAddress)).sorted().map { String(format: "0x%llx", $0) }
        #expect(facts["iommu_bases"] == bases.joined(separator: ","), "\(name) iommu_bases")
        let segs = Set(t.ivhdBlocks.map(\.pciSegmentGroup)).sorted().map(String.init)
        #expect(facts["segs"] == segs.joined(separator: ","), "\(name) segs")
        let unknown = t.blocks.filter { if case .unknown = $0 { return true } else { return false } }
            .map { String(format: "%02xh", $0.typeCode) }
        #expect(facts["unknown_block_types"] == (unknown.isEmpty ? nil : unknown.joined(separator: ",")),
                "\(name) unknown_block_types")
    }

    @Test(.enabled(if: corpusAvailable, "…/shared/corpus/acpi not found: corpus tests skipped"))
    func everyTableHasValidChecksumJSONAndText() throws {
        for name in Corpus.tableNames() {
            let bytes = Corpus.bytes(name)
            let table = try ACPITable.decode(bytes)
            #expect(ACPITableHeader.verifyChecksum(bytes) == table.header.checksumValid, "\(name)")
            let json = table.jsonString()
            #expect(json == table.jsonString(), "\(name): JSON is deterministic")
            #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "\(name): JSON parses")
            #expect(table.textDescription().hasPrefix(table.header.signature + ": "), "\(name): text view")
        }
    }
}
