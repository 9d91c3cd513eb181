extension Checks {
    static let kernelPendingReboot = Check(CheckDescription(
        id: .kernelPendingReboot,
        title: "Boot configuration matches the running kernel command line",
        category: .kernel,
        severity: .warning,
        rationale: """
            IOMMU arguments take effect only at boot. When the boot configuration (GRUB_CMDLINE_LINUX* in \
            /etc/default/grub and grub.d, or the BLS entry of the running kernel) has IOMMU arguments that the \
            running command line lacks, or the other way round, the host has been configured but not \
            rebooted: "IOMMU enabled but not ready — reboot the host".
            """,
        remediation: """
            Reboot the host so the configured arguments take effect (on Debian/Ubuntu run update-grub first if \
            /etc/default/grub was edited by hand).
            """,
        reads: ["proc/cmdline", "etc/default/grub", "etc/default/grub.d/*.cfg", "boot/loader/entries/*.conf",
                "boot/grub2/grubenv", "sys/class/iommu/* (active units)", "sys/kernel/iommu_groups/*"],
        messages: [
            "no-boot-config": "no boot configuration to compare: {reason}",
            "cmdline-unreadable": "cannot tell: {path}: {problem}",
            "none": "no IOMMU arguments configured or running",
            "match": "running command line has the configured IOMMU arguments ({arguments})",
            "not-rebooted": "IOMMU enabled but not ready: reboot the host (configured but not running: {configured_only})",
            "not-rebooted-changed": "IOMMU enabled but not ready: reboot the host (configured but not running: {configured_only}; running but no longer configured: {running_only})",
            "pending-added": "reboot pending: configured but not running: {configured_only}",
            "pending-removed": "reboot pending: running but no longer configured: {running_only}",
            "pending-changed": "reboot pending: configured but not running: {configured_only}; running but no longer configured: {running_only}",
        ],
        examples: [
            .passes("configured and running agree", .intelReady),
            .passes("no IOMMU arguments anywhere", .intelKernelDefaultOff),
            .fails("configured, not rebooted", .intelKernelDefaultOff.file("etc/default/grub",
                                                                           "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n")),
            .fails("configured, not rebooted, intremap=off removed", .intelKernelDefaultOff
                .file("etc/default/grub", "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n")
                .editing("proc/cmdline") { $0.trimmingWhitespace() + " intremap=off\n" }),
            .warns("iommu=pt removed from the configuration", .intelReady.file("etc/default/grub",
                                                                             "GRUB_CMDLINE_LINUX=\"intel_iommu=on\"\n")),
            .warns("iommu.strict=1 added to the configuration", .intelReady.file("etc/default/grub",
                                                                               "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt iommu.strict=1\"\n")),
            .warns("iommu=pt replaced by iommu.strict=1 in the configuration", .intelReady.file("etc/default/grub",
                                                                                              "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu.strict=1\"\n")),
            .passes("BLS entry agrees", .intelReady.removing("etc/default/grub").file(
                "boot/loader/entries/abc-\(ExampleHost.release).conf",
                "title Example\nlinux /vmlinuz-\(ExampleHost.release)\noptions root=/dev/sda1 intel_iommu=on iommu=pt\n")),
            .skips("no boot configuration", .intelReady.removing("etc/default/grub")),
            .errors("cmdline unreadable", .intelReady.unreadable("proc/cmdline")),
        ])) { s in
        let boot = s.boot
        if let why = boot.unavailable {
            return [.skip("no-boot-config", ["reason": why])]
        }
        guard let running = s.system.cmdline.value else {
            if s.notCaptured(s.system.cmdline) {
                return [HostSnapshot.notCapturedFinding(.error, path: s.system.cmdline.source, fact: "the running kernel command line")]
            }
            return [.error("cmdline-unreadable", ["path": s.system.cmdline.source, "problem": s.system.cmdline.reason ?? "unreadable"])]
        }
        let configured = boot.configured
        let want = configured.iommuTokens
        let have = running.iommuTokens
        var ev = boot.sources.map { Evidence($0.file, "\($0.key)=\"\($0.value)\"") }
        ev.append(Evidence("proc/cmdline", running.raw))
        let missing = want.filter { !have.contains($0) }
        let extra = have.filter { !want.contains($0) }
        if missing.isEmpty && extra.isEmpty {
            return [want.isEmpty ? .pass("none", [:], ev) : .pass("match", ["arguments": want.joined(separator: " ")], ev)]
        }
        var params: [String: String] = [:]
        if !missing.isEmpty { params["configured_only"] = missing.joined(separator: " ") }
        if !extra.isEmpty { params["running_only"] = extra.joined(separator: " ") }
        let enables = missing.contains { $0 == "intel_iommu=on" || $0.hasPrefix("intel_iommu=on,") || $0 == "iommu=pt" || $0 == "iommu=on" }
        if s.iommuRunning == false && enables {
            return [.fail(extra.isEmpty ? "not-rebooted" : "not-rebooted-changed", params, ev)]
        }
        return [.warn(missing.isEmpty ? "pending-removed" : extra.isEmpty ? "pending-added" : "pending-changed", params, ev)]
    }
}
