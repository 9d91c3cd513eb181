import ACPITables
import Foundation
import Testing

/// The MADT decoder (I/O APIC entries) and the DMAR's IOAPIC scopes: every I/O APIC under some DRHD.
@Suite("MADT")
struct MADTTests {
    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    /// A table with `sig`, a valid checksum and `body` after the 36-byte header.
    static func table(_ sig: String, _ body: [UInt8], revision: UInt8 = 3) -> [UInt8] {
        var t = Array(sig.utf8) + le(UInt64(36 + body.count), 4) + [revision, 0] + Array("TESTID".utf8) + Array("TABLE   ".utf8)
            + le(1, 4) + Array("TEST".utf8) + le(1, 4) + body
        t[9] = 0 &- t.reduce(UInt8(0), &+)
        return t
    }

    static func madt(_ entries: [[UInt8]]) -> [UInt8] {
        table("APIC", le(0xFEE0_0000, 4) + le(1, 4) + entries.flatMap { $0 })
    }
    static func ioapic(_ id: UInt8, _ addr: UInt64, _ gsi: UInt64) -> [UInt8] { [1, 12, id, 0] + le(addr, 4) + le(gsi, 4) }
    static let lapic: [UInt8] = [0, 8, 0, 0, 1, 0, 0, 0]
    static let override: [UInt8] = [2, 10, 0, 0, 2, 0, 0, 0, 0, 0]
    static let x2apic: [UInt8] = [9, 16, 0, 0] + le(0x100, 4) + le(1, 4) + le(0x100, 4)

    /// A DMAR with one DRHD (INCLUDE_PCI_ALL) naming `ids` as IOAPIC scopes.
    static func dmar(ioapics ids: [UInt8]) -> [UInt8] {
        let scopes = ids.flatMap { [3, 8, 0, 0, $0, 0xF0, 0x1F, 0] as [UInt8] }
        let drhd: [UInt8] = le(0, 2) + le(UInt64(16 + scopes.count), 2) + [1, 0] + le(0, 2) + le(0xFED9_0000, 8) + scopes
        return table("DMAR", [46, 1] + [UInt8](repeating: 0, count: 10) + drhd, revision: 1)
    }

    @Test("I/O APIC entries: id, address, GSI base; other entry types counted")
    func decode() throws {
        let m = try MADTTable.decode(Self.madt([Self.lapic, Self.ioapic(8, 0xFEC0_0000, 0), Self.override, Self.ioapic(9, 0xFEC0_1000, 24), Self.x2apic]))
        #expect(m.localAPICAddress == 0xFEE0_0000 && m.flags == 1)
        #expect(m.ioapics.map(\.id) == [8, 9])
        #expect(m.ioapics.map(\.address) == [0xFEC0_0000, 0xFEC0_1000])
        #expect(m.ioapics.map(\.gsiBase) == [0, 24])
        #expect(m.ioapics.map(\.offset) == [52, 74])
        #expect(m.entryCounts == [0: 1, 1: 2, 2: 1, 9: 1])
        #expect(m.warnings.isEmpty)
        #expect(MADTTable.describe(m.ioapics[1]) == "IOAPIC id 9 at 0xFEC01000, GSI base 24")
    }

    @Test("QEMU's MADT (lab capture): one I/O APIC, id 0, under the DRHD of the same capture")
    func qemu() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/hosts/intel-igb-ready/sys/firmware/acpi/tables"
        let apic = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/APIC")))
        let dmar = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/DMAR")))
        let m = try MADTTable.decode(apic)
        #expect(m.ioapics.map { [$0.id] + Self.le(UInt64($0.address), 4) } == [[0, 0, 0, 0xC0, 0xFE]])
        let d = try DMARTable.decode(dmar)
        #expect(d.ioapicScopes.map(\.id) == [0])
        #expect(d.ioapicsNotUnderDRHD(m).isEmpty)
    }

    @Test("an I/O APIC no DRHD names is found; one named is not")
    func coverage() throws {
        let m = try MADTTable.decode(Self.madt([Self.ioapic(8, 0xFEC0_0000, 0), Self.ioapic(9, 0xFEC0_1000, 24)]))
        #expect(try DMARTable.decode(Self.dmar(ioapics: [8])).ioapicsNotUnderDRHD(m).map(\.id) == [9])
        #expect(try DMARTable.decode(Self.dmar(ioapics: [9, 8])).ioapicsNotUnderDRHD(m).isEmpty)
        #expect(try DMARTable.decode(Self.dmar(ioapics: [])).ioapicsNotUnderDRHD(m).map(\.id) == [8, 9])
    }

    @Test("malformed: wrong signature, short header length, zero-length entry, short I/O APIC entry, entry past the end; every prefix")
    func malformed() throws {
        func error(_ b: [UInt8]) -> ACPIDecodeError? {
            do { _ = try MADTTable.decode(b); return nil } catch let e as ACPIDecodeError { return e } catch { return nil }
        }
        #expect(error(Self.table("APIX", Self.le(0, 8)))?.offset == 0)
        #expect(error(Self.table("APIC", Self.le(0, 4)))?.offset == 4)
        #expect(error(Self.madt([[0, 0]]))?.offset == 44)
        #expect(error(Self.madt([Self.lapic, [1, 8, 2, 0, 0, 0, 0, 0]]))?.offset == 52)
        #expect(error(Self.madt([[0, 40, 0, 0]]))?.offset == 44)
        #expect(error(Self.madt([[0]]))?.offset == 44)
        let good = Self.madt([Self.lapic, Self.ioapic(8, 0xFEC0_0000, 0), Self.override])
        for n in 0..<good.count { _ = error(Array(good.prefix(n))) }   // never a crash
        let dup = try MADTTable.decode(Self.madt([Self.ioapic(8, 0xFEC0_0000, 0), Self.ioapic(8, 0xFEC0_1000, 24)]))
        #expect(dup.warnings.contains { $0.message.contains("listed twice") })
        let long = try MADTTable.decode(Self.madt([[1, 14, 3, 0] + Self.le(0xFEC0_0000, 4) + Self.le(0, 4) + [0, 0]]))
        #expect(long.ioapics.map(\.id) == [3] && long.warnings.contains { $0.message.contains("longer than 12") })
    }
}
