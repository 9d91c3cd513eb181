/// Small, valid ACPI tables built in code for the example hosts (no firmware files are shipped).
public enum SyntheticTables {
    static func header(_ sig: String, revision: UInt8, body: [UInt8]) -> [UInt8] {
        var t = Array(sig.utf8.prefix(4))
        let length = UInt32(36 + body.count)
        t += le(length, 4)
        t += [revision, 0]                     // revision, checksum (filled below)
        t += Array("SRIOVP".utf8)             // OEM ID
        t += Array("EXAMPLE ".utf8)           // OEM table ID
        t += le(1, 4)                          // OEM revision
        t += Array("SPFL".utf8)               // creator ID
        t += le(1, 4)                          // creator revision
        t += body
        t[9] = 0 &- t.reduce(UInt8(0), &+)
        return t
    }

    static func le<T: BinaryInteger>(_ v: T, _ n: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: UInt64(v) >> (8 * UInt64($0))) }
    }

    /// A DMAR with `units` DRHD structures (the last with INCLUDE_PCI_ALL) and optional RMRRs, each
    /// naming an endpoint (bus, device, function).
    /// `ioapicScopes`: I/O APIC ids named by the last DRHD's device scopes (type 3, as QEMU and real
    /// firmware put them: start bus 0xff here).
    public static func dmar(flags: UInt8 = 0x01, hostAddressWidth: UInt8 = 47, units: Int = 1,
                            rmrrEndpoints: [(UInt8, UInt8, UInt8)] = [], ioapicScopes: [UInt8] = []) -> [UInt8] {
        var body: [UInt8] = [hostAddressWidth - 1, flags] + [UInt8](repeating: 0, count: 10)
        for i in 0..<units {
            let includeAll: UInt8 = i == units - 1 ? 1 : 0
            let scopes: [UInt8] = i == units - 1 ? ioapicScopes.flatMap { [3, 8, 0, 0, $0, 0xFF, 0x1E, 0] } : []
            body += le(0, 2) + le(16 + scopes.count, 2) + [includeAll, 0] + le(0, 2) + le(0xFED9_0000 + UInt64(i) * 0x1000, 8) + scopes
        }
        for (n, ep) in rmrrEndpoints.enumerated() {
            let scope: [UInt8] = [1, 8, 0, 0, 0, ep.0, ep.1, ep.2]
            body += le(1, 2) + le(24 + scope.count, 2) + le(0, 2) + le(0, 2)
            body += le(0x7F00_0000 + UInt64(n) * 0x10_0000, 8) + le(0x7F0F_FFFF + UInt64(n) * 0x10_0000, 8)
            body += scope
        }
        return header("DMAR", revision: 1, body: body)
    }

    /// A MADT with one local APIC and the I/O APICs `(id, address, GSI base)`.
    public static func madt(ioapics: [(UInt8, UInt32, UInt32)]) -> [UInt8] {
        var body = le(0xFEE0_0000 as UInt32, 4) + le(1, 4)
        body += [0, 8, 0, 0] + le(1, 4)                                  // processor local APIC 0, enabled
        for (id, address, gsi) in ioapics { body += [1, 12, id, 0] + le(address, 4) + le(gsi, 4) }
        body += [2, 10, 0, 0] + le(2, 4) + le(0, 2)                      // IRQ0 → GSI 2
        return header("APIC", revision: 3, body: body)
    }

    /// An IVRS with one type-0x10 IVHD that selects all devices.
    public static func ivrs(ivinfo: UInt32 = 0x0000_2800) -> [UInt8] {
        var body = le(ivinfo, 4) + [UInt8](repeating: 0, count: 8)
        // IVHD 0x10: type, flags, length, device id, capability offset, base, segment, info, features
        var ivhd: [UInt8] = [0x10, 0xB0] + le(28, 2) + le(0x0002, 2) + le(0x40, 2) + le(0xFEB8_0000, 8)
        ivhd += le(0, 2) + le(0, 2) + le(0, 4)
        ivhd += [0x01, 0, 0, 0]               // device entry: select all
        body += ivhd
        return header("IVRS", revision: 2, body: body)
    }
}
