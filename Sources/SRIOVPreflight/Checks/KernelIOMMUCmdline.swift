extension Checks {
    static let kernelIOMMUCmdline = Check(CheckDescription(
        id: .kernelIOMMUCmdline,
        title: "Kernel command line: IOMMU arguments",
        category: .kernel,
        severity: .warning,
        rationale: """
            Some kernel arguments defeat SR-IOV passthrough: `intel_iommu=off`, `amd_iommu=off` and `iommu=off` \
            turn the IOMMU off; `intremap=off` / `nointremap` turn interrupt remapping off, after which vfio \
            refuses devices unless isolation is weakened with allow_unsafe_interrupts. `amd_iommu=on` is not an \
            option at all (the kernel logs "AMD-Vi: Unknown option") — harmless, but a sign the host was \
            configured from a wrong recipe. `iommu=pt` keeps host-owned devices on identity mappings, the usual \
            choice for SR-IOV hosts.
            """,
        remediation: """
            Remove the harmful arguments from GRUB_CMDLINE_LINUX in /etc/default/grub (or with `grubby \
            --remove-args`), regenerate the boot configuration (update-grub / grub2-mkconfig) and reboot. Drop \
            `amd_iommu=on`; AMD-Vi is on by default.
            """,
        reads: ["proc/cmdline", "kernel log", "sys/class/iommu/* (active units)", "sys/kernel/iommu_groups/*"],
        fixID: .iommuCmdline,
        messages: [
            "cmdline-unreadable": "cannot tell: {path}: {problem}",
            "iommu-off": "{argument} turns the IOMMU off",
            "intremap-off": "{argument} turns interrupt remapping off: vfio then refuses devices without allow_unsafe_interrupts",
            "amd-iommu-on": "amd_iommu=on is not a kernel option (a no-op; AMD-Vi is on by default): remove it",
            "iommu-soft": "iommu=soft selects software bounce buffers, not the IOMMU's DMA remapping",
            "no-arguments": "no IOMMU arguments on the command line",
            "no-arguments-consider-pt": "no IOMMU arguments on the command line; consider iommu=pt (identity mappings for host-owned devices)",
            "arguments": "IOMMU arguments: {arguments}",
            "arguments-consider-pt": "IOMMU arguments: {arguments}; consider iommu=pt (identity mappings for host-owned devices)",
        ],
        examples: [
            .passes("intel_iommu=on iommu=pt", .intelReady),
            .passes("AMD with iommu=pt", .amdReady),
            .passes("intel_iommu=on without iommu=pt", .intelReady.editing("proc/cmdline") { $0.replacing(" iommu=pt", with: "") }),
            .passes("AMD on by default, no arguments", .amdReady.editing("proc/cmdline") { $0.replacing(" iommu=pt", with: "") }),
            .passes("no arguments, IOMMU off", .intelKernelDefaultOff),
            .fails("intremap=off", .intelReady.editing("proc/cmdline") { $0.trimmingWhitespace() + " intremap=off\n" }),
            .fails("intel_iommu=off", .intelReady.editing("proc/cmdline") { $0.replacing("intel_iommu=on", with: "intel_iommu=off") }),
            .warns("no-op amd_iommu=on", .amdReady.editing("proc/cmdline") { $0.trimmingWhitespace() + " amd_iommu=on\n" }),
            .warns("iommu=soft", .intelReady.editing("proc/cmdline") { $0.replacing("iommu=pt", with: "iommu=soft") }),
            .errors("cmdline unreadable", .intelReady.unreadable("proc/cmdline")),
        ])) { s in
        guard let c = s.system.cmdline.value else {
            if s.notCaptured(s.system.cmdline) {
                return [HostSnapshot.notCapturedFinding(.error, path: s.system.cmdline.source, fact: "the running kernel command line")]
            }
            return [.error("cmdline-unreadable", ["path": s.system.cmdline.source, "problem": s.system.cmdline.reason ?? "unreadable"])]
        }
        let ev = [Evidence("proc/cmdline", c.raw)]
        let fix = FixOffer(id: .iommuCmdline, rebootRequired: true)
        if let off = c.iommuDisablingToken {
            return [.fail("iommu-off", ["argument": off], ev, fix: fix)]
        }
        if let t = c.interruptRemappingOffToken {
            return [.fail("intremap-off", ["argument": t], ev, fix: fix)]
        }
        if c.options("amd_iommu").contains("on") {
            var e = ev
            if let line = s.kernelLog.first("AMD-Vi: Unknown option") { e.append(Evidence(s.kernelLog.source, line)) }
            return [.warn("amd-iommu-on", [:], e, fix: fix)]
        }
        if c.has("iommu=soft") {
            return [.warn("iommu-soft", [:], ev, fix: fix)]
        }
        let args = c.iommuTokens
        let considerPT = s.iommu.active && c.value("iommu") != "pt" && c.value("iommu.passthrough") != "1"
        if args.isEmpty { return [.pass(considerPT ? "no-arguments-consider-pt" : "no-arguments", [:], ev)] }
        return [.pass(considerPT ? "arguments-consider-pt" : "arguments", ["arguments": args.joined(separator: " ")], ev)]
    }
}
