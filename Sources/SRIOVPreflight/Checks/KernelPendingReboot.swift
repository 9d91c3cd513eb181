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
                "boot/grub2/grubenv"],
        examples: [
            .passes("configured and running agree", .intelReady),
            .fails("configured, not rebooted", .intelKernelDefaultOff.file("etc/default/grub",
                                                                           "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n")),
            .warns("iommu=pt configured later", .intelReady.file("etc/default/grub",
                                                                "GRUB_CMDLINE_LINUX=\"intel_iommu=on\"\n")),
            .passes("BLS entry agrees", .intelReady.removing("etc/default/grub").file(
                "boot/loader/entries/abc-\(ExampleHost.release).conf",
                "title Example\nlinux /vmlinuz-\(ExampleHost.release)\noptions root=/dev/sda1 intel_iommu=on iommu=pt\n")),
            .skips("no boot configuration", .intelReady.removing("etc/default/grub")),
            .errors("cmdline unreadable", .intelReady.unreadable("proc/cmdline")),
        ])) { s in
        let boot = s.boot
        if let why = boot.unavailable {
            return [.skip("no boot configuration to compare: \(why)")]
        }
        guard let running = s.system.cmdline.value else {
            return [.error("cannot tell: \(s.system.cmdline.source) \(s.system.cmdline.reason ?? "unreadable")")]
        }
        let configured = boot.configured
        let want = configured.iommuTokens
        let have = running.iommuTokens
        var ev = boot.sources.map { Evidence($0.file, "\($0.key)=\"\($0.value)\"") }
        ev.append(Evidence("proc/cmdline", running.raw))
        let missing = want.filter { !have.contains($0) }
        let extra = have.filter { !want.contains($0) }
        if missing.isEmpty && extra.isEmpty {
            return [.pass(want.isEmpty ? "no IOMMU arguments configured or running"
                                       : "running command line has the configured IOMMU arguments (\(want.joined(separator: " ")))", ev)]
        }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("configured but not running: \(missing.joined(separator: " "))") }
        if !extra.isEmpty { parts.append("running but no longer configured: \(extra.joined(separator: " "))") }
        let detail = parts.joined(separator: "; ")
        let enables = missing.contains { $0 == "intel_iommu=on" || $0.hasPrefix("intel_iommu=on,") || $0 == "iommu=pt" || $0 == "iommu=on" }
        if !s.iommu.active && enables {
            return [.fail("IOMMU enabled but not ready: reboot the host (\(detail))", ev)]
        }
        return [.warn("reboot pending: \(detail)", ev)]
    }
}
