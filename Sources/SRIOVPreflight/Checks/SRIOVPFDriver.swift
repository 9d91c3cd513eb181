extension Checks {
    /// PF drivers known to implement sriov_configure (writing sriov_numvfs).
    static let sriovPFDrivers: Set<String> = [
        "igb", "ixgbe", "i40e", "ice", "idpf", "fm10k", "mlx4_core", "mlx5_core", "bnxt_en", "qede", "qlcnic",
        "liquidio", "cxgb4", "be2net", "enic", "sfc", "sfc_ef100", "ena", "hinic", "nfp", "octeon_ep", "nvme",
        "vfio-pci", "ionic", "mlxsw_spectrum", "qla2xxx", "lpfc", "hns3", "octeontx2-af", "rvu_af", "txgbe", "ngbe",
    ]

    static let sriovPFDriver = Check(CheckDescription(
        id: .sriovPFDriver,
        title: "PF driver bound and able to create VFs",
        category: .sriov,
        severity: .error,
        rationale: """
            VFs are created by writing `sriov_numvfs`, which the kernel passes to the PF's driver: the PF driver \
            must be installed and bound, and must support SR-IOV. Do not unload or unbind it while VFs are \
            assigned to guests: the VFs disappear with it.
            """,
        remediation: "Install and load the vendor's PF driver (igb, ixgbe, i40e, ice, mlx5_core, bnxt_en…), e.g. `modprobe ixgbe`; bind it to the PF.",
        reads: ["sys/bus/pci/devices/*/driver", "sys/bus/pci/devices/*/sriov_numvfs", "sys/bus/pci/devices/*/virtfn*/driver",
                "run/libvirt/qemu/*.xml", "var/run/libvirt/qemu/*.xml", "proc/*/comm", "proc/*/cmdline"],
        messages: perPFMessages([
            "no-driver": "no driver is bound to the PF: install and load its driver before creating VFs",
            "vfs-created": "{driver} is bound and has created {num_vfs} VF(s)",
            "vfs-created-in-use": "{driver} is bound and has created {num_vfs} VF(s), {in_use} assigned ({users}): do not unload {driver} while VFs are assigned",
            "stub-bound": "{driver} is bound to the PF: it cannot create VFs",
            "supports-vfs": "{driver} is bound and supports sriov_numvfs",
            "unknown-driver": "{driver} is bound, but it is not known to support sriov_numvfs (no VFs created yet)",
        ]),
        examples: [
            .passes("ixgbe with VFs, one assigned", .intelWithNIC, object: "0000:3b:00.0"),
            .passes("ixgbe with VFs, one held by libvirt guest web01 (named)", .intelWithNIC.withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.2"]),
                    object: "0000:3b:00.0"),
            .passes("ixgbe with VFs, none assigned", .intelReady.withNIC(NICSpec().with { $0.numVFs = 2; $0.vfDrivers = ["ixgbevf"] }),
                    object: "0000:3b:00.0"),
            .passes("ixgbe, no VFs yet", .intelReady.withNIC(NICSpec()), object: "0000:3b:00.0"),
            .fails("no driver bound", .intelReady.withNIC(NICSpec().with { $0.driver = nil; $0.netdev = nil }), object: "0000:3b:00.0"),
            .fails("pci-stub cannot create VFs", .intelReady.withNIC(NICSpec().with { $0.driver = "pci-stub"; $0.netdev = nil }), object: "0000:3b:00.0"),
            .warns("unknown driver, no VFs yet", .intelReady.withNIC(NICSpec().with { $0.driver = "acme_nic" }), object: "0000:3b:00.0"),
        ] + perPFExamples)) { s in
        s.perPF { f in
            var ev = [Evidence("\(f.path)/driver", f.driver ?? "not bound", expected: "a PF driver with SR-IOV support")]
            guard let d = f.driver else {
                return .fail("no-driver", [:], object: f.address, ev)
            }
            let inUse = s.vfsInUse(f).count
            if f.numVFs > 0 {
                if inUse > 0 { ev += s.vfHolderEvidence(f) }
                return inUse > 0 ? .pass("vfs-created-in-use", ["driver": d, "num_vfs": String(f.numVFs), "in_use": String(inUse),
                                                                "users": s.vfUsersText(f)], object: f.address, ev)
                                 : .pass("vfs-created", ["driver": d, "num_vfs": String(f.numVFs)], object: f.address, ev)
            }
            if d == "pci-stub" || d == "pci_stub" {
                return .fail("stub-bound", ["driver": d], object: f.address, ev)
            }
            if sriovPFDrivers.contains(d) || sriovPFDrivers.contains(d.replacing("_", with: "-")) {
                return .pass("supports-vfs", ["driver": d], object: f.address, ev)
            }
            return .warn("unknown-driver", ["driver": d], object: f.address, ev)
        }
    }
}
