/// The MADT (Multiple APIC Description Table, signature "APIC"): here its I/O APIC entries, which interrupt
/// remapping on Intel needs under some DRHD's device scope (an IOAPIC scope whose enumeration id is the I/O
/// APIC's id), and a count of every entry type.
public struct MADTTable: Sendable, Equatable {
    public static let signature = "APIC"
    /// Header (36) + local APIC address (4) + flags (4).
    static let fixedPartSize = 44

    /// One I/O APIC entry (type 1, 12 bytes).
    public struct IOAPIC: Sendable, Equatable {
        public let offset: Int
        public let id: UInt8
        public let address: UInt32
        public let gsiBase: UInt32
    }

    public let header: ACPITableHeader
    public let localAPICAddress: UInt32
    /// Bit 0: PCAT_COMPAT (dual 8259s).
    public let flags: UInt32
    public let ioapics: [IOAPIC]
    /// Entry type → how many (0 local APIC, 1 I/O APIC, 2 interrupt source override, 4 NMI, 9 x2APIC, …).
    public let entryCounts: [UInt8: Int]
    public let warnings: [ACPIDecodeWarning]

    public static func decode(_ bytes: [UInt8]) throws -> MADTTable {
        var warnings: [ACPIDecodeWarning] = []
        let (header, table) = try ACPITableHeader.decode(bytes, signature: signature, fixedPartSize: fixedPartSize, warnings: &warnings)
        var ioapics: [IOAPIC] = []
        var counts: [UInt8: Int] = [:]
        var offset = fixedPartSize
        while offset < table.end {
            if table.end - offset < 2 {
                throw ACPIDecodeError(offset: offset, reason: "1 byte left at the table end, too few for a 2-byte interrupt controller structure header")
            }
            let type = try table.u8(offset)
            let length = Int(try table.u8(offset + 1))
            try checkItemLength("interrupt controller structure (type \(type))", offset: offset, length: length,
                                minimum: type == 1 ? 12 : 2, containerEnd: table.end, container: "table")
            counts[type, default: 0] += 1
            if type == 1 {
                if length > 12 {
                    warnings.append(ACPIDecodeWarning(offset: offset, message: "I/O APIC structure length \(length) is longer than 12; extra bytes ignored"))
                }
                ioapics.append(IOAPIC(offset: offset, id: try table.u8(offset + 2), address: try table.u32(offset + 4),
                                      gsiBase: try table.u32(offset + 8)))
            }
            offset += length
        }
        var seen: [UInt8: Int] = [:]
        for a in ioapics {
            if let first = seen[a.id] {
                warnings.append(ACPIDecodeWarning(offset: a.offset, message: "I/O APIC id \(a.id) listed twice (first at \(hex(first)))"))
            } else {
                seen[a.id] = a.offset
            }
        }
        return MADTTable(header: header, localAPICAddress: try table.u32(36), flags: try table.u32(40), ioapics: ioapics,
                         entryCounts: counts, warnings: warnings)
    }

    /// "IOAPIC id 8 at 0xFEC00000, GSI base 0".
    public static func describe(_ a: IOAPIC) -> String {
        "IOAPIC id \(a.id) at \(hex(a.address, 8)), GSI base \(a.gsiBase)"
    }
}

extension DMARTable {
    /// The I/O APIC ids the DRHDs' device scopes name (scope type 3, the enumeration id), with the
    /// register base of the DRHD that names each.
    public var ioapicScopes: [(id: UInt8, drhdBase: UInt64)] {
        drhdUnits.flatMap { u in u.deviceScopes.filter { $0.type == .ioapic }.map { ($0.enumerationID, u.registerBaseAddress) } }
    }

    /// The MADT's I/O APICs no DRHD names: the kernel's "ioapic N has no mapping iommu, interrupt remapping
    /// will be disabled" (parse_ioapics_under_ir).
    public func ioapicsNotUnderDRHD(_ madt: MADTTable) -> [MADTTable.IOAPIC] {
        let named = Set(ioapicScopes.map(\.id))
        return madt.ioapics.filter { !named.contains($0.id) }
    }
}
