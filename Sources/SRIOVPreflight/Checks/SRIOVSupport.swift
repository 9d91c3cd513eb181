import PCIAccess

extension Checks {
    /// The findings `HostSnapshot.perPF` gives, in the table of every check that uses it.
    static let perPFMessages: [String: String] = [
        "pci-unlisted": "cannot list {path}: {problem}",
        "no-sriov-pf": "no SR-IOV capable PCI function on this host",
    ]

    /// A check's own table with the per-PF findings added.
    static func perPFMessages(_ own: [String: String]) -> [String: String] {
        own.merging(perPFMessages) { mine, _ in mine }
    }

    /// Example hosts giving the per-PF findings, in the examples of every check that uses `perPF`.
    static var perPFExamples: [CheckExample] {
        [
            .skips("no SR-IOV capable function", .intelReady.dir(PCIFacts.devicesDir)),
            .errors("PCI device list unreadable", .intelWithNIC.unreadable(PCIFacts.devicesDir)),
        ]
    }
}

/// Shared reading of SR-IOV PFs for the sriov.* checks.
extension HostSnapshot {
    /// Results for checks that run per SR-IOV PF; a single host-level skip when there is none.
    func perPF(_ body: (PCIFunction) -> Finding) -> [Finding] {
        if let p = pci.problem {
            if notCaptured(p) { return [HostSnapshot.notCapturedFinding(.error, path: PCIFacts.devicesDir, fact: "the PCI functions")] }
            return [.error("pci-unlisted", ["path": PCIFacts.devicesDir, "problem": "\(p)"])]
        }
        let pfs = pci.sriovPFs
        if pfs.isEmpty { return [.skip("no-sriov-pf", [:])] }
        return pfs.map(body)
    }

    /// The VF driver module for a PF's VF device id, from modules.alias (first match, as modprobe picks).
    func vfDriverModule(_ pf: PCIFunction) -> (module: String, pattern: String)? {
        guard let vendor = pf.vendorID else { return nil }
        let vfDevice = pf.sriov?.vfDevice ?? pf.sriovCapability?.vfDeviceID
        guard let dev = vfDevice else { return nil }
        let cls = pf.classCode ?? 0
        let alias = "pci:v\(hex(vendor, 8).uppercased())d\(hex(dev, 8).uppercased())sv\(hex(pf.subsystemVendorID ?? 0, 8).uppercased())sd\(hex(pf.subsystemDeviceID ?? 0, 8).uppercased())bc\(hex(cls >> 16, 2).uppercased())sc\(hex((cls >> 8) & 0xFF, 2).uppercased())i\(hex(cls & 0xFF, 2).uppercased())"
        for (pattern, module) in modules.pciAliases where ModuleFacts.normalize(module) != "vfio_pci" && module != "pci_stub" {
            if fnmatch(pattern, alias, 0) == 0 { return (module, pattern) }
        }
        return nil
    }

    /// The bridges above a function, nearest first.
    func upstreamBridges(_ f: PCIFunction) -> [PCIFunction] {
        var out: [PCIFunction] = []
        var cur = f.parent
        var guardCount = 0
        while let p = cur, let b = pci.function(p), guardCount < 32 {
            out.append(b)
            cur = b.parent
            guardCount += 1
        }
        return out
    }

    /// Functions of a PF's VFs that exist in the snapshot.
    func vfs(of pf: PCIFunction) -> [PCIFunction] { pf.virtfns.compactMap { pci.function($0) } }
}

extension PCIFunction {
    /// "0000:01:00.0 (igb, Intel 82576…)".
    var label: String { "\(address)\(driver.map { " (\($0))" } ?? "")" }
}

#if canImport(Glibc)
import Glibc
#endif
