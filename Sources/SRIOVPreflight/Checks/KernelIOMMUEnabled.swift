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
        messages: [
            "active": "IOMMU active: {count} unit(s) ({units}), {groups} groups",
            "active-per-lspci": "IOMMU active: lspci shows devices in {groups} IOMMU groups; sys/class/iommu is not in this evidence",
            "active-per-log": "IOMMU active: the kernel log shows it running; sys/class/iommu and sys/kernel/iommu_groups are not in this evidence",
            "unreadable": "cannot read the kernel's IOMMU state: {reason}",
            "bios-off": "IOMMU off: BIOS off — the firmware has no DMAR/IVRS table, enable VT-d/AMD-Vi in the BIOS",
            "sysfs-not-in-evidence": "not in this evidence: sys/class/iommu and sys/kernel/iommu_groups, and the kernel log does not show whether the IOMMU started",
            "cmdline-off": "IOMMU off: disabled by {token} on the kernel command line",
            "default-off": "IOMMU off: kernel default off — this kernel's default is off: add intel_iommu=on to the boot configuration and reboot",
            "default-unknown": "IOMMU off: kernel default off — the kernel's default is unknown (no boot/config): add intel_iommu=on to the boot configuration and reboot",
            "no-groups": "IOMMU units registered but no IOMMU groups: the kernel did not attach devices (see the kernel log)",
            "off-with-dmar": "IOMMU off although the firmware has a DMAR table: look for DMAR errors in the kernel log",
            "off-with-dmar-on": "IOMMU off although the firmware has a DMAR table and intel_iommu=on is set: look for DMAR errors in the kernel log",
            "off-with-ivrs": "IOMMU off although the firmware has an IVRS table: look for AMD-Vi errors in the kernel log",
        ],
        examples: [
            .passes("Intel with intel_iommu=on", .intelReady),
            .passes("AMD on by default", .amdReady),
            .fails("BIOS off", .intelBIOSOff),
            .fails("Debian kernel default off", .intelKernelDefaultOff),
            .fails("disabled by intel_iommu=off", .intelKernelDefaultOff.editing("proc/cmdline") { $0 + " intel_iommu=off" }),
            .passes("kernel log only: the VT-d driver started", .fieldIntelReady.editing("var/log/dmesg") {
                $0 + "[    2.940608] DMAR: Intel(R) Virtualization Technology for Directed I/O\n" }),
            .fails("kernel log from boot shows no DMAR", .fieldIntelNoTable),
            .passes("sosreport: the kernel log shows the VT-d driver starting", .intelReady.asSosreport()),
            .passes("sosreport: lspci shows IOMMU groups, the log does not show the driver starting", .intelWithNIC.asSosreport()
                .editing("sos_commands/kernel/dmesg") { $0.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("DMAR") && !$0.contains("iommu") }.joined(separator: "\n") }),
            .errors("kernel log only: the log does not show the IOMMU starting", .fieldIntelReady),
            .fails("kernel log only: intel_iommu=off, the log does not show the IOMMU starting", .fieldIntelReady.file("proc/cmdline", "BOOT_IMAGE=/vmlinuz ro intel_iommu=off\n")),
            .fails("kernel default unknown (no build config)", .intelKernelDefaultOff.removing("boot/config-\(ExampleHost.release)")),
            .fails("units but no groups", .intelReady.removing("sys/kernel/iommu_groups").dir("sys/kernel/iommu_groups")),
            .fails("intel_iommu=on, yet no IOMMU", .intelKernelDefaultOff.editing("proc/cmdline") { $0.replacing("\n", with: " intel_iommu=on\n") }),
            .fails("default-on kernel, yet no IOMMU", .intelKernelDefaultOff.editing("boot/config-\(ExampleHost.release)") {
                $0.replacing("# CONFIG_INTEL_IOMMU_DEFAULT_ON is not set", with: "CONFIG_INTEL_IOMMU_DEFAULT_ON=y") }),
            .fails("AMD IVRS, yet no IOMMU", .amdReady.removing("sys/class/iommu/ivhd0").removing("sys/kernel/iommu_groups").dir("sys/kernel/iommu_groups")),
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
            finding = [.pass("active", ["count": "\(units.count)", "units": units.joined(separator: ", "), "groups": "\(groups.count)"], ev)]
            return
        }
        for r in [io.units.map { _ in () }, io.groups.map { _ in () }] {
            if case .failure(let e) = r, e != .missing {
                finding = [.error("unreadable", ["reason": "\(e)"], ev)]
                return
            }
        }
        if !io.sysfsCaptured {
            // A kernel log and a few files: decide from the log, never from the missing directories.
            let m = IRModel(s)
            let src = s.kernelLog.sourceNote
            if let line = s.ir.iommuRunningLine {
                finding = [.pass("active-per-log", [:], [Evidence(src, line)])]
            } else if io.groupsFromLspci && !groups.isEmpty {
                finding = [.pass("active-per-lspci", ["groups": "\(groups.count)"], [Evidence(s.sosreport?.lspciSource ?? "lspci", "\(groups.count) IOMMU groups")])]
            } else if m.logShowsNoTable {
                finding = [.fail("bios-off", [:], [Evidence(src, "from 'Linux version' on: no 'ACPI: DMAR/IVRS', DMAR or AMD-Vi line", expected: "ACPI: DMAR (Intel) or ACPI: IVRS (AMD)")])]
            } else if let c = s.system.cmdline.value, let off = c.iommuDisablingToken {
                // the log does not show the IOMMU starting, and the running kernel was told not to start it
                finding = [.fail("cmdline-off", ["token": off], [Evidence("proc/cmdline", c.raw), Evidence(src, "no line of the IOMMU starting")],
                                 fix: FixOffer(id: .iommuCmdline, rebootRequired: true))]
            } else {
                finding = [.error("sysfs-not-in-evidence", [:], m.tableEvidence)]
            }
            return
        }
        let cmd = s.system.cmdline.value
        if let c = cmd { ev.append(Evidence("proc/cmdline", c.raw)) }
        let fix = FixOffer(id: .iommuCmdline, rebootRequired: true)
        // The table as the kernel saw it: the file, else the kernel log's lines (a capture made without root).
        let m = IRModel(s)
        let hasDMAR = s.hasIntelIOMMUTable(m)
        let hasIVRS = s.firmware.ivrs.present || (m.tableKnown && m.vendor == .amd)
        if !s.firmware.dmar.present && !s.firmware.ivrs.present { ev += m.tableEvidence }
        if !hasDMAR && !hasIVRS {
            finding = [.fail("bios-off", [:], ev)]
            return
        }
        if let off = cmd?.iommuDisablingToken {
            finding = [.fail("cmdline-off", ["token": off], ev, fix: fix)]
            return
        }
        if hasDMAR {
            let intelOn = cmd?.options("intel_iommu").contains("on") ?? false
            let diagnosis = s.intelIOMMUDefault(hasDMAR: hasDMAR)
            if let cfg = diagnosis.intelDefaultOnValue {
                ev.append(Evidence(diagnosis.configSource, "CONFIG_INTEL_IOMMU_DEFAULT_ON=\(cfg)"))
            }
            if diagnosis.needsIntelIOMMUOn(cmd) {
                finding = [.fail(diagnosis.intelDefaultOn == nil ? "default-unknown" : "default-off", [:], ev, fix: fix)]
                return
            }
            if intelOn, !units.isEmpty, groups.isEmpty {
                finding = [.fail("no-groups", [:], ev)]
                return
            }
            finding = [.fail(intelOn ? "off-with-dmar-on" : "off-with-dmar", [:], ev)]
            return
        }
        finding = [.fail("off-with-ivrs", [:], ev)]
    }
}
