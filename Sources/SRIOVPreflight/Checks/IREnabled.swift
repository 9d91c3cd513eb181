extension Checks {
    static let irEnabled = Check(CheckDescription(
        id: "ir.enabled",
        title: "Interrupt remapping enabled by the kernel",
        category: "ir",
        severity: .error,
        rationale: """
            Support is not enough: the kernel must have turned interrupt remapping on. It says so in its log \
            ("DMAR-IR: Enabled IRQ remapping in x2apic|xapic mode", "AMD-Vi: Interrupt remapping enabled"), and \
            remapped interrupt chips appear in /proc/interrupts as IR-IO-APIC / IR-PCI-MSI. `intremap=off` or \
            `nointremap` on the command line keeps it off.
            """,
        remediation: """
            Remove intremap=off / nointremap from the kernel command line and reboot; if the platform lacks \
            interrupt remapping, see ir.supported.
            """,
        reads: ["kernel log", "proc/interrupts", "proc/cmdline"],
        fixID: "iommu-cmdline",
        manualCheck: "dmesg | grep -E 'Enabled IRQ remapping|Interrupt remapping enabled'; grep -c IR- /proc/interrupts",
        examples: [
            .passes("Intel, enabled in x2apic mode", .intelReady),
            .passes("AMD, enabled", .amdReady),
            .passes("log rotated away, IR chips in proc/interrupts", .intelReady.file("var/log/dmesg", "\n")),
            .fails("disabled by intremap=off", .intelIntremapOff),
            .fails("hardware without IR", .intelNoIRHardware),
            .skips("no IOMMU in firmware", .intelBIOSOff),
            .errors("no log, no proc/interrupts", .intelReady.removing("var/log/dmesg").unreadable("proc/interrupts")),
        ])) { s in
        let ir = s.ir
        var ev: [Evidence] = []
        if let line = ir.enabledLine {
            ev.append(Evidence(s.kernelLog.source, line))
            var msg = "the kernel enabled interrupt remapping"
            if line.contains("xapic mode") { msg += " (xAPIC mode: x2APIC/EIM not used)" }
            if let opt = ir.x2apicOptOutLine { ev.append(Evidence(s.kernelLog.source, opt)); msg += "; BIOS sets the x2APIC opt-out bit" }
            return [.pass(msg, ev)]
        }
        if !ir.remappedChips.isEmpty {
            let chips = ir.remappedChips.keys.sorted().map { "\($0) ×\(ir.remappedChips[$0]!)" }.joined(separator: ", ")
            ev.append(Evidence("proc/interrupts", chips))
            return [.pass("interrupts are remapped (\(ir.remappedChips.keys.sorted().joined(separator: ", ")) in proc/interrupts)", ev)]
        }
        if !s.firmware.dmar.present && !s.firmware.ivrs.present {
            return [.skip("no DMAR or IVRS table: no IOMMU, so no interrupt remapping")]
        }
        if !s.kernelLog.isAvailable && !ir.interruptsReadable {
            return [.error("cannot tell: kernel log unavailable (\(s.kernelLog.unavailable!)) and proc/interrupts unreadable")]
        }
        ev.append(Evidence(s.kernelLog.source, "no 'Enabled IRQ remapping' / 'Interrupt remapping enabled' line",
                           expected: "the kernel's IR-enabled message"))
        if ir.interruptsReadable { ev.append(Evidence("proc/interrupts", "no IR- interrupt chips")) }
        for l in ir.disabledLines.prefix(3) { ev.append(Evidence(s.kernelLog.source, l)) }
        if let c = s.system.cmdline.value, c.options("intremap").contains("off") || c.has("nointremap") {
            ev.append(Evidence("proc/cmdline", c.raw))
            return [.fail("interrupt remapping is off: disabled by \(c.has("nointremap") ? "nointremap" : "intremap=off") on the kernel command line", ev,
                          fix: FixOffer(id: "iommu-cmdline", rebootRequired: true))]
        }
        if s.firmware.dmarFlags.map({ $0 & 1 == 0 }) == true || !ir.dmarUnitsLackingIR.isEmpty {
            return [.fail("interrupt remapping is off: the platform does not support it (see ir.supported)", ev)]
        }
        return [.fail("interrupt remapping is off: the kernel did not enable it (see the kernel log)", ev)]
    }
}
