import Foundation
import PCIAccess
@testable import SRIOVPreflight
import Testing

/// The SR-IOV capability as an `lspci -vvv` text shows it, read from the text (mail-wrapped lines joined).
struct LspciSRIOVText: Equatable {
    var initialVFs = -1, totalVFs = -1, numVFs = -1, functionDependencyLink = -1
    var vfOffset = -1, vfStride = -1, vfDevice = -1
    var enable: Bool?, mse: Bool?, ariHierarchy: Bool?
    var supportedPageSizes = -1, systemPageSize = -1
    /// "Region N: Memory at ADDR (64-bit, prefetchable)".
    var regions: [String] = []
    var driver: String?

    init?(_ text: String) {
        // join the lines a mail client wrapped: a continuation starts without indentation and is no device header
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let isHeader = raw.range(of: #"^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] "#, options: .regularExpression) != nil
            if !raw.isEmpty, !(raw.first!.isWhitespace), !isHeader, !lines.isEmpty { lines[lines.count - 1] += " " + raw } else { lines.append(raw) }
        }
        let flat = lines.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\t", with: " ") }
        guard let start = flat.firstIndex(where: { $0.contains("Single Root I/O Virtualization") }) else { return nil }
        let block = flat[start...].prefix { !$0.hasPrefix("VF Migration") }
        func int(_ pattern: String, radix: Int = 10) -> Int {
            for l in block { if let r = l.range(of: pattern, options: .regularExpression) {
                let m = String(l[r]); let digits = m.split(separator: " ").last.map(String.init) ?? ""
                return Int(digits, radix: radix) ?? -2 } }
            return -1
        }
        func flag(_ name: String) -> Bool? {
            guard let l = block.first(where: { $0.hasPrefix("IOVCtl:") }) else { return nil }
            if l.contains(name + "+") { return true }
            if l.contains(name + "-") { return false }
            return nil
        }
        initialVFs = int(#"Initial VFs: [0-9]+"#); totalVFs = int(#"Total VFs: [0-9]+"#); numVFs = int(#"Number of VFs: [0-9]+"#)
        functionDependencyLink = int(#"Function Dependency Link: [0-9a-f]+"#, radix: 16)
        vfOffset = int(#"VF offset: [0-9]+"#); vfStride = int(#"stride: [0-9]+"#); vfDevice = int(#"Device ID: [0-9a-f]+"#, radix: 16)
        supportedPageSizes = int(#"Supported Page Size: [0-9a-f]+"#, radix: 16); systemPageSize = int(#"System Page Size: [0-9a-f]+"#, radix: 16)
        enable = flag("Enable"); mse = flag("MSE"); ariHierarchy = flag("ARIHierarchy")
        regions = block.filter { $0.hasPrefix("Region ") }.map { $0.replacingOccurrences(of: "  ", with: " ") }
        driver = flat.first { $0.hasPrefix("Kernel driver in use:") }.map { String($0.dropFirst("Kernel driver in use:".count)).trimmingCharacters(in: .whitespaces) }
    }

    /// The same fields from a decoded capability (regions as lspci prints them).
    init(_ c: SRIOVCapability) {
        initialVFs = Int(c.initialVFs); totalVFs = Int(c.totalVFs); numVFs = Int(c.numVFs)
        functionDependencyLink = Int(c.functionDependencyLink); vfOffset = Int(c.firstVFOffset); vfStride = Int(c.vfStride)
        vfDevice = Int(c.vfDeviceID); enable = c.vfEnable; mse = c.vfMSE; ariHierarchy = c.ariCapableHierarchy
        supportedPageSizes = Int(c.supportedPageSizes); systemPageSize = Int(c.systemPageSize)
        regions = c.lspciLines().filter { $0.hasPrefix("Region ") }
    }
}

@Suite("Real NICs: fixtures from real lspci texts")
struct RealNICTests {
    static let lspciDir = Paths.shared.map { $0 + "/realdata/lspci" }

    @Test("each real-NIC fixture's SR-IOV capability equals its lspci -vvv text", arguments: RealNICs.all.map(\.lspciFile))
    func realLspciText(_ file: String) throws {
        let nic = try #require(RealNICs.all.first { $0.lspciFile == file })
        let s = HostSnapshot.collect(ExampleHost.real(nic).root())
        let f = try #require(s.pci.function(nic.spec.address))
        let cap = try #require(f.sriovCapability)
        guard let dir = Self.lspciDir, FileManager.default.fileExists(atPath: dir + "/" + file) else {
            print("SKIP \(file): \(Paths.sharedMissing)")
            return
        }
        let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        let real = try #require(LspciSRIOVText(text))
        var mine = LspciSRIOVText(cap)
        #expect(real.totalVFs == nic.spec.totalVFs && real.vfOffset == nic.spec.vfOffset && real.vfDevice == Int(nic.spec.vfDevice))
        #expect(real.regions.count == (nic.spec.vfBARs ?? []).count && real.ariHierarchy != nil && real.enable == false)
        // E810's text has no "Kernel driver in use" (ice did not load there); the fixture binds ice
        mine.driver = real.driver == nil ? nil : f.driver
        #expect(mine == real, "\(file)")
    }

    /// Every sriov.* check, nic.link and the NIC table on each real NIC, VFs enabled and not.
    @Test("sriov.*, nic.link and the NIC table are right on every real NIC", arguments: RealNICs.all.map(\.lspciFile))
    func verdicts(_ file: String) throws {
        let nic = try #require(RealNICs.all.first { $0.lspciFile == file })
        let pf = nic.spec.address
        let total = try #require(nic.spec.totalVFs)
        for vfs in [0, 2] {
            let s = HostSnapshot.collect(ExampleHost.real(nic, vfs: vfs).root())
            let results = Engine.run(s).filter { $0.object == pf }
            func status(_ id: CheckID) -> Status? { results.first { $0.id == id.rawValue }?.status }
            let label = "\(nic.family) with \(vfs) VFs"
            #expect(status(.sriovCapable) == .pass, "\(label)")
            #expect(results.first { $0.id == "sriov.capable" }?.params["total_vfs"] == String(total))
            #expect(status(.sriovPFDriver) == .pass, "\(label)")
            let vfDriver = results.first { $0.id == "sriov.vf-driver" }
            #expect(vfDriver?.status == .pass && vfDriver?.params["module"] == nic.vfDriver, "\(label): \(vfDriver?.message ?? "none")")
            #expect(status(.sriovVFs) == .pass, "\(label)")
            #expect(status(.sriovARI) == .pass, "\(label)")
            #expect(status(.sriovIOMMUGroup) == .pass || status(.sriovIOMMUGroup) == nil, "\(label)")
            // IOV BARs the text shows at 0 (E810, X710 fn2) were not assigned on that machine
            let unassigned = vfs == 0 && (nic.spec.vfBARs ?? []).contains { $0.baseAddress == 0 }
            #expect(status(.sriovBARSpace) == (unassigned ? .fail : .pass), "\(label)")
            #expect(status(.nicLink) == .pass, "\(label)")
            let row = try #require(s.nicTable.first { $0.pciAddress == pf })
            #expect(row.driver == nic.spec.driver && row.vfsTotal == total && row.vfsEnabled == vfs && row.vfsInUse == (vfs > 0 ? 1 : 0))
            #expect(row.state == (vfs > 0 ? .split : .splittable))
            // mlx5 VFs run the PF's own driver and are no NIC rows of their own
            #expect(s.nicTable.count == 1, "\(label): \(s.nicTable.map(\.pciAddress))")
            if vfs > 0 {
                let vf0 = try #require(s.pci.function(nic.spec.vfAddress(0)))
                #expect(vf0.driver == nic.vfDriver)
            }
        }
    }

    @Test("ConnectX with SR-IOV off in its firmware: sriov.capable names mlxconfig, with its own code")
    func mellanoxFirmware() {
        let zero = HostSnapshot.collect(ExampleHost.real(RealNICs.cx4lx.with { $0.totalVFs = 0; $0.initialVFs = 0; $0.sysfsSRIOV = false }).root())
        let r1 = Engine.run(zero, checks: [Checks.sriovCapable]).first { $0.object == "0000:0b:00.0" }
        #expect(r1?.status == .fail && r1?.code == "sriov.capable.mellanox-firmware-totalvfs-zero")
        #expect(r1?.message.contains("mlxconfig -d 0000:0b:00.0 set SRIOV_EN=1 NUM_OF_VFS=N") == true)
        let absent = HostSnapshot.collect(ExampleHost.real(RealNICs.cx7.with { $0.totalVFs = nil }).root())
        let r2 = Engine.run(absent, checks: [Checks.sriovCapable]).first { $0.object == "0000:b1:00.1" }
        #expect(r2?.status == .warn && r2?.code == "sriov.capable.mellanox-firmware-no-capability")
        // an Intel NIC without the capability stays "not splittable", no firmware advice
        let intel = HostSnapshot.collect(ExampleHost.real(RealNICs.x550.with { $0.totalVFs = nil }).root())
        #expect(Engine.run(intel, checks: [Checks.sriovCapable]).first { $0.object == "0000:01:00.0" }?.status == .skip)
    }
}
