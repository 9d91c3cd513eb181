@testable import PCIAccess
import Testing

/// Capability walks over self-made config spaces: valid chains, loops,
/// out-of-range pointers and garbage.
struct ConfigSpaceTests {
    /// A PF from SyntheticConfig, as a builder to modify.
    static func pfBuilder(acs: ACSCapability.Features? = nil) -> ConfigBuilder {
        var builder = ConfigBuilder()
        builder.bytes = SyntheticConfig.sriovPF(vendorID: 0x8086, deviceID: 0x10c9, totalVFs: 8, numVFs: 2,
                                                firstVFOffset: 128, vfStride: 2, vfDeviceID: 0x10ca, acs: acs)
        return builder
    }

    @Test func syntheticPFHasTheDocumentedLayout() {
        let config = PCIConfigSpace(bytes: Self.pfBuilder(acs: [.srcValid]).bytes)
        #expect(config.count == 4096)
        #expect(config.capabilities.map(\.id) == [0x10])
        #expect(config.capabilities.map(\.offset) == [0x40])
        #expect(config.extendedCapabilities.map(\.id) == [0x0E, 0x10, 0x0D])
        #expect(config.extendedCapabilities.map(\.offset) == [0x100, 0x140, 0x180])
        #expect(config.extendedCapabilities.map(\.version) == [1, 1, 1])
        #expect(config.sriov?.offset == 0x140 && config.ari?.offset == 0x100 && config.acs?.offset == 0x180)
    }

    @Test func standardChainWithSeveralCapabilities() {
        var builder = Self.pfBuilder()
        builder.set8(0x41, 0x50)          // PCIe -> 0x50
        builder.set16(0x50, 0x6001)       // PM (01) -> 0x60
        builder.set16(0x60, 0x0005)       // MSI (05) -> end
        let config = PCIConfigSpace(bytes: builder.bytes)
        #expect(config.capabilities.map(\.id) == [0x10, 0x01, 0x05])
        #expect(config.capabilities.map(\.offset) == [0x40, 0x50, 0x60])
    }

    @Test func standardChainLoopsStop() {
        var builder = Self.pfBuilder()
        builder.set8(0x41, 0x50)
        builder.set16(0x50, 0x4001)       // PM -> back to 0x40
        #expect(PCIConfigSpace(bytes: builder.bytes).capabilities.map(\.offset) == [0x40, 0x50])
        builder.set8(0x41, 0x40)          // PCIe -> itself
        #expect(PCIConfigSpace(bytes: builder.bytes).capabilities.map(\.offset) == [0x40])
    }

    @Test func standardChainBadPointersStop() {
        var builder = Self.pfBuilder()
        builder.set8(0x41, 0x08)          // next points into the header
        #expect(PCIConfigSpace(bytes: builder.bytes).capabilities.map(\.offset) == [0x40])
        builder.set8(0x41, 0x50)
        builder.set16(0x50, 0x00ff)       // ID 0xff: chain broken
        #expect(PCIConfigSpace(bytes: builder.bytes).capabilities.map(\.offset) == [0x40])
        // Low bits of pointers are ignored, as in hardware: 0x43 -> 0x40.
        builder.set8(0x34, 0x43)
        #expect(PCIConfigSpace(bytes: builder.bytes).capabilities.first?.offset == 0x40)
        // A pointer past the end of a short config space.
        builder.set8(0x34, 0xfc)
        #expect(PCIConfigSpace(bytes: Array(builder.bytes.prefix(0xfd))).capabilities.isEmpty)
    }

    @Test func noCapabilityListBitMeansNoCapabilities() {
        var builder = Self.pfBuilder()
        builder.set16(0x06, 0x0000)
        let config = PCIConfigSpace(bytes: builder.bytes)
        #expect(config.capabilities.isEmpty)
        #expect(config.extendedCapabilities.isEmpty)   // no PCIe capability reachable
        #expect(config.pcie == nil && config.sriov == nil)
    }

    @Test func cardBusBridgeUsesPointerAt0x14() {
        var builder = Self.pfBuilder()
        builder.set8(0x0E, 0x02)
        builder.set8(0x34, 0x00)
        builder.set8(0x14, 0x40)
        #expect(PCIConfigSpace(bytes: builder.bytes).capabilities.map(\.offset) == [0x40])
    }

    @Test func extendedChainLoopsStop() {
        var builder = Self.pfBuilder()
        builder.set32(0x140, 0x1001_0010)  // SR-IOV -> 0x100 (loop)
        #expect(PCIConfigSpace(bytes: builder.bytes).extendedCapabilities.map(\.offset) == [0x100, 0x140])
        builder.set32(0x100, 0x1001_000E)  // ARI -> itself
        #expect(PCIConfigSpace(bytes: builder.bytes).extendedCapabilities.map(\.offset) == [0x100])
    }

    @Test func extendedChainBadPointersStop() {
        var builder = Self.pfBuilder()
        builder.set32(0x140, 0x0801_0010)  // SR-IOV -> 0x080: inside standard space
        #expect(PCIConfigSpace(bytes: builder.bytes).extendedCapabilities.map(\.offset) == [0x100, 0x140])
        builder.set32(0x140, 0xffc1_0010)  // -> 0xffc, which reads all ones
        builder.set32(0xffc, 0xffff_ffff)
        #expect(PCIConfigSpace(bytes: builder.bytes).extendedCapabilities.map(\.offset) == [0x100, 0x140])
        // A chain pointing past the bytes present (e.g. a partial dump).
        let partial = PCIConfigSpace(bytes: Array(builder.bytes.prefix(0x120)))
        #expect(partial.extendedCapabilities.map(\.offset) == [0x100])
        #expect(partial.sriov == nil)
        #expect(partial.ari != nil)
    }

    @Test func capabilityCutByTheEndOfDataIsNotDecoded() {
        let bytes = Self.pfBuilder().bytes
        let cut = PCIConfigSpace(bytes: Array(bytes.prefix(0x140 + 0x3c)))  // SR-IOV needs 0x40 bytes
        #expect(cut.extendedCapabilities.map(\.offset) == [0x100, 0x140])
        #expect(cut.sriov == nil)
        #expect(SRIOVCapability(config: cut, offset: 0x140) == nil)
        #expect(ARICapability(config: cut, offset: 0x140) == nil)       // wrong ID
        #expect(ACSCapability(config: PCIConfigSpace(bytes: bytes), offset: 0x100) == nil)
    }

    @Test func extendedCapabilitiesNeedAPCIExpressCapability() {
        var builder = Self.pfBuilder()
        builder.set8(0x40, 0x01)           // the PCIe capability becomes PM
        #expect(PCIConfigSpace(bytes: builder.bytes).extendedCapabilities.isEmpty)
        builder.set8(0x40, 0x07)           // PCI-X may have extended space too
        #expect(PCIConfigSpace(bytes: builder.bytes).extendedCapabilities.count == 2)
    }

    @Test func truncatedConfigDecodesNothing() {
        for size in [0, 1, 2, 7, 0x34, 0x40, 0x41, 0x100, 0x103] {
            let config = PCIConfigSpace(bytes: Array(Self.pfBuilder().bytes.prefix(size)))
            #expect(config.capabilities.isEmpty == (size < 0x42), "size \(size)")
            #expect(config.extendedCapabilities.isEmpty, "size \(size)")
            #expect(config.sriov == nil && config.ari == nil && config.acs == nil)
        }
        #expect(PCIConfigSpace(bytes: []).vendorID == nil)
        #expect(PCIConfigSpace(bytes: [0x86]).vendorID == nil)
        #expect(PCIConfigSpace(bytes: [0x86, 0x80]).vendorID == 0x8086)
    }

    @Test func garbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        var decoded = 0
        for round in 0..<2000 {
            let size = [64, 256, 300, 4096, Int.random(in: 0...4096, using: &generator)][round % 5]
            var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round.isMultiple(of: 2), size >= 0x104 {
                // Make the chains reachable so that the walkers actually run.
                bytes[0x06] |= 0x10
                bytes[0x34] = 0x40
                bytes[0x40] = 0x10
                bytes[0x100] = 0x10
                bytes[0x101] = 0x00
            }
            let config = PCIConfigSpace(bytes: bytes)
            _ = config.pcie
            _ = config.acs?.lspciLines()
            _ = config.ari?.lspciLines()
            if let sriov = config.sriov {
                decoded += 1
                _ = sriov.lspciLines()
                _ = sriov.vfAddresses(pf: PCIAddress(bus: 0xff, device: 31, function: 7))
            }
            _ = config.virtualizationCapabilityBlocks()
            #expect(config.capabilities.count <= 64)
            #expect(config.extendedCapabilities.count <= 960)
        }
        #expect(decoded > 0)
    }

    @Test func pcieCapabilityFields() throws {
        var builder = Self.pfBuilder()
        let pcie = try #require(PCIConfigSpace(bytes: builder.bytes).pcie)
        #expect(pcie.offset == 0x40 && pcie.version == 2 && pcie.deviceType == .endpoint && pcie.hasLink)
        #expect(pcie.maxLinkSpeed == 3 && pcie.maxLinkWidth == 8)
        #expect(pcie.currentLinkSpeed == 3 && pcie.currentLinkWidth == 8)
        #expect(!pcie.ariForwardingSupported && !pcie.ariForwardingEnabled)
        #expect(PCIeCapability.speedDescription(3) == "8GT/s" && PCIeCapability.speedDescription(0) == nil)

        builder.set16(0x42, 0x0042)        // v2 root port
        builder.set32(0x40 + 0x24, 1 << 5) // ARI forwarding supported
        builder.set16(0x40 + 0x28, 1 << 5) // ... and enabled
        builder.set16(0x40 + 0x12, 0x0011) // 2.5GT/s x1
        let port = try #require(PCIConfigSpace(bytes: builder.bytes).pcie)
        #expect(port.deviceType == .rootPort)
        #expect(port.ariForwardingSupported && port.ariForwardingEnabled)
        #expect(port.currentLinkSpeed == 1 && port.currentLinkWidth == 1)

        builder.set16(0x42, 0x0041)        // version 1: no DevCap2/DevCtl2
        let v1 = try #require(PCIConfigSpace(bytes: builder.bytes).pcie)
        #expect(v1.deviceCapabilities2 == nil && !v1.ariForwardingSupported)
        builder.set16(0x42, 0x0092)        // root complex integrated endpoint
        #expect(PCIConfigSpace(bytes: builder.bytes).pcie?.hasLink == false)
    }
}
