extension Checks {
    static let sriovCapable = Check(CheckDescription(
        id: .sriovCapable,
        title: "NIC can be split (SR-IOV capability)",
        category: .sriov,
        severity: .error,
        rationale: """
            A NIC can be split into VFs only if its PF has the PCIe SR-IOV extended capability (ID 0x0010) with \
            TotalVFs > 0, and the kernel agrees (sysfs `sriov_totalvfs`). A capability with TotalVFs 0, or one \
            the kernel does not expose, means SR-IOV is switched off in the BIOS or the NIC's firmware. NICs \
            without the capability are reported as not splittable (不可虚拟化), not as failures.
            """,
        remediation: """
            Enable SR-IOV in the BIOS (often "SR-IOV Support" under PCIe settings) and in the NIC's firmware \
            (e.g. mlxconfig SRIOV_EN=1 NUM_OF_VFS=N; Intel/Broadcom device configuration in the BIOS), then \
            power-cycle.
            """,
        reads: ["sys/bus/pci/devices/*/config (extended capability 0x0010)", "sys/bus/pci/devices/*/sriov_totalvfs",
                "sys/bus/pci/devices/*/class"],
        examples: [
            .passes("82599 with 63 VFs", .intelWithNIC, object: "0000:3b:00.0"),
            .skips("a NIC without SR-IOV", .intelWithNIC, object: "0000:02:00.0"),
            .fails("capability present, sysfs TotalVFs 0 (BIOS switch off)", .intelReady.withNIC(NICSpec())
                .file("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/sriov_totalvfs", "0\n"), object: "0000:3b:00.0"),
            .fails("capability present, no sriov_totalvfs", .intelReady.withNIC(NICSpec().with { $0.sysfsSRIOV = false }), object: "0000:3b:00.0"),
            .fails("no SR-IOV device at all", .intelReady.withNIC(NICSpec().with { $0.totalVFs = nil })),
            .errors("non-root read: 64-byte config, no sysfs attributes", .intelReady.withNIC(NICSpec().with { $0.configSize = 64; $0.sysfsSRIOV = false }),
                    object: "0000:3b:00.0"),
        ])) { s in
        if let p = s.pci.problem { return [.error("cannot list \(PCIFacts.devicesDir): \(p)")] }
        var out: [Finding] = []
        let candidates = s.pci.functions.filter { !$0.isVF && ($0.isNetwork || $0.sriov != nil || $0.hasSRIOVCapability) }
        for f in candidates {
            var ev: [Evidence] = []
            if let t = f.sriov?.totalVFs { ev.append(Evidence("\(f.path)/sriov_totalvfs", String(t), expected: "> 0")) }
            if let c = f.sriovCapability {
                ev.append(Evidence("\(f.path)/config", "SR-IOV capability at 0x\(hex(c.offset, 3)): TotalVFs \(c.totalVFs), InitialVFs \(c.initialVFs), VF device \(hex(c.vfDeviceID, 4))"))
            }
            let nic = f.isNetwork ? "" : " (not a NIC: class \(hex(f.classCode ?? 0, 6)))"
            if f.configNeedsRoot && f.sriov == nil {
                out.append(.error("cannot tell: \(f.path)/config holds \((try? f.config.get().count) ?? 0) bytes — extended capabilities need root to read", object: f.address, ev))
                continue
            }
            switch (f.sriovCapability, f.sriov) {
            case (nil, nil):
                if case .failure(let e) = f.config {
                    out.append(.error("cannot read \(f.path)/config: \(e)", object: f.address, ev))
                } else {
                    out.append(.skip("not SR-IOV capable (不可虚拟化)\(nic)", object: f.address, ev))
                }
            case (_, let attrs?) where (attrs.totalVFs ?? 0) > 0:
                out.append(.pass("SR-IOV capable: TotalVFs \(attrs.totalVFs!)\(nic)", object: f.address, ev))
            case (let cap?, nil):
                out.append(.fail("the SR-IOV capability is present (TotalVFs \(cap.totalVFs)) but the kernel exposes no sriov_totalvfs: SR-IOV is off in the BIOS, or the kernel could not set it up (see sriov.bar-space)\(nic)",
                                 object: f.address, ev))
            default:
                out.append(.fail("SR-IOV capability present but TotalVFs is 0: SR-IOV is switched off in the BIOS or the NIC firmware\(nic)", object: f.address, ev))
            }
        }
        if !candidates.contains(where: { $0.totalVFs > 0 }) && !out.contains(where: { $0.status == .error || $0.status == .fail }) {
            out.append(.fail("no SR-IOV capable NIC on this host: nothing can be split", [Evidence(PCIFacts.devicesDir, "\(s.pci.nics.count) NIC(s), none with the SR-IOV capability")]))
        }
        return out
    }
}
