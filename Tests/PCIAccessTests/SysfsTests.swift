import Foundation
import PCIAccess
import Testing

/// Synthetic sysfs trees built from the corpus dumps: PCIAccess.scanSysfs must
/// return what the dump scan returned, and its decoded SR-IOV/ARI/ACS blocks must
/// match `lspci -A linux-sysfs -O sysfs.path=<tree> -vvv` run on the same tree.
@Suite(.enabled(if: SharedData.isAvailable, "shared data (corpus/pci) not found: skipped"))
struct CorpusSysfsTests {
    static let pairs = SharedData.dumpReferencePairs()

    @Test(.enabled(if: Lspci.isAvailable, "lspci not found: skipped"), arguments: pairs.map(\.name))
    func sysfsTreeMatchesLspci(name: String) throws {
        let pair = try #require(Self.pairs.first { $0.name == name })
        let fromDump = try PCIAccess.scanDump(file: pair.dump.path)
        let tree = try SyntheticSysfsTree(records: fromDump)
        let fromSysfs = try PCIAccess.scanSysfs(path: tree.path)
        #expect(fromSysfs == fromDump)
        let reference = try #require(try Lspci.sysfsReference(path: tree.path))
        let comparison = ReferenceComparison(records: fromSysfs, reference: reference)
        print("sysfs \(name): \(comparison.summary)")
        #expect(comparison.functions == fromDump.count)
        #expect(comparison.differences.isEmpty, "\(comparison.differences.joined(separator: "\n"))")
    }

    /// The captured hosts' real sysfs attributes (written by a Linux 6.1 kernel),
    /// materialised as a tree: scanSysfs must agree with lspci on that tree and with
    /// the guest's own `lspci -vvv` capture; against the host's `lspci -xxxx` dump it
    /// differs only where the kernel fixes up IDs (VFs read 0xFFFF in config space).
    /// Run on two scratch copies of each host, one with real symlinks and one with flattened ones: a clone
    /// whose ../shared kept its symlinks and one whose copy flattened them.
    @Test(.enabled(if: Lspci.isAvailable, "lspci not found: skipped"),
          arguments: SharedData.hosts.map { SharedData.files(in: $0).filter(SharedData.isDirectory) } ?? [],
          SharedData.LinkStyle.allCases)
    func capturedHostTreeMatches(stored: URL, links: SharedData.LinkStyle) throws {
        let host = try SharedData.copy(host: stored, links: links)
        defer { try? FileManager.default.removeItem(at: host) }
        let devices = host.appendingPathComponent("sys/bus/pci/devices")
        let first = try #require(SharedData.files(in: devices).first)
        let kind = try FileManager.default.attributesOfItem(atPath: first.path)[.type] as? FileAttributeType
        #expect(kind == (links == .real ? .typeSymbolicLink : .typeRegular), "the copy's links are not \(links)")
        let tree = try SyntheticSysfsTree(capturedHost: host)
        let records = try PCIAccess.scanSysfs(path: tree.path)
        #expect(!records.isEmpty)
        let onTree = ReferenceComparison(records: records, reference: try #require(try Lspci.sysfsReference(path: tree.path)))
        let capture = host.appendingPathComponent("_lab/lspci-vvv.txt")
        let inGuest = ReferenceComparison(records: records, reference: LspciReference(text: try String(contentsOf: capture, encoding: .utf8)))
        #expect(onTree.differences.isEmpty, "\(onTree.differences.joined(separator: "\n"))")
        #expect(inGuest.differences.isEmpty, "\(inGuest.differences.joined(separator: "\n"))")

        let dumped = try PCIAccess.scanDump(file: host.appendingPathComponent("_lab/lspci-xxxx.txt").path)
        #expect(dumped.map(\.address) == records.map(\.address))
        #expect(dumped.map(\.config) == records.map(\.config))
        let pfs = records.filter { $0.configSpace.sriov != nil }
        let vfs = Set(pfs.flatMap { $0.configSpace.sriov!.vfAddresses(pf: $0.address) })
        #expect(!pfs.isEmpty)
        for (fromDump, fromSysfs) in zip(dumped, records) {
            if let pf = pfs.first(where: { $0.configSpace.sriov!.vfAddresses(pf: $0.address).contains(fromSysfs.address) }) {
                // A VF: its config reads 0xFFFF; the kernel reports the PF's vendor and the VF Device ID.
                #expect(fromDump.vendorID == 0xffff && fromDump.deviceID == 0xffff)
                #expect(fromSysfs.vendorID == pf.vendorID && fromSysfs.deviceID == pf.configSpace.sriov!.vfDeviceID)
            } else {
                #expect(fromDump.vendorID == fromSysfs.vendorID && fromDump.deviceID == fromSysfs.deviceID)
                #expect(fromDump.classCode == fromSysfs.classCode)
            }
        }
        print("captured \(stored.lastPathComponent) (\(links) links): \(inGuest.summary); \(vfs.count) VFs with kernel-fixed IDs")
    }
}

/// Sysfs behaviour that needs no shared data: trees built from synthetic configs.
struct SysfsTests {
    static func syntheticRecords() -> [PCIFunctionRecord] {
        let pf = PCIAddress(bus: 0x3b, device: 0, function: 0)
        let pfConfig = SyntheticConfig.sriovPF(vendorID: 0x8086, deviceID: 0x1572, totalVFs: 64, numVFs: 4,
                                               firstVFOffset: 16, vfStride: 1, vfDeviceID: 0x154c,
                                               vfBARs: [.init(index: 0, baseAddress: 0x3_8000_0000, is64Bit: true, prefetchable: true)])
        let capability = PCIConfigSpace(bytes: pfConfig).sriov!
        let vfs = capability.vfAddresses(pf: pf).map {
            PCIFunctionRecord(address: $0, vendorID: 0x8086, deviceID: 0x154c, classCode: 0x020000, revision: 1,
                              subsystemVendorID: 0x8086, subsystemID: 0, config: SyntheticConfig.sriovVF(classCode: 0x020000, revision: 1, subsystemVendorID: 0x8086))
        }
        return [PCIFunctionRecord(address: pf, vendorID: 0x8086, deviceID: 0x1572, classCode: 0x020000, revision: 1,
                                  subsystemVendorID: 0, subsystemID: 0, config: pfConfig)] + vfs
    }

    /// A 64-byte `config` (what a non-root user reads from real sysfs): reported as
    /// truncated, nothing decoded, while lspci itself shows the capabilities as
    /// inaccessible rather than decoding libpci's 0xFFFF fill.
    @Test func truncatedConfigIsReportedAndNotDecoded() throws {
        let full = Self.syntheticRecords()
        let tree = try SyntheticSysfsTree(records: full, options: .init(configLimit: 64))
        let records = try PCIAccess.scanSysfs(path: tree.path)
        #expect(records.count == full.count)
        for (record, full) in zip(records, full) {
            #expect(record.configIsTruncated)
            #expect(record.configSize == 64)
            #expect(record.config == Array(full.config.prefix(64)))
            #expect(record.vendorID == full.vendorID && record.deviceID == full.deviceID)
            #expect(record.configSpace.capabilities.isEmpty)
            #expect(record.configSpace.extendedCapabilities.isEmpty)
            #expect(record.configSpace.sriov == nil && record.configSpace.pcie == nil)
        }
        if Lspci.isAvailable, let reference = try Lspci.sysfsReference(path: tree.path) {
            #expect(reference.devices.count == records.count)
            #expect(reference.devices.allSatisfy { $0.capabilities.isEmpty && $0.lines.contains("Capabilities: <access denied>") })
        }
    }

    @Test func scansSyntheticTreeSorted() throws {
        let records = Self.syntheticRecords()
        let tree = try SyntheticSysfsTree(records: records.reversed())
        let scanned = try PCIAccess.scanSysfs(path: tree.path)
        #expect(scanned.map(\.address.description) == ["0000:3b:00.0", "0000:3b:02.0", "0000:3b:02.1", "0000:3b:02.2", "0000:3b:02.3"])
        #expect(scanned == records)
        let sriov = try #require(scanned[0].configSpace.sriov)
        #expect(sriov.vfAddresses(pf: scanned[0].address) == Array(scanned.dropFirst().map(\.address)))
    }

    @Test(.enabled(if: Lspci.isAvailable, "lspci not found: skipped"))
    func syntheticTreeMatchesLspci() throws {
        let tree = try SyntheticSysfsTree(records: Self.syntheticRecords())
        let scanned = try PCIAccess.scanSysfs(path: tree.path)
        let reference = try #require(try Lspci.sysfsReference(path: tree.path))
        let comparison = ReferenceComparison(records: scanned, reference: reference)
        #expect(comparison.blocks["Single Root I/O Virtualization (SR-IOV)"] == 1)
        #expect(comparison.differences.isEmpty, "\(comparison.differences.joined(separator: "\n"))")
    }

    @Test func onlyVendorDeviceClassAndConfigAreNeeded() throws {
        let tree = try SyntheticSysfsTree(
            records: Self.syntheticRecords(),
            options: .init(omit: ["revision", "subsystem_vendor", "subsystem_device", "irq", "resource"], driver: nil))
        let scanned = try PCIAccess.scanSysfs(path: tree.path)
        #expect(scanned == Self.syntheticRecords())
    }

    @Test func missingSysfsPathThrowsLibpciMessage() {
        for _ in 0..<2 { // twice: the guard must reset after the first longjmp
            #expect {
                try PCIAccess.scanSysfs(path: "/nonexistent/sys/bus/pci")
            } throws: { error in
                let error = error as? PCIAccessError
                return error?.kind == .libpci && error?.message == "Cannot open /nonexistent/sys/bus/pci/devices"
            }
        }
    }

    @Test func missingMandatoryAttributeThrows() throws {
        let tree = try SyntheticSysfsTree(records: Self.syntheticRecords(), options: .init(omit: ["class"]))
        let error = try #require(throws: PCIAccessError.self) { try PCIAccess.scanSysfs(path: tree.path) }
        #expect(error.message.hasPrefix("Cannot open \(tree.path)/devices/"))
        #expect(error.message.hasSuffix("/class: No such file or directory"))
    }

    @Test func unparsableDeviceEntryThrows() throws {
        let tree = try SyntheticSysfsTree(records: Self.syntheticRecords())
        try FileManager.default.createDirectory(atPath: tree.path + "/devices/not-a-device", withIntermediateDirectories: false)
        for _ in 0..<2 {
            let error = try #require(throws: PCIAccessError.self) { try PCIAccess.scanSysfs(path: tree.path) }
            #expect(error.operation == "pci_scan_bus")
            #expect(error.message == "sysfs_scan: Couldn't parse entry name not-a-device")
        }
    }

    @Test func missingConfigIsAWarningAndAnEmptyTruncatedConfig() throws {
        let records = Array(Self.syntheticRecords().prefix(1))
        let tree = try SyntheticSysfsTree(records: records, options: .init(omit: ["config"]))
        let result = try PCIAccess.scan(.sysfs(path: tree.path))
        let record = try #require(result.records.first)
        #expect(record.vendorID == 0x8086)
        #expect(record.config.isEmpty && record.configIsTruncated)
        #expect(result.messages.contains { $0.hasPrefix("warning: Cannot open ") && $0.hasSuffix("/config") })
    }

    /// This machine's own /sys against its own `lspci -vvv` (both use sysfs). As
    /// root the configs are whole; otherwise they are 64 bytes and both sides show
    /// no capabilities.
    @Test(.enabled(if: Lspci.isAvailable && !SharedData.files(in: URL(fileURLWithPath: "/sys/bus/pci/devices")).isEmpty,
                   "no live /sys/bus/pci or lspci: skipped"))
    func liveSysfsMatchesLspci() throws {
        let records = try PCIAccess.scanSysfs(path: "/sys/bus/pci")
        let output = try #require(try runCommand(Lspci.path!, ["-vvv"]))
        let comparison = ReferenceComparison(records: records, reference: LspciReference(text: output.output))
        print("live /sys: \(comparison.summary); truncated configs: \(records.filter(\.configIsTruncated).count)")
        #expect(comparison.differences.isEmpty, "\(comparison.differences.joined(separator: "\n"))")
    }
}
