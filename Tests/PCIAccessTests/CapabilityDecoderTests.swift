@testable import PCIAccess
import Testing

/// SR-IOV, ARI and ACS decoders and their lspci rendering on self-made configs.
struct CapabilityDecoderTests {
    static let bars: [SyntheticConfig.VFBAR] = [
        .init(index: 0, baseAddress: 0xfea0_0000, is64Bit: true, prefetchable: true),
        .init(index: 3, baseAddress: 0x20_0000_4000, is64Bit: true, prefetchable: false),
        .init(index: 5, baseAddress: 0xa690_0000, is64Bit: false, prefetchable: false),
    ]

    static func pf() -> PCIConfigSpace {
        PCIConfigSpace(bytes: SyntheticConfig.sriovPF(
            vendorID: 0x8086, deviceID: 0x10c9, totalVFs: 8, numVFs: 2, firstVFOffset: 128, vfStride: 2,
            vfDeviceID: 0x10ca, vfBARs: bars, functionDependencyLink: 1, ariNextFunction: 1,
            acs: [.srcValid, .reqRedir, .cmpltRedir, .upstreamFwd, .directTrans]))
    }

    @Test func sriovFields() throws {
        let sriov = try #require(Self.pf().sriov)
        #expect(sriov.offset == SyntheticConfig.sriovOffset && sriov.version == 1)
        #expect(sriov.initialVFs == 8 && sriov.totalVFs == 8 && sriov.numVFs == 2)
        #expect(sriov.firstVFOffset == 128 && sriov.vfStride == 2 && sriov.vfDeviceID == 0x10ca)
        #expect(sriov.functionDependencyLink == 1)
        #expect(sriov.vfEnable && sriov.vfMSE && sriov.ariCapableHierarchy)
        #expect(!sriov.vfMigrationEnable && !sriov.vfMigrationInterruptEnable && !sriov.vfMigrationCapable)
        #expect(sriov.supportedPageSizes == 0x553 && sriov.systemPageSize == 1)
        #expect(sriov.vfMigrationStateArrayOffset == 0)
    }

    @Test func sriovBitsAndMigrationRegister() throws {
        var builder = ConfigBuilder()
        builder.bytes = Self.pf().bytes
        let s = SyntheticConfig.sriovOffset
        builder.set32(s + 0x04, 0x0020_0007)  // migration, ARI preserved, 10-bit tags, IMN 1
        builder.set16(s + 0x08, 0x003f)       // every control bit
        builder.set16(s + 0x0A, 0x0001)
        builder.set32(s + 0x3C, 0x0000_1235)  // offset 0x1230, BIR 5
        let sriov = try #require(PCIConfigSpace(bytes: builder.bytes).sriov)
        #expect(sriov.vfMigrationCapable && sriov.ariCapableHierarchyPreserved && sriov.vf10BitTagRequesterSupported)
        #expect(sriov.vfMigrationInterruptMessageNumber == 1)
        #expect(sriov.vfEnable && sriov.vfMigrationEnable && sriov.vfMigrationInterruptEnable)
        #expect(sriov.vfMSE && sriov.ariCapableHierarchy && sriov.vf10BitTagRequesterEnable)
        #expect(sriov.vfMigrationStatus)
        #expect(sriov.vfMigrationStateOffset == 0x1230 && sriov.vfMigrationStateBIR == 5)
        let lines = sriov.lspciLines()
        #expect(lines[1] == "IOVCap:\tMigration+ 10BitTagReq+ Interrupt Message Number: 001")
        #expect(lines[2] == "IOVCtl:\tEnable+ Migration+ Interrupt+ MSE+ ARIHierarchy+ 10BitTagReq+")
        #expect(lines[3] == "IOVSta:\tMigration+")
        #expect(lines.last == "VF Migration: offset: 00001230, BIR: 5")
    }

    @Test func vfBARsConsumeTwoSlotsWhen64Bit() throws {
        let bars = try #require(Self.pf().sriov).vfBARs
        #expect(bars.map(\.index) == [0, 3, 5])
        #expect(bars.map(\.is64Bit) == [true, true, false])
        #expect(bars.map(\.prefetchable) == [true, false, false])
        #expect(bars.map(\.baseAddress) == [0xfea0_0000, 0x20_0000_4000, 0xa690_0000])
        #expect(bars[2].memoryType == .bits32)
    }

    @Test func sriovRendering() throws {
        #expect(try #require(Self.pf().sriov).lspciLines() == [
            "Capabilities: [140 v1] Single Root I/O Virtualization (SR-IOV)",
            "IOVCap:\tMigration- 10BitTagReq- Interrupt Message Number: 000",
            "IOVCtl:\tEnable+ Migration- Interrupt- MSE+ ARIHierarchy+ 10BitTagReq-",
            "IOVSta:\tMigration-",
            "Initial VFs: 8, Total VFs: 8, Number of VFs: 2, Function Dependency Link: 01",
            "VF offset: 128, stride: 2, Device ID: 10ca",
            "Supported Page Size: 00000553, System Page Size: 00000001",
            "Region 0: Memory at 00000000fea00000 (64-bit, prefetchable)",
            "Region 3: Memory at 0000002000004000 (64-bit, non-prefetchable)",
            "Region 5: Memory at a6900000 (32-bit, non-prefetchable)",
            "VF Migration: offset: 00000000, BIR: 0",
        ])
    }

    @Test func vfAddresses() throws {
        let sriov = try #require(Self.pf().sriov)
        let pf = try #require(PCIAddress("0000:01:00.0"))
        #expect(sriov.vfAddresses(pf: pf).map(\.description) == ["0000:01:10.0", "0000:01:10.2"])
        #expect(sriov.vfAddresses(pf: pf, count: 8).last?.description == "0000:01:11.6")
        #expect(sriov.vfAddresses(pf: pf, count: 0).isEmpty)
        #expect(sriov.vfAddresses(pf: pf, count: -1).isEmpty)
        // Routing IDs carry into the next bus, and stop at 0xffff.
        let high = try #require(PCIAddress("0003:ff:1f.0"))
        #expect(sriov.vfAddresses(pf: try #require(PCIAddress("0003:fe:1f.0")), count: 2).map(\.description)
            == ["0003:ff:0f.0", "0003:ff:0f.2"])
        #expect(sriov.vfAddresses(pf: high, count: 8).isEmpty)
    }

    @Test func ariFieldsAndRendering() throws {
        var builder = ConfigBuilder()
        builder.bytes = Self.pf().bytes
        let ari = try #require(PCIConfigSpace(bytes: builder.bytes).ari)
        #expect(ari.nextFunction == 1 && !ari.mfvcFunctionGroups && !ari.acsFunctionGroups && ari.functionGroup == 0)
        #expect(ari.lspciLines() == [
            "Capabilities: [100 v1] Alternative Routing-ID Interpretation (ARI)",
            "ARICap:\tMFVC- ACS-, Next Function: 1",
            "ARICtl:\tMFVC- ACS-, Function Group: 0",
        ])
        builder.set16(0x104, 0xff03)
        builder.set16(0x106, 0x0073)
        let all = try #require(PCIConfigSpace(bytes: builder.bytes).ari)
        #expect(all.mfvcFunctionGroups && all.acsFunctionGroups && all.nextFunction == 255)
        #expect(all.mfvcFunctionGroupsEnabled && all.acsFunctionGroupsEnabled && all.functionGroup == 7)
        #expect(all.lspciLines().dropFirst() == ["ARICap:\tMFVC+ ACS+, Next Function: 255", "ARICtl:\tMFVC+ ACS+, Function Group: 7"])
    }

    @Test func acsFieldsAndRendering() throws {
        var builder = ConfigBuilder()
        builder.bytes = Self.pf().bytes
        let acs = try #require(PCIConfigSpace(bytes: builder.bytes).acs)
        #expect(acs.capabilities == [.srcValid, .reqRedir, .cmpltRedir, .upstreamFwd, .directTrans])
        #expect(acs.control.isEmpty && acs.egressControlVectorBits == nil)
        #expect(acs.lspciLines() == [
            "Capabilities: [180 v1] Access Control Services",
            "ACSCap:\tSrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans+",
            "ACSCtl:\tSrcValid- TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-",
        ])
        builder.set16(0x184, 0x00ff)  // every bit, egress vector size 0 (= 256); bit 7 is not a feature
        builder.set16(0x186, 0x001d)
        let all = try #require(PCIConfigSpace(bytes: builder.bytes).acs)
        #expect(all.capabilities.rawValue == 0x7f && all.egressControlVectorBits == 256)
        #expect(all.control == [.srcValid, .reqRedir, .cmpltRedir, .upstreamFwd])
        #expect(all.lspciLines()[2] == "ACSCtl:\tSrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-")
        builder.set16(0x184, 0x0820)
        #expect(PCIConfigSpace(bytes: builder.bytes).acs?.egressControlVectorBits == 8)
    }

    @Test func virtualFunctionConfig() throws {
        let vf = PCIConfigSpace(bytes: SyntheticConfig.sriovVF(subsystemVendorID: 0x8086, subsystemID: 0xa03c))
        #expect(vf.vendorID == 0xffff && vf.deviceID == 0xffff)
        #expect(vf.word(at: 0x2c) == 0x8086 && vf.word(at: 0x2e) == 0xa03c)
        #expect(vf.pcie?.deviceType == .endpoint)
        #expect(vf.extendedCapabilities.map(\.id) == [0x0E])
        #expect(vf.sriov == nil)
    }
}
