import ACPITables
import Foundation
import Testing

@Suite("DMAR decoding of hand-made tables")
struct DMARFixtureTests {
    let table: DMARTable

    init() throws {
        table = try DMARTable.decode(dmarFixture)
    }

    @Test func header() {
        let h = table.header
        #expect(h.signature == "DMAR")
        #expect(Int(h.length) == dmarFixture.count)
        #expect(h.revision == 1)
        #expect(h.checksumValid)
        #expect(h.checksum == dmarFixture[9])
        #expect(h.oemID == "FIXTUR" && h.oemTableID == "ACPITEST" && h.oemRevision == 0x2026_0001)
        #expect(h.creatorID == "SWFT" && h.creatorRevision == 0x603)
        #expect(table.warnings == [ACPIDecodeWarning(
            offset: table.structures.last!.offset, message: "unknown remapping structure type 9 (length 8) kept raw")])
    }

    @Test func flagsAndWidth() {
        #expect(table.hostAddressWidth == 38 && table.hostAddressWidthBits == 39)
        #expect(table.flags == 0x05)
        #expect(table.intrRemap && !table.x2apicOptOut && table.dmaCtrlPlatformOptIn)
        #expect(table.flagNames == ["INTR_REMAP", "DMA_CTRL_PLATFORM_OPT_IN"])
    }

    @Test func structureList() {
        #expect(table.structures.map(\.typeName) == ["DRHD", "DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP", "unknown"])
        #expect(table.structures.map(\.typeCode) == [0, 0, 1, 2, 3, 4, 5, 6, 9])
        #expect(table.structures.first?.offset == 48)
        // Structures tile the table exactly.
        var next = 48
        for s in table.structures {
            #expect(s.offset == next)
            next += Int(s.length)
        }
        #expect(next == Int(table.header.length))
    }

    @Test func drhd() throws {
        let units = table.drhdUnits
        try #require(units.count == 2)
        #expect(units[0].includePCIAll && units[0].segment == 0 && units[0].registerBaseAddress == 0xFED9_0000)
        #expect(units[0].registerSetPages == 1)
        #expect(units[0].deviceScopes.map(\.type) == [.ioapic, .msiCapableHPET])
        #expect(units[0].deviceScopes[0].enumerationID == 2 && units[0].deviceScopes[0].startBus == 0xF0)
        #expect(!units[1].includePCIAll && units[1].segment == 1 && units[1].size == 2 && units[1].registerSetPages == 4)
        #expect(units[1].registerBaseAddress == 0xFEDC_BA98_7654_3000)
        #expect(units[1].deviceScopes.map(\.type) == [.pciEndpoint, .pciBridge])
    }

    @Test func rmrrScopesNameTheirDevices() throws {
        let rmrr = try #require(table.rmrrs.first)
        #expect(rmrr.segment == 0 && rmrr.baseAddress == 0x7C00_0000 && rmrr.endAddress == 0x7C7F_FFFF)
        try #require(rmrr.deviceScopes.count == 2)
        let direct = rmrr.deviceScopes[0]
        #expect(direct.path == [DMARPathEntry(device: 0x14, function: 0)])
        #expect(direct.directAddress! == (0, 0x14, 0))
        #expect(direct.endpointAddress { _, _, _ in nil }! == (0, 0x14, 0), "one hop needs no bridge lookup")

        let behindBridge = rmrr.deviceScopes[1]
        #expect(behindBridge.pathPairs.map { [$0.device, $0.function] } == [[0x1C, 0], [0, 0]])
        #expect(behindBridge.directAddress == nil)
        var asked: [[UInt8]] = []
        let resolved = behindBridge.endpointAddress { bus, dev, fn in
            asked.append([bus, dev, fn])
            return 0x03
        }
        #expect(resolved! == (3, 0, 0))
        #expect(asked == [[0, 0x1C, 0]])
        #expect(behindBridge.endpointAddress { _, _, _ in nil } == nil, "unknown bridge: unresolved")
    }

    @Test func otherStructures() throws {
        let atsr = try #require(table.atsrs.first)
        #expect(atsr.allPorts && atsr.segment == 0 && atsr.deviceScopes.map(\.type) == [.pciBridge])
        let rhsa = try #require(table.rhsas.first)
        #expect(rhsa.registerBaseAddress == 0xFED9_0000 && rhsa.proximityDomain == 1)
        let andd = try #require(table.andds.first)
        #expect(andd.acpiDeviceNumber == 1 && andd.acpiObjectName == "\\_SB.PCI0.I2C0")
        let satc = try #require(table.satcs.first)
        #expect(satc.atcRequired && satc.deviceScopes.first?.type == .acpiNamespaceDevice)
        #expect(satc.deviceScopes.first?.enumerationID == 1)
        let sidp = try #require(table.sidps.first)
        #expect(sidp.deviceScopes.first?.flags == 0x1F)
        #expect(sidp.deviceScopes.first?.flagNames.count == 5)
        guard case .unknown(let u) = table.structures.last else {
            Issue.record("last structure should be unknown")
            return
        }
        #expect(u.typeCode == 9 && u.length == 8 && u.body == [0xDE, 0xAD, 0xBE, 0xEF])
    }

    @Test func jsonHasSpecFieldNamesAndExactIntegers() throws {
        let json = table.jsonString()
        #expect(json == table.jsonString())
        #expect(json.contains("\"register_base_address\":18364758544493064192"), "UInt64 above 2^53 is exact")
        #expect(json.contains("\"end_address\":2088763391"))
        #expect(json.contains("\"path\":[{\"device\":28,\"function\":0},{\"device\":0,\"function\":0}]"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["signature", "length", "revision", "checksum_valid", "oem_id", "oem_table_id",
                    "host_address_width", "flags", "structures"] {
            #expect(object[key] != nil, "top-level \(key)")
        }
        let structures = try #require(object["structures"] as? [[String: Any]])
        #expect(structures.map { $0["type"] as? String } == ["DRHD", "DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP", "unknown"])
        let scope = try #require((structures[2]["device_scopes"] as? [[String: Any]])?.first)
        #expect(Set(scope.keys).isSuperset(of: ["type_code", "enumeration_id", "start_bus", "path"]))
        #expect(table.jsonData(pretty: true) == Array(table.jsonString(pretty: true).utf8))
    }

    @Test func goldenJSONOfMinimalTable() throws {
        let t = try DMARTable.decode(dmarMinimal)
        let checksum = dmarMinimal[9]
        #expect(t.jsonString() == """
            {"checksum":\(checksum),"checksum_valid":true,"creator_id":"SWFT","creator_revision":1539,\
            "dma_ctrl_platform_opt_in":false,"flag_names":["INTR_REMAP"],"flags":1,"host_address_width":45,\
            "host_address_width_bits":46,"intr_remap":true,"length":72,"oem_id":"FIXTUR","oem_revision":539361281,\
            "oem_table_id":"ACPITEST","revision":1,"signature":"DMAR","structures":[{"device_scopes":[\
            {"enumeration_id":8,"flag_names":[],"flags":0,"length":8,"offset":64,"path":[{"device":31,"function":0}],\
            "start_bus":240,"type":"IOAPIC","type_code":3}],"flags":1,"include_pci_all":true,"length":24,"offset":48,\
            "register_base_address":4275638272,"segment":0,"size":0,"type":"DRHD","type_code":0}],"warnings":[],\
            "x2apic_opt_out":false}
            """)
        #expect(t.jsonString(pretty: true).hasPrefix("{\n  \"checksum\": \(checksum),\n  \"checksum_valid\": true,"))
    }

    @Test func textDescription() {
        let text = table.textDescription()
        for line in [
            "DMAR: DMA Remapping table (Intel VT-d), \(dmarFixture.count) bytes, revision 1",
            "Host address width: 39 bits; flags 0x05 (INTR_REMAP, DMA_CTRL_PLATFORM_OPT_IN)",
            "[0x030] DRHD length 32 flags 0x01 (INCLUDE_PCI_ALL) segment 0 register base 0x00000000FED90000",
            "scope IOAPIC enumeration id 2 start bus 0xF0 path 1F.0 = f0:1f.0",
            "scope PCI_ENDPOINT start bus 0x00 path 1C.0 > 00.0 (behind bridge 00:1c.0)",
            "ANDD length 24 ACPI device number 1 name \"\\_SB.PCI0.I2C0\"",
            "at offset 0x",
        ] {
            #expect(text.contains(line), "text view should contain: \(line)\n\(text)")
        }
    }
}

@Suite("IVRS decoding of hand-made tables")
struct IVRSFixtureTests {
    let table: IVRSTable

    init() throws {
        table = try IVRSTable.decode(ivrsFixture)
    }

    @Test func headerAndIVinfo() {
        #expect(table.header.signature == "IVRS" && table.header.revision == 2 && table.header.checksumValid)
        let i = table.ivInfo
        #expect(i.raw == 0x0060_3043)
        #expect(i.efrSupported && i.dmaRemapSupport && i.htAtsReserved && table.efrSupported)
        #expect(i.guestVirtualAddressSize == 2 && i.physicalAddressSize == 48 && i.virtualAddressSize == 64)
    }

    @Test func blocks() throws {
        #expect(table.blocks.map(\.typeCode) == [0x10, 0x11, 0x20, 0x21, 0x22, 0x40, 0x51])
        #expect(table.blocks.map(\.typeName) == ["IVHD", "IVHD", "IVMD", "IVMD", "IVMD", "IVHD", "unknown"])
        let h = table.ivhdBlocks
        try #require(h.count == 3)
        #expect(h[0].flags == 0xB0 && h[0].flagNames == ["IotlbSup", "Coherent", "PPRSup"])
        #expect(h[0].deviceID == 2 && h[0].capabilityOffset == 0x40 && h[0].baseAddress == 0xFD20_0000)
        #expect(h[0].iommuInfo == 0x1300 && h[0].unitID == 0x13 && h[0].msiNumber == 0)
        #expect(h[0].iommuFeatures == 0x8004_8F6E && h[0].iommuAttributes == nil && h[0].efrRegisterImage == nil)
        #expect(h[1].iommuFeatures == nil && h[1].iommuAttributes == 0x0004_8000)
        #expect(h[1].efrRegisterImage == 0x2465_77EF_A205_4ADA && h[1].efrRegisterImage2 == 0)
        #expect(h[2].efrRegisterImage2 == 0x10)
        guard case .unknown(let u) = table.blocks.last else {
            Issue.record("last block should be unknown")
            return
        }
        #expect(u.flags == 0x08 && u.length == 12 && u.body == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(table.warnings.map(\.offset).contains(u.offset))
    }

    @Test func deviceEntries() throws {
        let e = table.ivhdBlocks[0].entries
        #expect(e.map(\.typeCode) == [0x02, 0x03, 0x04, 0x42, 0x43, 0x04, 0x46, 0x47, 0x04, 0x48, 0x48, 0x00, 0x40, 0x45, 0x80])
        #expect(e.map(\.length) == [4, 4, 4, 8, 8, 4, 8, 8, 4, 8, 8, 4, 8, 8, 16])
        #expect(e[1].payload == .rangeStart && e[1].deviceID == 0x0008 && e[2].deviceID == 0x00FF)
        #expect(e[3].payload == .alias(sourceDeviceID: 0x00A5))
        #expect(e[6].payload == .extended(data: 0x8000_0000))
        #expect(e[9].payload == .special(handle: 0x21, sourceDeviceID: 0x00A0, variety: 1))
        #expect(e[9].dataSetting == 0xD7)
        #expect(e[9].dataSettingNames == ["INITPass", "EIntPass", "NMIPass", "SysMgt=1", "Lint0Pass", "Lint1Pass"])
        #expect(e[10].payload == .special(handle: 0, sourceDeviceID: 0x00A0, variety: 2))
        #expect(e[11].payload == .padding && e[12].payload == .padding)
        #expect(e[13].payload == .reserved(data: [1, 2, 3, 4]))
        #expect(e[14].payload == .reserved(data: [UInt8](repeating: 0x11, count: 12)))
        #expect(table.warnings.filter { $0.message.hasPrefix("reserved device entry type") }.map(\.offset)
                == [e[13].offset, e[14].offset])
    }

    @Test func acpiHIDEntries() throws {
        let e = table.ivhdBlocks[1].entries
        #expect(e.map(\.typeName) == ["ALL", "ACPI_HID", "ACPI_HID"])
        #expect(e[0].dataSettingNames == ["SysMgt=3"])
        guard case .acpiHID(let fur0) = e[1].payload, case .acpiHID(let msft) = e[2].payload,
              case .acpiHID(let pnp) = table.ivhdBlocks[2].entries.first?.payload else {
            Issue.record("expected ACPI HID entries")
            return
        }
        #expect(fur0.hid == "AMDI0020" && fur0.cid == 0 && fur0.uidFormat == 2 && fur0.uidString == "\\_SB.FUR0")
        #expect(e[1].length == 31)
        #expect(msft.uidFormat == 1 && msft.uidLength == 2 && msft.uidInteger == 0x0102 && msft.uidString == nil)
        #expect(pnp.hid == "PNP0D40" && pnp.uidFormat == 0 && pnp.uid.isEmpty && pnp.uidInteger == nil)
    }

    @Test func ivmd() throws {
        let m = table.ivmdBlocks
        try #require(m.count == 3)
        #expect(m[0].unity && m[0].readable && m[0].writable && !m[0].exclusionRange)
        #expect(m[0].startAddress == 0xC9F4_2000 && m[0].memoryBlockLength == 0x26000)
        #expect(m[1].exclusionRange && m[1].deviceID == 0x0100 && m[1].flagNames == ["ExclusionRange"])
        #expect(m[2].deviceID == 0x0100 && m[2].auxiliaryData == 0x01FF && m[2].startAddress == 0xFFFF_FFFF_FFFF_0000)
        #expect(m[2].scope == "devices 01:00.0...01:1f.7")
    }

    @Test func json() throws {
        let json = table.jsonString()
        #expect(json == table.jsonString())
        #expect(json.contains("\"start_address\":18446744073709486080"), "UInt64 above 2^53 is exact")
        #expect(json.contains("\"efr_register_image\":2622634229112326874"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let info = try #require(object["iv_info"] as? [String: Any])
        #expect(info["efr_supported"] as? Bool == true && info["physical_address_size"] as? Int == 48)
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["IVHD", "IVHD", "IVMD", "IVMD", "IVMD", "IVHD", "unknown"])
        #expect(blocks[0]["iommu_features"] != nil && blocks[0]["efr_register_image"] == nil)
        #expect(blocks[1]["iommu_attributes"] != nil && blocks[1]["efr_register_image"] != nil)
        for key in ["flags", "device_id", "auxiliary_data", "start_address", "memory_block_length"] {
            #expect(blocks[2][key] != nil, "IVMD \(key)")
        }
        let entries = try #require(blocks[1]["entries"] as? [[String: Any]])
        #expect(entries[1]["hid"] as? String == "AMDI0020" && entries[1]["uid"] as? String == "\\_SB.FUR0")
        #expect(entries[2]["uid"] as? Int == 0x0102)
    }

    @Test func textDescription() {
        let text = table.textDescription()
        for line in [
            "IVRS: I/O Virtualization Reporting Structure (AMD-Vi)",
            "IVinfo 0x00603043 (EFRSup, DMA remap support, HtAtsResv): VA size 64 bits, PA size 48 bits",
            "IVHD type 0x10 length",
            "IOMMU 00:00.2 segment 0 base 0x00000000FD200000",
            "ALIAS_SELECT 01:00.0 alias 00:14.5",
            "SPECIAL IOAPIC handle 33 = 00:14.0 data 0xD7",
            "ACPI_HID 00:14.5 HID \"AMDI0020\" UID \"\\_SB.FUR0\"",
            "IVMD type 0x22 length 32 devices 01:00.0...01:1f.7 flags 0x01 (Unity)",
            "unknown block type 0x51 flags 0x08 length 12 (skipped)",
        ] {
            #expect(text.contains(line), "text view should contain: \(line)\n\(text)")
        }
    }
}

@Suite("Shared API")
struct SharedAPITests {
    @Test func dispatchBySignature() throws {
        #expect(ACPITableKind(bytes: dmarFixture) == .dmar)
        #expect(ACPITableKind(bytes: ivrsFixture) == .ivrs)
        #expect(ACPITableKind(bytes: Array("APIC".utf8)) == nil)
        #expect(try ACPITable.decode(dmarFixture).kind == .dmar)
        #expect(try ACPITable.decode(ivrsFixture).kind == .ivrs)
        #expect(throws: ACPIDecodeError(offset: 0, reason: "signature \"IVRS\" is not \"DMAR\"")) {
            try DMARTable.decode(ivrsFixture)
        }
    }

    @Test func verifyChecksum() {
        #expect(ACPITableHeader.verifyChecksum(dmarFixture))
        #expect(DMARTable.verifyChecksum(dmarFixture) && IVRSTable.verifyChecksum(ivrsFixture))
        var bad = ivrsFixture
        bad[9] &+= 1
        #expect(!ACPITableHeader.verifyChecksum(bad))
        #expect(!ACPITableHeader.verifyChecksum([]))
        #expect(!ACPITableHeader.verifyChecksum(Array(dmarFixture.dropLast())), "Length past the bytes")
    }

    @Test func errorDescriptionNamesOffsetAndReason() {
        let error = ACPIDecodeError(offset: 0x30, reason: "DRHD structure length 16 runs past the table end")
        #expect(error.description == "at offset 0x30: DRHD structure length 16 runs past the table end")
    }

    @Test func textFieldsShowControlBytesAsSpaces() throws {
        var t = dmarMinimal
        t.replaceSubrange(16..<24, with: [0x01, 0, 0, 0, 0, 0, 0, 0])
        t.replaceSubrange(28..<32, with: [0xD2, 0x04, 0, 0])
        let h = try DMARTable.decode(withChecksum(t)).header
        #expect(h.oemTableID == " " && h.creatorID == "  ")
    }
}
