extension Checks {
    static let kernelIOMMUEnabled = Check(CheckDescription(
        id: .kernelIOMMUEnabled,
        title: "The running kernel uses the IOMMU",
        category: .kernel,
        severity: .error,
        rationale: """
            VFs can only be assigned to guests when the kernel has the IOMMU running: its units are \
            registered in /sys/class/iommu and devices are placed in /sys/kernel/iommu_groups. This is \
            decided from those directories, never from the command line (`amd_iommu=on` is a no-op, and \
            newer Intel kernels enable VT-d by default). The command line, the firmware table and the \
            kernel's build options only explain why the IOMMU is off.
            """,
        remediation: """
            If the firmware has no DMAR/IVRS table, enable VT-d/AMD-Vi in the BIOS. If a kernel argument \
            disables it, remove it. On Intel kernels built without CONFIG_INTEL_IOMMU_DEFAULT_ON, add \
            `intel_iommu=on` (and `iommu=pt`) to the boot configuration; then reboot.
            """,
        reads: ["sys/class/iommu/*", "sys/kernel/iommu_groups/*/devices/*", "sys/firmware/acpi/tables/{DMAR,IVRS}",
                "proc/cmdline", "boot/config-<release>", "kernel log"],
        fixID: .iommuCmdline,
        manualCheck: "ls /sys/class/iommu /sys/kernel/iommu_groups",
        examples: [
            .passes("Intel with intel_iommu=on", .intelReady),
            .passes("AMD on by default", .amdReady),
            .fails("BIOS off", .intelBIOSOff),
            .fails("Debian kernel default off", .intelKernelDefaultOff),
            .fails("disabled by intel_iommu=off", .intelKernelDefaultOff.editing("proc/cmdline") { $0 + " intel_iommu=off" }),
            .errors("groups unreadable", .intelReady.unreadable("sys/kernel/iommu_groups", .io("Input/output error"))),
        ])) { s in
        IOMMUDiagnosis(s).finding
    }
}

/// Why the IOMMU is (not) running: shared by the checks and the fix planner.
struct IOMMUDiagnosis {
    var finding: [Finding]

    init(_ s: HostSnapshot) {
        let io = s.iommu
        let groups = io.groupMap
        let units = io.unitNames
        var ev = [Evidence(IOMMUFacts.classDir, units.isEmpty ? "empty" : units.joined(separator: ", "),
                           expected: "at least one IOMMU unit"),
                  Evidence(IOMMUFacts.groupsDir, "\(groups.count) groups", expected: "at least one group")]
        if let line = s.kernelLog.first("Default domain type") { ev.append(Evidence(s.kernelLog.source, line)) }
        if io.active {
            finding = [.pass("IOMMU active: \(units.count) unit(s) (\(units.joined(separator: ", "))), \(groups.count) groups", ev)]
            return
        }
        for r in [io.units.map { _ in () }, io.groups.map { _ in () }] {
            if case .failure(let e) = r, e != .missing {
                finding = [.error("cannot read the kernel's IOMMU state: \(e)", ev)]
                return
            }
        }
        let cmd = s.system.cmdline.value
        if let c = cmd { ev.append(Evidence("proc/cmdline", c.raw)) }
        let fix = FixOffer(id: .iommuCmdline, rebootRequired: true)
        let hasDMAR = s.firmware.dmar.present
        let hasIVRS = s.firmware.ivrs.present
        if !hasDMAR && !hasIVRS {
            finding = [.fail("IOMMU off: BIOS off — the firmware has no DMAR/IVRS table, enable VT-d/AMD-Vi in the BIOS", ev)]
            return
        }
        if let off = cmd?.iommuDisablingToken {
            finding = [.fail("IOMMU off: disabled by \(off) on the kernel command line", ev, fix: fix)]
            return
        }
        if hasDMAR {
            let intelOn = cmd?.options("intel_iommu").contains("on") ?? false
            let config = s.system.kernelConfig.value
            let defaultOn = config?["CONFIG_INTEL_IOMMU_DEFAULT_ON"] == "y"
            if let cfg = config?["CONFIG_INTEL_IOMMU_DEFAULT_ON"] {
                ev.append(Evidence(s.system.kernelConfig.source, "CONFIG_INTEL_IOMMU_DEFAULT_ON=\(cfg)"))
            }
            if !intelOn && !defaultOn {
                let why = config == nil ? "the kernel's default is unknown (no boot/config)" : "this kernel's default is off"
                finding = [.fail("IOMMU off: kernel default off — \(why): add intel_iommu=on to the boot configuration and reboot", ev, fix: fix)]
                return
            }
            if intelOn, !units.isEmpty, groups.isEmpty {
                finding = [.fail("IOMMU units registered but no IOMMU groups: the kernel did not attach devices (see the kernel log)", ev)]
                return
            }
            finding = [.fail("IOMMU off although the firmware has a DMAR table\(intelOn ? " and intel_iommu=on is set" : ""): look for DMAR errors in the kernel log", ev)]
            return
        }
        finding = [.fail("IOMMU off although the firmware has an IVRS table: look for AMD-Vi errors in the kernel log", ev)]
    }
}
