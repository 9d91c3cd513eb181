extension Checks {
    /// Mellanox/NVIDIA: SR-IOV and the VF count are set in the NIC's firmware (mlxconfig SRIOV_EN, NUM_OF_VFS).
    static let mellanoxVendor: UInt16 = 0x15B3

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
        messages: [
            "pci-unlisted": "cannot list {path}: {problem}",
            "config-needs-root": "cannot tell: {config} holds {bytes} bytes — extended capabilities need root to read",
            "config-unreadable": "cannot read {config}: {problem}",
            "not-capable": "not SR-IOV capable (不可虚拟化)",
            "capable": "SR-IOV capable: TotalVFs {total_vfs}",
            "capable-not-nic": "SR-IOV capable: TotalVFs {total_vfs} (not a NIC: class {class})",
            "capable-per-capability": "SR-IOV capable: TotalVFs {total_vfs} in the SR-IOV capability (the kernel's sriov_totalvfs is not in this evidence)",
            "capable-not-nic-per-capability": "SR-IOV capable: TotalVFs {total_vfs} in the SR-IOV capability (not a NIC: class {class}; the kernel's sriov_totalvfs is not in this evidence)",
            "no-sysfs-totalvfs": "the SR-IOV capability is present (TotalVFs {capability_total_vfs}) but the kernel exposes no sriov_totalvfs: SR-IOV is off in the BIOS, or the kernel could not set it up (see sriov.bar-space)",
            "totalvfs-zero": "SR-IOV capability present but TotalVFs is 0: SR-IOV is switched off in the BIOS or the NIC firmware",
            "no-capable-nic": "no SR-IOV capable NIC on this host: nothing can be split",
            "mellanox-firmware-totalvfs-zero": "TotalVFs is 0 on this Mellanox/NVIDIA NIC: SR-IOV is off in the NIC firmware; enable it with mlxconfig -d {address} set SRIOV_EN=1 NUM_OF_VFS=N and power-cycle the host",
            "mellanox-firmware-no-capability": "this Mellanox/NVIDIA NIC shows no SR-IOV capability: SR-IOV is off in the NIC firmware; enable it with mlxconfig -d {address} set SRIOV_EN=1 NUM_OF_VFS=N and power-cycle the host",
        ],
        examples: [
            .passes("82599 with 63 VFs", .intelWithNIC, object: "0000:3b:00.0"),
            .passes("an NVMe controller with SR-IOV (not a NIC)", .intelReady.withNIC(.nvme), object: "0000:3b:00.0"),
            .skips("a NIC without SR-IOV", .intelWithNIC, object: "0000:02:00.0"),
            .fails("capability present, sysfs TotalVFs 0 (BIOS switch off)", .intelReady.withNIC(NICSpec())
                .file("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/sriov_totalvfs", "0\n"), object: "0000:3b:00.0"),
            .fails("capability present, no sriov_totalvfs", .intelReady.withNIC(NICSpec().with { $0.sysfsSRIOV = false }), object: "0000:3b:00.0"),
            .fails("no SR-IOV device at all", .intelReady.withNIC(NICSpec().with { $0.totalVFs = nil })),
            .errors("non-root read: 64-byte config, no sysfs attributes", .intelReady.withNIC(NICSpec().with { $0.configSize = 64; $0.sysfsSRIOV = false }),
                    object: "0000:3b:00.0"),
            .errors("config unreadable (I/O error), no sysfs attributes", .intelReady.withNIC(NICSpec().with { $0.totalVFs = nil })
                .unreadable("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/config", .io("input/output error")), object: "0000:3b:00.0"),
            .errors("PCI device list unreadable", .intelWithNIC.unreadable(PCIFacts.devicesDir)),
            .passes("real E810 (ice), TotalVFs 64", .real(RealNICs.e810), object: "0000:e2:00.0"),
            .passes("sosreport: the capability in lspci's text, no sysfs", .intelWithNIC.asSosreport(), object: "0000:3b:00.0"),
            .passes("sosreport: an NVMe controller with SR-IOV", .intelReady.withNIC(.nvme).asSosreport(), object: "0000:3b:00.0"),
            .passes("real ConnectX-7 (mlx5_core), TotalVFs 8", .real(RealNICs.cx7), object: "0000:b1:00.1"),
            .fails("ConnectX-4 Lx with NUM_OF_VFS 0 in its firmware: capability with TotalVFs 0, no sysfs attributes",
                   .real(RealNICs.cx4lx.with { $0.totalVFs = 0; $0.initialVFs = 0; $0.sysfsSRIOV = false }), object: "0000:0b:00.0"),
            .warns("ConnectX-7 with SRIOV_EN 0 in its firmware: no SR-IOV capability", .real(RealNICs.cx7.with { $0.totalVFs = nil }),
                   object: "0000:b1:00.1"),
        ])) { s in
        if let p = s.pci.problem {
            if s.notCaptured(p) { return [HostSnapshot.notCapturedFinding(.error, path: PCIFacts.devicesDir, fact: "the PCI functions")] }
            return [.error("pci-unlisted", ["path": PCIFacts.devicesDir, "problem": "\(p)"])]
        }
        var out: [Finding] = []
        let candidates = s.pci.functions.filter { !$0.isVF && ($0.isNetwork || $0.sriov != nil || $0.hasSRIOVCapability) }
        for f in candidates {
            var ev: [Evidence] = []
            if let t = f.sriov?.totalVFs { ev.append(Evidence("\(f.path)/sriov_totalvfs", String(t), expected: "> 0")) }
            if let c = f.sriovCapability {
                ev.append(Evidence("\(f.path)/config", "SR-IOV capability at 0x\(hex(c.offset, 3)): TotalVFs \(c.totalVFs), InitialVFs \(c.initialVFs), VF device \(hex(c.vfDeviceID, 4))"))
            }
            let cls = hex(f.classCode ?? 0, 6)
            if !f.isNetwork { ev.append(Evidence("\(f.path)/class", "0x\(cls)", expected: "0x02xxxx (a network controller)")) }
            let mellanox = f.vendorID == Self.mellanoxVendor
            if mellanox {
                ev.append(Evidence("\(f.path)/vendor", "0x15b3 (Mellanox/NVIDIA): TotalVFs is the firmware's NUM_OF_VFS (mlxconfig)"))
            }
            if f.configNeedsRoot && f.sriov == nil {
                out.append(.error("config-needs-root", ["config": "\(f.path)/config", "bytes": String((try? f.config.get().count) ?? 0)],
                                  object: f.address, ev))
                continue
            }
            switch (f.sriovCapability, f.sriov) {
            case (nil, nil):
                if case .failure(let e) = f.config, s.notCaptured(e) {
                    out.append(HostSnapshot.notCapturedFinding(.error, path: "\(f.path)/config", fact: "whether \(f.address) has the SR-IOV capability", object: f.address))
                } else if case .failure(let e) = f.config {
                    out.append(.error("config-unreadable", ["config": "\(f.path)/config", "problem": "\(e)"], object: f.address, ev))
                } else if mellanox && f.isNetwork {
                    out.append(.warn("mellanox-firmware-no-capability", ["address": f.address], object: f.address, ev))
                } else {
                    out.append(.skip("not-capable", [:], object: f.address, ev))
                }
            case (_, let attrs?) where (attrs.totalVFs ?? 0) > 0:
                let total = String(attrs.totalVFs!)
                out.append(f.isNetwork ? .pass("capable", ["total_vfs": total], object: f.address, ev)
                                       : .pass("capable-not-nic", ["total_vfs": total, "class": cls], object: f.address, ev))
            case (let cap?, nil) where cap.totalVFs > 0 && f.fromText:
                // a report's text: the capability is there, the kernel's sysfs attributes are not in this evidence
                let total = String(cap.totalVFs)
                out.append(f.isNetwork ? .pass("capable-per-capability", ["total_vfs": total], object: f.address, ev)
                                       : .pass("capable-not-nic-per-capability", ["total_vfs": total, "class": cls], object: f.address, ev))
            case (let cap?, nil) where cap.totalVFs > 0:
                out.append(.fail("no-sysfs-totalvfs", ["capability_total_vfs": String(cap.totalVFs)], object: f.address, ev))
            default:
                // TotalVFs 0 (the kernel then sets SR-IOV up no further: no sysfs attributes)
                out.append(mellanox ? .fail("mellanox-firmware-totalvfs-zero", ["address": f.address], object: f.address, ev)
                                    : .fail("totalvfs-zero", [:], object: f.address, ev))
            }
        }
        if !candidates.contains(where: { $0.totalVFs > 0 }) && !out.contains(where: { $0.status == .error || $0.status == .fail }) {
            out.append(.fail("no-capable-nic", [:], [Evidence(PCIFacts.devicesDir, "\(s.pci.nics.count) NIC(s), none with the SR-IOV capability")]))
        }
        return out
    }
}
