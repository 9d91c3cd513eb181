extension Checks {
    static let irEnabled = Check(CheckDescription(
        id: .irEnabled,
        title: "Interrupt remapping enabled by the kernel",
        category: .ir,
        severity: .error,
        rationale: """
            Support is not enough: the kernel must have turned interrupt remapping on. It says so in its log \
            ("DMAR-IR: Enabled IRQ remapping in x2apic|xapic mode", "AMD-Vi: Interrupt remapping enabled"), and \
            remapped interrupt chips appear in /proc/interrupts as IR-IO-APIC / IR-PCI-MSI. `intremap=off` or \
            `nointremap` on the command line keeps it off. When the log reaches the point where the kernel decides \
            (`x2apic: IRQ remapping doesn't support X2APIC mode` on Intel, `..TIMER`, `smpboot: CPU0`, AMD-Vi's \
            `Extended features`) without that line, the message names the broken link: a kernel built without \
            CONFIG_IRQ_REMAP (the DMAR parsed only after `..TIMER`), the command line, the chipset erratum, a VT-d \
            unit at address 0, the DMAR flag, a unit without IR. A log with several boots is read from its last.
            """,
        remediation: """
            Remove intremap=off / nointremap from the kernel command line and reboot; if the platform lacks \
            interrupt remapping, see ir.supported.
            """,
        reads: ["kernel log", "proc/interrupts", "proc/cmdline", "boot/config-<release>", "sys/firmware/acpi/tables/DMAR",
                "sys/firmware/acpi/tables/APIC (I/O APICs under the DRHDs)"],
        fixID: .iommuCmdline,
        manualCheck: "dmesg | grep -E 'Enabled IRQ remapping|Interrupt remapping enabled'; grep -c IR- /proc/interrupts",
        messages: IRModel.linkMessages.mapValues { "interrupt remapping is off: " + $0 }.merging([
            "enabled": "the kernel enabled interrupt remapping",
            "enabled-x2apic": "the kernel enabled interrupt remapping in x2APIC mode",
            "enabled-xapic": "the kernel enabled interrupt remapping in xAPIC mode (x2APIC/EIM not used)",
            "enabled-xapic-optout": "the kernel enabled interrupt remapping in xAPIC mode: the BIOS sets the x2APIC opt-out bit",
            "remapped-chips": "interrupts are remapped ({chips} in proc/interrupts)",
            "no-table-in-log": "no DMAR or IVRS table in this boot's kernel log: no IOMMU, so no interrupt remapping",
            "no-table": "no DMAR or IVRS table: no IOMMU, so no interrupt remapping",
            "tables-not-in-evidence": "not in this evidence: the ACPI tables ({path}: {reason}) and a kernel log from the start of the boot",
            "no-log-no-interrupts": "cannot tell: kernel log unavailable ({reason}) and proc/interrupts unreadable",
            "not-decided": "not in this evidence: the kernel log ends before the kernel decides on interrupt remapping (no enable line, no '..TIMER', 'smpboot: CPU0' or AMD-Vi initialisation line) and proc/interrupts is not in it",
            "amd-not-enabled": "interrupt remapping is off: the AMD IOMMU initialised without it (see the kernel log)",
            "not-enabled": "interrupt remapping is off: the kernel did not enable it (see the kernel log)",
        ]) { a, _ in a },
        examples: [
            .passes("Intel, enabled in x2apic mode", .intelReady),
            .passes("AMD, enabled", .amdReady),
            .passes("log rotated away, IR chips in proc/interrupts", .intelReady.file("var/log/dmesg", "\n")),
            .fails("disabled by intremap=off", .intelIntremapOff),
            .fails("hardware without IR", .intelNoIRHardware),
            .skips("no IOMMU in firmware", .intelBIOSOff),
            .passes("kernel log only", .fieldIntelReady),
            .passes("kernel log only, journalctl -k shape", .fieldIntelJournal),
            .passes("kernel log only: BIOS x2APIC opt-out, IR in xAPIC mode", .fieldIntelOptOut),
            .passes("intremap=no_x2apic_optout, yet xAPIC mode: the kernel's line wins, the model's disagreement is evidence",
                    .fieldIntelOptOut.editing("proc/cmdline") { $0.replacing("\n", with: " intremap=no_x2apic_optout\n") }),
            .passes("AMD: IR enabled despite 'IRQ remapping doesn't support X2APIC mode'", .fieldAMDX2apicLine),
            .fails("AMD: the IOMMU initialised without IR", .fieldAMDNotEnabled),
            .fails("kernel log only: a unit without IR, ..TIMER reached", .fieldIntelUnitWithoutIR),
            .fails("kernel log only: the last of two boots did not enable IR", .fieldTwoBoots),
            .fails("kernel log only: a VT-d unit at address 0", .fieldIntelDMARAtZero),
            .fails("kernel log only: chipset erratum", .fieldIntelErratum),
            .fails("kernel log only: DMAR parsed late (kernel without CONFIG_IRQ_REMAP)", .fieldIntelParsedLate),
            .fails("kernel built without CONFIG_IRQ_REMAP", .intelReady.withoutIREnableLine.removing("proc/interrupts")
                .editing("boot/config-\(ExampleHost.release)") { $0.replacing("CONFIG_IRQ_REMAP=y", with: "# CONFIG_IRQ_REMAP is not set") }),
            .skips("kernel log from boot shows no DMAR", .fieldIntelNoTable),
            .passes("kernel log only: xAPIC mode without the opt-out line", .fieldIntelReady.editing("var/log/dmesg") {
                $0.replacing("in x2apic mode", with: "in xapic mode") }),
            .fails("kernel log only: the kernel could not parse the DMAR", .fieldIntelDMARRejected),
            .fails("kernel log only: an I/O APIC under no VT-d unit", .fieldIntelIOAPICNotCovered),
            .fails("kernel log only: a unit without queued invalidation", .fieldIntelUnitWithoutQI),
            .fails("the kernel decided without enabling, every link holds", .intelReady.withoutIREnableLine
                .file("proc/interrupts", ExampleHost.remappedInterrupts(ioapic: "IO-APIC", msi: "PCI-MSI"))),
            .fails("kernel built without CONFIG_INTEL_IOMMU", .intelReady.withoutIREnableLine
                .file("proc/interrupts", ExampleHost.remappedInterrupts(ioapic: "IO-APIC", msi: "PCI-MSI"))
                .editing("boot/config-\(ExampleHost.release)") { $0.replacing("CONFIG_INTEL_IOMMU=y", with: "# CONFIG_INTEL_IOMMU is not set") }),
            .fails("AMD kernel built without CONFIG_AMD_IOMMU", .amdReady
                .file("proc/interrupts", ExampleHost.remappedInterrupts(ioapic: "IO-APIC", msi: "PCI-MSI"))
                .editing("var/log/dmesg") { $0.replacing("AMD-Vi: Interrupt remapping enabled", with: "") }
                .editing("boot/config-\(ExampleHost.release)") { $0.replacing("CONFIG_AMD_IOMMU=y", with: "# CONFIG_AMD_IOMMU is not set") }),
            .errors("neither ACPI tables nor a kernel log in the capture", .fieldIntelUndecided.removing("var/log/dmesg")),
            .errors("kernel log excerpt ends before the decision", .fieldIntelUndecided),
            .errors("no log, no proc/interrupts", .intelReady.removing("var/log/dmesg").unreadable("proc/interrupts")),
        ])) { s in
        let ir = s.ir
        let m = IRModel(s)
        let src = s.kernelLog.sourceNote
        var ev: [Evidence] = []
        if case .enabled(let line, let mode) = m.decision {
            ev.append(Evidence(src, line))
            var code = mode == "x2apic" ? "enabled-x2apic" : mode == "xapic" ? "enabled-xapic" : "enabled"
            if let opt = ir.x2apicOptOutLine {
                ev.append(Evidence(src, opt))
                if mode == "xapic" { code = "enabled-xapic-optout" }
            }
            if m.vendor == .amd, let x = ir.x2apicNotRemappedLine {
                ev.append(Evidence(src, "\(x) (on AMD this only means x2APIC mode is not used)"))
            }
            return [.pass(code, [:], ev + m.notes + m.disagreements)]
        }
        if !ir.remappedChips.isEmpty {
            let chips = ir.remappedChips.keys.sorted().map { "\($0) ×\(ir.remappedChips[$0]!)" }.joined(separator: ", ")
            ev.append(Evidence("proc/interrupts", chips))
            return [.pass("remapped-chips", ["chips": ir.remappedChips.keys.sorted().joined(separator: ", ")], ev)]
        }
        if !m.tableKnown {
            if m.logShowsNoTable {
                return [.skip("no-table-in-log", [:], [Evidence(src, "from 'Linux version' on: no 'ACPI: DMAR/IVRS', DMAR or AMD-Vi line")])]
            }
            if s.absenceIsVerdict || s.firmware.tablesDirProblem == nil { return [.skip("no-table", [:])] }
            return [.error("tables-not-in-evidence", ["path": FirmwareFacts.tablesDir, "reason": "\(s.firmware.tablesDirProblem!)"])]
        }
        if !s.kernelLog.isAvailable && !ir.interruptsReadable {
            return [.error("no-log-no-interrupts", ["reason": s.kernelLog.unavailable!])]
        }
        var decided = false
        if case .notEnabled(let line) = m.decision {
            decided = true
            ev.append(Evidence(src, line, expected: m.vendor == .amd ? "AMD-Vi: Interrupt remapping enabled" : "DMAR-IR: Enabled IRQ remapping in x2apic|xapic mode (before this line)"))
        } else if s.kernelLog.isAvailable {
            ev.append(Evidence(src, "no 'Enabled IRQ remapping' / 'Interrupt remapping enabled' line", expected: "the kernel's IR-enabled message"))
        }
        if ir.interruptsReadable { decided = true; ev.append(Evidence("proc/interrupts", "no IR- interrupt chips")) }
        for l in ir.disabledLines.prefix(3) where !ev.contains(where: { $0.observed == l }) { ev.append(Evidence(src, l)) }
        ev += m.notes + m.disagreements
        if let link = m.links.first {
            let fix = link.code == "cmdline-off" ? FixOffer(id: .iommuCmdline, rebootRequired: true) : nil
            return [.fail(link.code, link.params, ev + m.links.flatMap(\.evidence), fix: fix)]
        }
        if !decided { return [.error("not-decided", [:], ev)] }
        return [.fail(m.vendor == .amd ? "amd-not-enabled" : "not-enabled", [:], ev)]
    }
}
