/// Little-endian byte builder for hand-made tables.
struct Bytes {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { le(UInt64(v), 2) }
    mutating func u32(_ v: UInt32) { le(UInt64(v), 4) }
    mutating func u64(_ v: UInt64) { le(v, 8) }
    mutating func le(_ v: UInt64, _ size: Int) {
        for i in 0..<size { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }
    /// ASCII text padded (or cut) to `size` bytes with `pad`.
    mutating func text(_ s: String, _ size: Int, pad: UInt8 = 0) {
        let utf8 = Array(s.utf8.prefix(size))
        bytes += utf8 + [UInt8](repeating: pad, count: size - utf8.count)
    }
    mutating func append(_ other: [UInt8]) { bytes += other }
}

/// A table: standard header with `signature`, then `body`; Length and
/// Checksum are filled in.
func makeTable(_ signature: String, revision: UInt8, body: [UInt8]) -> [UInt8] {
    var b = Bytes()
    b.text(signature, 4)
    b.u32(UInt32(36 + body.count))
    b.u8(revision)
    b.u8(0)                        // checksum, patched below
    b.text("FIXTUR", 6)
    b.text("ACPITEST", 8)
    b.u32(0x2026_0001)
    b.text("SWFT", 4)
    b.u32(0x0000_0603)
    b.append(body)
    return withChecksum(b.bytes)
}

/// `table` with its checksum byte set so the first Length bytes sum to 0.
func withChecksum(_ table: [UInt8]) -> [UInt8] {
    var t = table
    t[9] = 0
    let length = min(t.count, Int(t[4]) | Int(t[5]) << 8 | Int(t[6]) << 16 | Int(t[7]) << 24)
    let sum = t[..<length].reduce(UInt8(0), &+)
    t[9] = 0 &- sum
    return t
}

// MARK: DMAR fixture

func dmarScope(type: UInt8, enumID: UInt8 = 0, bus: UInt8, path: [(UInt8, UInt8)], flags: UInt8 = 0) -> [UInt8] {
    var b = Bytes()
    b.u8(type)
    b.u8(UInt8(6 + 2 * path.count))
    b.u8(flags)
    b.u8(0)
    b.u8(enumID)
    b.u8(bus)
    for (d, f) in path { b.u8(d); b.u8(f) }
    return b.bytes
}

/// Type/length header + `fields` + `scopes`.
func dmarStructure(_ type: UInt16, _ fields: [UInt8], scopes: [[UInt8]] = []) -> [UInt8] {
    let body = fields + scopes.flatMap { $0 }
    var b = Bytes()
    b.u16(type)
    b.u16(UInt16(4 + body.count))
    b.append(body)
    return b.bytes
}

func fields(_ build: (inout Bytes) -> Void) -> [UInt8] {
    var b = Bytes()
    build(&b)
    return b.bytes
}

/// Every DMAR structure type, every scope type, a multi-hop path, a value
/// above 2^53, SIDP scope flags and an unknown structure type.
let dmarFixture: [UInt8] = {
    let drhd1 = dmarStructure(0, fields { $0.u8(0x01); $0.u8(0x00); $0.u16(0); $0.u64(0xFED9_0000) }, scopes: [
        dmarScope(type: 3, enumID: 2, bus: 0xF0, path: [(0x1F, 0)]),
        dmarScope(type: 4, enumID: 0, bus: 0x00, path: [(0x1F, 7)]),
    ])
    let drhd2 = dmarStructure(0, fields { $0.u8(0x00); $0.u8(0x02); $0.u16(1); $0.u64(0xFEDC_BA98_7654_3000) }, scopes: [
        dmarScope(type: 1, bus: 0x00, path: [(0x02, 0)]),
        dmarScope(type: 2, bus: 0x00, path: [(0x1C, 0)]),
    ])
    let rmrr = dmarStructure(1, fields { $0.u16(0); $0.u16(0); $0.u64(0x7C00_0000); $0.u64(0x7C7F_FFFF) }, scopes: [
        dmarScope(type: 1, bus: 0x00, path: [(0x14, 0)]),
        dmarScope(type: 1, bus: 0x00, path: [(0x1C, 0), (0x00, 0)]),
    ])
    let atsr = dmarStructure(2, fields { $0.u8(0x01); $0.u8(0); $0.u16(0) }, scopes: [
        dmarScope(type: 2, bus: 0x00, path: [(0x1C, 0)]),
    ])
    let rhsa = dmarStructure(3, fields { $0.u32(0); $0.u64(0xFED9_0000); $0.u32(1) })
    let andd = dmarStructure(4, fields { $0.text("", 3); $0.u8(1); $0.text("\\_SB.PCI0.I2C0", 16) })
    let satc = dmarStructure(5, fields { $0.u8(0x01); $0.u8(0); $0.u16(0) }, scopes: [
        dmarScope(type: 5, enumID: 1, bus: 0x00, path: [(0x15, 0)]),
    ])
    let sidp = dmarStructure(6, fields { $0.u16(0); $0.u16(0) }, scopes: [
        dmarScope(type: 1, bus: 0x00, path: [(0x02, 0)], flags: 0x1F),
    ])
    let unknown = dmarStructure(9, [0xDE, 0xAD, 0xBE, 0xEF])
    let body = fields { $0.u8(38); $0.u8(0x05); $0.text("", 10) }
        + drhd1 + drhd2 + rmrr + atsr + rhsa + andd + satc + sidp + unknown
    return makeTable("DMAR", revision: 1, body: body)
}()

/// The smallest useful DMAR: one DRHD with one IOAPIC scope (golden JSON).
let dmarMinimal: [UInt8] = makeTable("DMAR", revision: 1, body:
    fields { $0.u8(45); $0.u8(0x01); $0.text("", 10) }
    + dmarStructure(0, fields { $0.u8(0x01); $0.u8(0); $0.u16(0); $0.u64(0xFED9_1000) }, scopes: [
        dmarScope(type: 3, enumID: 8, bus: 0xF0, path: [(0x1F, 0)]),
    ]))

// MARK: IVRS fixture

func ivrsEntry(_ type: UInt8, _ deviceID: UInt16, data: UInt8 = 0, extra: [UInt8] = []) -> [UInt8] {
    fields { $0.u8(type); $0.u16(deviceID); $0.u8(data); $0.append(extra) }
}

func ivrsHIDEntry(_ deviceID: UInt16, hid: String, cid: UInt64 = 0, uidFormat: UInt8, uid: [UInt8]) -> [UInt8] {
    ivrsEntry(0xF0, deviceID, data: 0x40, extra: fields {
        $0.text(hid, 8); $0.u64(cid); $0.u8(uidFormat); $0.u8(UInt8(uid.count)); $0.append(uid)
    })
}

/// IVHD block: 24-byte (10h) or 40-byte (11h/40h) header + entries.
func ivhd(_ type: UInt8, flags: UInt8 = 0xB0, deviceID: UInt16 = 0x0002, base: UInt64, info: UInt16 = 0,
          features: UInt32 = 0, efr: UInt64 = 0, efr2: UInt64 = 0, entries: [[UInt8]]) -> [UInt8] {
    let body = entries.flatMap { $0 }
    let headerSize = type == 0x10 ? 24 : 40
    return fields {
        $0.u8(type); $0.u8(flags); $0.u16(UInt16(headerSize + body.count)); $0.u16(deviceID)
        $0.u16(0x40); $0.u64(base); $0.u16(0); $0.u16(info); $0.u32(features)
        if type != 0x10 { $0.u64(efr); $0.u64(efr2) }
        $0.append(body)
    }
}

func ivmd(_ type: UInt8, flags: UInt8, deviceID: UInt16, aux: UInt16, start: UInt64, length: UInt64) -> [UInt8] {
    fields {
        $0.u8(type); $0.u8(flags); $0.u16(32); $0.u16(deviceID); $0.u16(aux); $0.u64(0); $0.u64(start); $0.u64(length)
    }
}

/// IVHD 10h/11h/40h with every device entry kind, IVMD 20h/21h/22h, a
/// reserved entry type, and an unknown block type 51h.
let ivrsFixture: [UInt8] = {
    let block10 = ivhd(0x10, base: 0xFD20_0000, info: 0x1300, features: 0x8004_8F6E, entries: [
        ivrsEntry(0x02, 0x0000),                                     // select 00:00.0
        ivrsEntry(0x03, 0x0008), ivrsEntry(0x04, 0x00FF),            // range 00:01.0 ... 00:1f.7
        ivrsEntry(0x42, 0x0100, extra: [0, 0xA5, 0x00, 0]),           // alias select 01:00.0 -> 00:14.5
        ivrsEntry(0x43, 0x0200, extra: [0, 0xA4, 0x00, 0]), ivrsEntry(0x04, 0x02FF),
        ivrsEntry(0x46, 0x0300, extra: [0, 0, 0, 0x80]),              // extended select, data 0x80000000
        ivrsEntry(0x47, 0x0400, extra: [1, 0, 0, 0]), ivrsEntry(0x04, 0x04FF),
        ivrsEntry(0x48, 0x0000, data: 0xD7, extra: [0x21, 0xA0, 0x00, 1]),   // IOAPIC 0x21 at 00:14.0
        ivrsEntry(0x48, 0x0000, extra: [0x00, 0xA0, 0x00, 2]),              // HPET 0 at 00:14.0
        ivrsEntry(0x00, 0x0000),                                     // PAD4
        ivrsEntry(0x40, 0x0000, extra: [0, 0, 0, 0]),                 // PAD8
        ivrsEntry(0x45, 0x0500, extra: [1, 2, 3, 4]),                 // reserved 8-byte type
        ivrsEntry(0x80, 0x0600, extra: [UInt8](repeating: 0x11, count: 12)),  // reserved 16-byte type
    ])
    let block11 = ivhd(0x11, base: 0xFD20_0000, features: 0x0004_8000, efr: 0x2465_77EF_A205_4ADA, entries: [
        ivrsEntry(0x01, 0x0000, data: 0x30),                         // all, SysMgt=3
        ivrsHIDEntry(0x00A5, hid: "AMDI0020", uidFormat: 2, uid: Array("\\_SB.FUR0".utf8)),
        ivrsHIDEntry(0x0060, hid: "MSFT0201", uidFormat: 1, uid: [0x02, 0x01]),
    ])
    let block40 = ivhd(0x40, base: 0xFD20_0000, features: 0x0004_8000, efr: 0x2465_77EF_A205_4ADA,
                       efr2: 0x10, entries: [
        ivrsHIDEntry(0x0099, hid: "PNP0D40", uidFormat: 0, uid: []),
    ])
    let unknown51 = fields { $0.u8(0x51); $0.u8(0x08); $0.u16(12); $0.u64(0x0102_0304_0506_0708) }
    let body = fields { $0.u32(0x0020_3043 | 0x40_0000); $0.u64(0) }
        + block10 + block11
        + ivmd(0x20, flags: 0x07, deviceID: 0, aux: 0, start: 0xC9F4_2000, length: 0x26000)
        + ivmd(0x21, flags: 0x08, deviceID: 0x0100, aux: 0, start: 0x7D90_0000, length: 0x10_0000)
        + ivmd(0x22, flags: 0x01, deviceID: 0x0100, aux: 0x01FF, start: 0xFFFF_FFFF_FFFF_0000, length: 0x1_0000)
        + block40 + unknown51
    return makeTable("IVRS", revision: 2, body: body)
}()
