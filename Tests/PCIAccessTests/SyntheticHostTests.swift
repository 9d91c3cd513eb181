import Foundation
import PCIAccess
import Testing

/// A synthetic host of 8 PFs x 128 VFs built with SyntheticConfig, scanned
/// through both libpci methods and checked against lspci on the same data.
/// Needs no shared data.
struct SyntheticHostTests {
    static let pfCount = 8
    static let vfsPerPF = 128

    /// PFs at 0000:3b:00.0-7 (ARI chain 0 -> 1 -> ... -> 7); PF i's VFs start at
    /// routing ID 0x3b80 + 128 * i, stride 1, so they fill buses 3b-3f.
    static let records: [PCIFunctionRecord] = {
        var records: [PCIFunctionRecord] = []
        for index in 0..<pfCount {
            let pf = PCIAddress(bus: 0x3b, device: 0, function: UInt8(index))
            let config = SyntheticConfig.sriovPF(
                vendorID: 0x8086, deviceID: 0x1593, subsystemVendorID: 0x8086, subsystemID: 0x0002, multiFunction: true,
                totalVFs: UInt16(vfsPerPF), numVFs: UInt16(vfsPerPF),
                firstVFOffset: UInt16(0x80 + 0x7f * index), vfStride: 1, vfDeviceID: 0x1889,
                vfBARs: [.init(index: 0, baseAddress: 0x38_0000_0000 + UInt64(index) << 28, prefetchable: true),
                         .init(index: 3, baseAddress: 0x38_8000_0000 + UInt64(index) << 24, prefetchable: true)],
                functionDependencyLink: UInt8(index), ariNextFunction: UInt8((index + 1) % pfCount),
                acs: [.srcValid, .reqRedir, .cmpltRedir, .upstreamFwd])
            records.append(PCIFunctionRecord(address: pf, vendorID: 0x8086, deviceID: 0x1593, classCode: 0x020000,
                                             revision: 1, subsystemVendorID: 0x8086, subsystemID: 0x0002, config: config))
            let vfConfig = SyntheticConfig.sriovVF(subsystemVendorID: 0x8086, subsystemID: 0x0002)
            for vf in PCIConfigSpace(bytes: config).sriov!.vfAddresses(pf: pf) {
                records.append(PCIFunctionRecord(address: vf, vendorID: 0x8086, deviceID: 0x1889, classCode: 0x020000,
                                                 revision: 1, subsystemVendorID: 0x8086, subsystemID: 0x0002, config: vfConfig))
            }
        }
        return records.sorted { $0.address < $1.address }
    }()

    @Test func layoutIsConsistent() {
        #expect(Self.records.count == Self.pfCount * (1 + Self.vfsPerPF))
        #expect(Set(Self.records.map(\.address)).count == Self.records.count)
        #expect(Self.records.first?.address.description == "0000:3b:00.0")
        #expect(Self.records.last?.address.description == "0000:3f:0f.7")
    }

    @Test func sysfsTreeScansBackAndMatchesLspci() throws {
        let tree = try SyntheticSysfsTree(records: Self.records) // ~10k files: a few seconds on this disk
        let scanned = try PCIAccess.scanSysfs(path: tree.path)
        #expect(scanned == Self.records)
        var vfs = Set<PCIAddress>()
        for pf in scanned where pf.configSpace.sriov != nil {
            let sriov = pf.configSpace.sriov!
            #expect(sriov.vfEnable && sriov.numVFs == 128)
            vfs.formUnion(sriov.vfAddresses(pf: pf.address))
        }
        #expect(vfs == Set(scanned.filter { $0.deviceID == 0x1889 }.map(\.address)))
        if let reference = try Lspci.sysfsReference(path: tree.path) {
            let comparison = ReferenceComparison(records: scanned, reference: reference)
            print("synthetic host (sysfs): \(comparison.summary)")
            #expect(comparison.blockCount == Self.pfCount * 3 + Self.pfCount * Self.vfsPerPF)
            #expect(comparison.differences.isEmpty, "\(comparison.differences.prefix(5).joined(separator: "\n"))")
        }
    }

    @Test func dumpRoundTripMatchesLspci() throws {
        let text = SyntheticConfig.lspciDump(Self.records.map { ($0.address, $0.config) })
        let file = try ScratchFile(text: text)
        let scanned = try PCIAccess.scanDump(file: file.path)
        #expect(scanned.map(\.address) == Self.records.map(\.address))
        #expect(scanned.map(\.config) == Self.records.map(\.config))
        // From a dump, VFs show the 0xFFFF IDs their config registers hold.
        #expect(scanned.filter { $0.vendorID == 0xffff }.count == Self.pfCount * Self.vfsPerPF)
        if let lspci = Lspci.path, let result = try runCommand(lspci, ["-F", file.path, "-vvv"]), result.status == 0 {
            let comparison = ReferenceComparison(records: scanned, reference: LspciReference(text: result.output))
            print("synthetic host (dump): \(comparison.summary)")
            #expect(comparison.differences.isEmpty, "\(comparison.differences.prefix(5).joined(separator: "\n"))")
        }
    }
}
