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
        reads: ["sys/bus/pci/devices/*/driver", "sys/bus/pci/devices/*/sriov_numvfs"],
        examples: [
            .passes("ixgbe with VFs", .intelWithNIC, object: "0000:3b:00.0"),
            .fails("no driver bound", .intelReady.withNIC(NICSpec().with { $0.driver = nil; $0.netdev = nil }), object: "0000:3b:00.0"),
            .fails("pci-stub cannot create VFs", .intelReady.withNIC(NICSpec().with { $0.driver = "pci-stub"; $0.netdev = nil }), object: "0000:3b:00.0"),
            .warns("unknown driver, no VFs yet", .intelReady.withNIC(NICSpec().with { $0.driver = "acme_nic" }), object: "0000:3b:00.0"),
        ])) { s in
        s.perPF { f in
            let ev = [Evidence("\(f.path)/driver", f.driver ?? "not bound", expected: "a PF driver with SR-IOV support")]
            guard let d = f.driver else {
                return .fail("no driver is bound to the PF: install and load its driver before creating VFs", object: f.address, ev)
            }
            let inUse = s.vfsInUse(f).count
            let caution = inUse > 0 ? "; \(inUse) VF(s) are assigned — do not unload \(d) while they are" : ""
            if f.numVFs > 0 { return .pass("\(d) is bound and has created \(f.numVFs) VF(s)\(caution)", object: f.address, ev) }
            if d == "pci-stub" || d == "pci_stub" {
                return .fail("pci-stub is bound to the PF: it cannot create VFs", object: f.address, ev)
            }
            if sriovPFDrivers.contains(d) || sriovPFDrivers.contains(d.replacingOccurrences(of: "_", with: "-")) {
                return .pass("\(d) is bound and supports sriov_numvfs", object: f.address, ev)
            }
            return .warn("\(d) is bound, but it is not known to support sriov_numvfs (no VFs created yet)", object: f.address, ev)
        }
    }
}
