import ACPITables
import Testing

// Malformed tables are GENERATED here from well-formed ones (the hand-made
// fixtures, and the corpus when present): every prefix, every header length,
// zero length, trailing bytes, and lies in every length field. Each must give
// an ACPIDecodeError naming the exact offset of the item at fault (or, for
// the documented warning cases, decode with a warning) and never crash or hang.

/// A length field of a decoded table that a test can lie in.
struct LengthField {
    let what: String
    /// Where the item starts: the offset the error must name.
    let itemOffset: Int
    let fieldOffset: Int
    /// 1 or 2 bytes.
    let fieldSize: Int
    /// Smallest legal length (0: none, e.g. a UID length).
    let minimum: Int
    /// The enclosing table / structure / block ends here.
    let containerEnd: Int
    /// Item length = fixedPart + field value (22 for an ACPI HID UID length, else 0).
    let fixedPart: Int
}

/// Length fields, top-level item offsets, and "cut the last child" cases of a table.
struct TableShape {
    var lengthFields: [LengthField] = []
    var topLevel: [(offset: Int, end: Int)] = []
    /// Shrinking the container's length by one byte cuts its last child:
    /// (container length field offset, its size, new value, offset the error must name).
    var cuts: [(fieldOffset: Int, fieldSize: Int, value: Int, errorAt: Int)] = []

    init(_ table: ACPITable) {
        let end = Int(table.header.length)
        switch table {
        case .dmar(let t):
            for s in t.structures {
                let sEnd = s.offset + Int(s.length)
                topLevel.append((s.offset, sEnd))
                lengthFields.append(LengthField(
                    what: "\(s.typeName) structure", itemOffset: s.offset, fieldOffset: s.offset + 2, fieldSize: 2,
                    minimum: TableShape.dmarMinimum[Int(min(s.typeCode, 7))], containerEnd: end, fixedPart: 0))
                for sc in s.deviceScopes {
                    lengthFields.append(LengthField(
                        what: "device scope", itemOffset: sc.offset, fieldOffset: sc.offset + 1, fieldSize: 1,
                        minimum: 6, containerEnd: sEnd, fixedPart: 0))
                }
                if let last = s.deviceScopes.last {
                    cuts.append((s.offset + 2, 2, Int(s.length) - 1, last.offset))
                } else if case .rhsa = s {
                    cuts.append((s.offset + 2, 2, Int(s.length) - 1, s.offset))
                }
            }
        case .ivrs(let t):
            for b in t.blocks {
                let bEnd = b.offset + Int(b.length)
                topLevel.append((b.offset, bEnd))
                let minimum: Int
                switch b {
                case .ivhd(let h): minimum = h.typeCode == 0x10 ? 24 : 40
                case .ivmd: minimum = 32
                case .unknown: minimum = 4
                }
                lengthFields.append(LengthField(
                    what: "\(b.typeName) block", itemOffset: b.offset, fieldOffset: b.offset + 2, fieldSize: 2,
                    minimum: minimum, containerEnd: end, fixedPart: 0))
                guard case .ivhd(let h) = b else {
                    if case .ivmd = b { cuts.append((b.offset + 2, 2, Int(b.length) - 1, b.offset)) }
                    continue
                }
                for e in h.entries where e.typeCode == 0xF0 {
                    lengthFields.append(LengthField(
                        what: "ACPI HID UID length", itemOffset: e.offset, fieldOffset: e.offset + 21, fieldSize: 1,
                        minimum: 0, containerEnd: bEnd, fixedPart: 22))
                }
                cuts.append((b.offset + 2, 2, Int(b.length) - 1, h.entries.last?.offset ?? b.offset))
            }
        }
    }

    /// Minimum structure length by DMAR type code (7 = any unknown type).
    static let dmarMinimum = [16, 24, 8, 20, 8, 8, 8, 4]
}

func patched(_ bytes: [UInt8], at offset: Int, size: Int, value: Int) -> [UInt8] {
    var b = bytes
    for i in 0..<size { b[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    return b
}

/// Collects mismatches instead of recording thousands of issues.
struct ErrorExpectations {
    var failures: [String] = []
    var checked = 0

    mutating func expectError(_ bytes: [UInt8], at offset: Int, _ context: @autoclosure () -> String) {
        checked += 1
        do {
            _ = try ACPITable.decode(bytes)
            failures.append("\(context()): decoded, expected an error at offset \(offset)")
        } catch let error as ACPIDecodeError {
            if error.offset != offset || !error.description.hasPrefix("at offset 0x") || error.reason.isEmpty {
                failures.append("\(context()): expected an error at offset \(offset), got \(error)")
            }
        } catch {
            failures.append("\(context()): unexpected error type \(error)")
        }
    }

    func report(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(failures.isEmpty, "\(name): \(failures.count) of \(checked) cases failed:\n\(failures.prefix(20).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }
}

/// Every malformed variant of `bytes` (a well-formed table) and the error it must give.
/// `exhaustive`: also every prefix and every shorter header length.
/// Returns how many malformed variants were checked.
@discardableResult
func checkMalformedVariants(_ bytes: [UInt8], name: String, exhaustive: Bool) throws -> Int {
    let table = try ACPITable.decode(bytes)
    let shape = TableShape(table)
    let length = Int(table.header.length)
    var e = ErrorExpectations()

    e.expectError([], at: 0, "\(name): zero-length input")
    // Header length lies: past the input, or below the 48-byte fixed part.
    for lie in [length + 1, length + 4096, Int(UInt32.max)] {
        e.expectError(patched(bytes, at: 4, size: 4, value: lie), at: 4, "\(name): header length \(lie)")
    }
    for lie in [0, 1, 35, 36, 47] {
        e.expectError(patched(bytes, at: 4, size: 4, value: lie), at: 4, "\(name): header length \(lie)")
    }
    // Every length field: 0, one below its minimum, one past its container.
    for f in shape.lengthFields {
        let maxValue = (1 << (8 * f.fieldSize)) - 1
        var lies: [Int] = []
        if f.fixedPart == 0 { lies.append(0) }
        if f.minimum > 1 { lies.append(f.minimum - 1) }
        let pastEnd = f.containerEnd - f.itemOffset - f.fixedPart + 1
        if pastEnd <= maxValue { lies.append(pastEnd) }
        for lie in lies {
            e.expectError(patched(bytes, at: f.fieldOffset, size: f.fieldSize, value: lie), at: f.itemOffset,
                          "\(name): \(f.what) at \(f.itemOffset) with length field \(lie)")
        }
    }
    // A container one byte short cuts its last child.
    for c in shape.cuts {
        e.expectError(patched(bytes, at: c.fieldOffset, size: c.fieldSize, value: c.value), at: c.errorAt,
                      "\(name): container length at \(c.fieldOffset) cut to \(c.value)")
    }
    if exhaustive {
        // Every proper prefix: a short header, or a header length past the input.
        for n in 0..<length {
            e.expectError(Array(bytes.prefix(n)), at: n < 36 ? n : 4, "\(name): prefix of \(n) bytes")
        }
        // Every shorter table (header length and bytes cut to n): an error at the
        // item n cuts through, or, exactly on an item boundary, a valid shorter table.
        for n in 36..<length {
            let cut = patched(Array(bytes.prefix(n)), at: 4, size: 4, value: n)
            if n < 48 {
                e.expectError(cut, at: 4, "\(name): header length cut to \(n)")
            } else if let straddled = shape.topLevel.first(where: { $0.offset < n && n < $0.end }) {
                e.expectError(cut, at: straddled.offset, "\(name): header length cut to \(n)")
            } else {
                e.checked += 1
                let kept = shape.topLevel.filter { $0.end <= n }.map(\.offset)
                if let shorter = try? ACPITable.decode(cut) {
                    let offsets = TableShape(shorter).topLevel.map(\.offset)
                    if offsets != kept { e.failures.append("\(name): cut to \(n): items \(offsets), expected \(kept)") }
                } else {
                    e.failures.append("\(name): cut to \(n) on an item boundary should decode")
                }
            }
        }
    }
    e.report(name)

    // Warnings, not errors: trailing bytes and a bad checksum.
    for extra in [1, 7, 300] {
        let longer = try ACPITable.decode(bytes + [UInt8](repeating: 0xA5, count: extra))
        #expect(longer.jsonString() != table.jsonString())
        #expect(longer.warnings.last == ACPIDecodeWarning(
            offset: length, message: "\(extra) bytes beyond the header length \(length) ignored"), "\(name)")
        #expect(TableShape(longer).topLevel.map(\.offset) == shape.topLevel.map(\.offset))
        #expect(longer.header == table.header)
    }
    var badSum = bytes
    badSum[9] &+= 1
    let bad = try ACPITable.decode(badSum)
    #expect(!bad.header.checksumValid && bad.warnings.first?.offset == 9, "\(name)")
    #expect(TableShape(bad).topLevel.map(\.offset) == shape.topLevel.map(\.offset))
    return e.checked
}

@Suite("Malformed tables give errors naming the offset, never a crash")
struct MalformedTests {
    @Test(arguments: [("DMAR fixture", dmarFixture), ("minimal DMAR", dmarMinimal), ("IVRS fixture", ivrsFixture)])
    func fixtureVariants(name: String, bytes: [UInt8]) throws {
        let checked = try checkMalformedVariants(bytes, name: name, exhaustive: true)
        print("malformed: \(checked) variants of the \(name) checked")
    }

    @Test func specificMessages() throws {
        var dmar = dmarMinimal
        dmar[0x32] = 0x40   // DRHD length 64 in a 72-byte table
        #expect(throws: ACPIDecodeError(offset: 0x30, reason:
            "DRHD structure length 64 runs past the table end (item would end at 0x70, table ends at 0x48: 24 bytes left)")) {
            try DMARTable.decode(dmar)
        }
        dmar[0x32] = 0
        #expect(throws: ACPIDecodeError(offset: 0x30, reason:
            "DRHD structure length 0 (minimum 16 bytes); cannot step to the next item")) {
            try DMARTable.decode(dmar)
        }
        #expect(throws: ACPIDecodeError(offset: 10, reason: "ACPI header truncated: 10 bytes supplied, the header needs 36")) {
            try DMARTable.decode(Array(dmarMinimal.prefix(10)))
        }
        #expect(throws: ACPIDecodeError(offset: 4, reason:
            "header length 72 runs past the end of the input (71 bytes supplied): table truncated")) {
            try DMARTable.decode(Array(dmarMinimal.dropLast()))
        }
        var scope = dmarMinimal
        scope[0x41] = 5     // scope length 5 < 6
        #expect(throws: ACPIDecodeError(offset: 0x40, reason: "device scope length 5 is shorter than its 6-byte minimum")) {
            try DMARTable.decode(scope)
        }
    }

    @Test func oddPathByteIsAWarning() throws {
        // DRHD of 16 + scope of 9 bytes (one path hop and a stray byte).
        var b = Bytes()
        b.u8(38); b.u8(0); b.text("", 10)
        b.append(dmarStructure(0, fields { $0.u8(1); $0.u8(0); $0.u16(0); $0.u64(0xFED9_0000) }, scopes: [
            [3, 9, 0, 0, 1, 0, 0x1F, 0x00, 0xEE],
        ]))
        let t = try DMARTable.decode(makeTable("DMAR", revision: 1, body: b.bytes))
        #expect(t.drhdUnits.first?.deviceScopes.first?.path == [DMARPathEntry(device: 0x1F, function: 0)])
        #expect(t.warnings.map(\.offset) == [0x40])
    }

    @Test func randomCorruptionNeverCrashes() throws {
        var tables = [dmarFixture, dmarMinimal, ivrsFixture]
        if corpusAvailable {
            tables += Corpus.tableNames().enumerated().filter { $0.offset % 25 == 0 }.map { Corpus.bytes($0.element) }
        }
        var rng = SplitMix64(seed: 0x5EED)
        var decoded = 0, rejected = 0
        for table in tables {
            for _ in 0..<400 {
                var b = table
                for _ in 0..<Int(rng.next() % 4 + 1) {
                    let i = Int(rng.next() % UInt64(b.count))
                    b[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 4 == 0 { b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1)))) }
                do {
                    let t = try ACPITable.decode(b)
                    _ = t.jsonString(pretty: true) + t.textDescription()
                    decoded += 1
                } catch let error as ACPIDecodeError {
                    #expect(error.offset >= 0 && error.offset <= b.count)
                    rejected += 1
                }
            }
        }
        #expect(decoded + rejected == tables.count * 400)
    }
}

@Suite("Malformed variants of corpus tables")
struct MalformedCorpusTests {
    /// Every prefix / every header length of a few tables (DMAR and IVRS, the
    /// largest ones, and the two tables iasl misreads).
    static let exhaustiveTables = [
        "linuxhw-60DCEE46526A-DMAR.bin", "linuxhw-717EDB7C4975-DMAR.bin",
        "linuxhw-4AF98851C2C6-IVRS.bin", "linuxhw-405067A82A69-IVRS.bin", "linuxhw-9249A3556422-IVRS.bin",
    ]

    @Test(.enabled(if: corpusAvailable, "…/shared/corpus/acpi not found: corpus tests skipped"))
    func everyPrefixOfAFewTables() throws {
        var checked = 0
        for name in MalformedCorpusTests.exhaustiveTables {
            let bytes = Corpus.bytes(name)
            try #require(!bytes.isEmpty, "\(name) is in the corpus")
            checked += try checkMalformedVariants(bytes, name: name, exhaustive: true)
        }
        print("malformed: \(checked) truncated / lying-length variants of \(MalformedCorpusTests.exhaustiveTables.count) corpus tables checked")
    }

    @Test(.enabled(if: corpusAvailable, "…/shared/corpus/acpi not found: corpus tests skipped"))
    func lyingLengthsInEveryTable() throws {
        var checked = 0
        let names = Corpus.tableNames()
        for name in names {
            checked += try checkMalformedVariants(Corpus.bytes(name), name: name, exhaustive: false)
        }
        print("malformed: \(checked) lying-length variants of all \(names.count) corpus tables checked")
    }
}

/// Small deterministic PRNG for the corruption sweep.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
