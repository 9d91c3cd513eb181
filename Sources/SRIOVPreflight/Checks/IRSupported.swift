extension Checks {
    static let irSupported = Check(CheckDescription(
        id: .irSupported,
        title: "Interrupt remapping supported by the platform",
        category: .ir,
        severity: .error,
        rationale: """
            Interrupt remapping (IR) lets the IOMMU check every interrupt a device sends, so a VF given to a \
            guest cannot inject interrupts into the host. vfio refuses to assign devices without it unless \
            isolation is knowingly weakened (allow_unsafe_interrupts). On Intel, the kernel uses IR only when \
            the DMAR table's INTR_REMAP flag (header byte 37, bit 0) is set AND every remapping unit (DRHD) \
            reports IR in its extended capability register (ECAP bit 3) and queued invalidation (bit 1), and \
            every I/O APIC of the MADT (`APIC` table) is named by an IOAPIC device scope of some DRHD (else the \
            kernel prints "ioapic N has no mapping iommu" and disables IR; without the MADT this is not checked). The \
            kernel also refuses IR on the Intel 5500/5520/X58 chipset erratum and drops the whole DMAR when the \
            BIOS lists a unit at address 0. Without the table or sysfs (a kernel log from the field), the units \
            come from the log's `DMAR: dmarN: reg_base_addr … ecap …` lines, and when the kernel's own line is in \
            the log it is the verdict; a disagreement with the model is shown as evidence. On AMD the kernel \
            decides from the IVRS at boot and says so in its log (`x2apic: IRQ remapping doesn't support X2APIC \
            mode` does not mean IR is off there).
            """,
        remediation: """
            Enable "Interrupt Remapping" (often under VT-d / North Bridge / IIO settings) in the BIOS and update \
            the BIOS if a unit still lacks it. If the hardware cannot remap interrupts, vfio needs \
            allow_unsafe_interrupts (`sriov-preflight fix unsafe-interrupts`), which gives up interrupt isolation.
            """,
        reads: ["sys/firmware/acpi/tables/DMAR (byte 37, IOAPIC device scopes)", "sys/firmware/acpi/tables/APIC (I/O APICs)",
                "sys/class/iommu/dmar*/intel-iommu/ecap",
                "kernel log: DMAR: dmarN: reg_base_addr … ecap …", "kernel log: DMAR-IR and AMD-Vi lines, ACPI: DMAR/IVRS",
                "boot/config-<release>", "proc/cmdline", "proc/cpuinfo (CPU vendor)"],
        manualCheck: """
            Intel: the DMAR flags byte is the 38th byte of the table (offset 37); bit 0 is INTR_REMAP:
              od -An -tx1 -j37 -N1 /sys/firmware/acpi/tables/DMAR      # 01 or 03 → set
            Each unit's ECAP is a hex number; bit 3 (value 0x8) is IR:
              cat /sys/class/iommu/dmar*/intel-iommu/ecap               # e.g. f050da → 0xda & 0x8 = 8 → IR
            Without sysfs, the same value is in the kernel log line
              DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c40660462 ecap f050da
            IR is supported only if the flag is set and EVERY unit has bit 3.
            AMD: dmesg | grep -i 'AMD-Vi: Interrupt remapping enabled'
            """,
        messages: IRModel.linkMessages.filter { IRModel.platformCodes.contains($0.key) }.merging([
            "supported": "INTR_REMAP set and every unit ({units}) has IR",
            "supported-flags-unreadable": "every unit ({units}) has IR; DMAR flags unreadable ({reason})",
            "supported-kernel-enabled": "every unit ({units}) has IR and the kernel enabled interrupt remapping (the DMAR table is not in this evidence)",
            "units-ir-flag-unknown": "every VT-d unit ({units}) has IR, but the DMAR table's INTR_REMAP flag is not in this evidence",
            "units-ir-kernel-did-not": "every VT-d unit ({units}) has IR, but the DMAR table's INTR_REMAP flag is not in this evidence and the kernel did not enable interrupt remapping ({link}): see ir.enabled",
            "kernel-enabled-units-unknown": "the kernel enabled interrupt remapping (unit registers not visible)",
            "kernel-line-outweighs": "the kernel enabled interrupt remapping ('{line}') although the evidence suggests otherwise ({link}): see the evidence",
            "ecap-not-in-evidence": "not in this evidence: the ECAP of every VT-d unit (sys/class/iommu/dmar*/intel-iommu/ecap or the kernel's 'DMAR: dmarN: reg_base_addr … ecap' lines)",
            "amd-enabled": "AMD-Vi interrupt remapping works (the kernel enabled it)",
            "amd-cmdline-off": "AMD: support is decided by the kernel at boot, and {token} on the kernel command line kept it from trying",
            "amd-unavailable": "the kernel reports AMD-Vi interrupt remapping unavailable",
            "amd-not-enabled": "the AMD IOMMU initialised without interrupt remapping: the IVRS or the IOMMU does not offer it to this kernel (see ir.enabled)",
            "amd-undecided": "AMD: the IVRS is there, but whether the kernel could remap interrupts is not in this evidence (no 'AMD-Vi: Interrupt remapping enabled' or 'AMD-Vi: Extended features' line)",
            "no-table-in-log": "no DMAR or IVRS table in this boot's kernel log: no IOMMU, so no interrupt remapping",
            "no-table": "no DMAR or IVRS table: no IOMMU, so no interrupt remapping",
            "tables-not-in-evidence": "not in this evidence: the ACPI tables ({path}: {reason}) and a kernel log from the start of the boot",
        ]) { a, _ in a },
        examples: [
            .passes("one unit with IR", .intelReady),
            .passes("two units with IR", .intelReady.file("sys/class/iommu/dmar1/intel-iommu/ecap", "f050da\n")),
            .fails("one of two units without IR", .intelReady.withoutIREnableLine.file("sys/class/iommu/dmar1/intel-iommu/ecap", "f050d2\n")),
            .fails("DMAR flag clear but ecap set", .intelReady.withoutIREnableLine.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(flags: 0))),
            .passes("the kernel's enable line outweighs a unit without IR (disagreement in the evidence)",
                    .intelReady.file("sys/class/iommu/dmar1/intel-iommu/ecap", "f050d2\n")),
            .fails("hardware without IR", .intelNoIRHardware),
            .passes("no sysfs, kernel log only", .intelReady.removing("sys/class/iommu/dmar0/intel-iommu")),
            .fails("no sysfs, kernel log says no IR", .intelReady.withoutIREnableLine.removing("sys/class/iommu/dmar0/intel-iommu")
                .editing("var/log/dmesg") { $0.replacing("ecap f050da", with: "ecap f050d2") }),
            .passes("kernel log only: every unit has IR, the kernel enabled it", .fieldIntelReady),
            .passes("kernel log only, journalctl -k shape", .fieldIntelJournal),
            .passes("kernel log only: BIOS x2APIC opt-out, IR in xAPIC mode", .fieldIntelOptOut),
            .passes("kernel log only: a kdump kernel copied the IR tables", .fieldIntelKdump),
            .passes("kernel log only: the firmware left IR on", .fieldIntelIRLeftOn),
            .fails("kernel log only: a unit without IR", .fieldIntelUnitWithoutIR),
            .fails("kernel log only: the last of two boots has a unit without IR", .fieldTwoBoots),
            .fails("kernel log only: a VT-d unit at address 0 (the kernel drops the DMAR)", .fieldIntelDMARAtZero),
            .fails("kernel log only: X58/5500/5520 chipset erratum", .fieldIntelErratum),
            .warns("kernel log only: DMAR parsed late (kernel without CONFIG_IRQ_REMAP), the units can remap", .fieldIntelParsedLate),
            .skips("kernel log from boot shows no DMAR", .fieldIntelNoTable),
            .errors("kernel log excerpt without unit lines or decision", .fieldIntelUndecided),
            .passes("AMD: IR enabled despite 'IRQ remapping doesn't support X2APIC mode'", .fieldAMDX2apicLine),
            .warns("AMD: the IOMMU initialised without IR", .fieldAMDNotEnabled),
            .fails("AMD: the driver disables IR (no southbridge I/O APIC in the IVRS)", .fieldAMDUnavailable),
            .skips("AMD: intremap=off kept the kernel from trying", .fieldAMDNotEnabled.editing("proc/cmdline") { $0 + " intremap=off" }),
            .skips("AMD: the excerpt ends before the driver starts", .fieldAMDUndecided),
            .fails("kernel log only: an I/O APIC under no VT-d unit", .fieldIntelIOAPICNotCovered),
            .passes("tables: the MADT's I/O APIC (id 8) is under the DRHD",
                    .intelReady.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(ioapicScopes: [8]))
                        .bytes("sys/firmware/acpi/tables/APIC", SyntheticTables.madt(ioapics: [(8, 0xFEC0_0000, 0)]))),
            .fails("tables: the MADT's second I/O APIC (id 9) under no DRHD",
                   .intelReady.withoutIREnableLine.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(ioapicScopes: [8]))
                       .bytes("sys/firmware/acpi/tables/APIC", SyntheticTables.madt(ioapics: [(8, 0xFEC0_0000, 0), (9, 0xFEC0_1000, 24)]))),
            .passes("tables: an I/O APIC under no DRHD, yet the kernel enabled IR (its line is the verdict, the disagreement in the evidence)",
                    .intelReady.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(ioapicScopes: [8]))
                        .bytes("sys/firmware/acpi/tables/APIC", SyntheticTables.madt(ioapics: [(8, 0xFEC0_0000, 0), (9, 0xFEC0_1000, 24)]))),
            .fails("kernel log only: the kernel could not parse the DMAR", .fieldIntelDMARRejected),
            .fails("kernel log only: a unit without queued invalidation", .fieldIntelUnitWithoutQI),
            .passes("kernel log only: enabled, unit lines cut from the excerpt", .fieldIntelEnabledNoUnits),
            .warns("kernel log only: units with IR, the excerpt ends before the decision", .fieldIntelUnitsOnly),
            .passes("DMAR present but unreadable, units with IR", .intelReady.unreadable("sys/firmware/acpi/tables/DMAR")),
            .errors("neither ACPI tables nor a kernel log in the capture", .fieldIntelUndecided.removing("var/log/dmesg")),
            .passes("AMD with IR enabled", .amdReady),
            .skips("no IOMMU in firmware", .intelBIOSOff),
            .errors("Intel units unknown", .intelReady.removing("sys/class/iommu/dmar0").file("var/log/dmesg", "\n")),
        ]
        )) { s in
        let m = IRModel(s)
        let fw = s.firmware
        let ir = s.ir
        let logSrc = s.kernelLog.sourceNote
        var ev: [Evidence] = []
        if !s.kernelLog.isAvailable { ev.append(Evidence(s.kernelLog.source, "unavailable: \(s.kernelLog.unavailable!)")) }
        if m.vendor == .amd {
            ev += ir.amdUnits.map { Evidence("\(IOMMUFacts.classDir)/\($0.name)/amd-iommu", "cap=\($0.cap ?? "?") features=\($0.features ?? "?")") }
            ev += m.tableEvidence
            let cmdOff = m.links.first { $0.code == "cmdline-off" }
            switch m.decision {
            case .enabled(let line, _):
                ev.append(Evidence(logSrc, line))
                if let x = ir.x2apicNotRemappedLine {
                    ev.append(Evidence(logSrc, "\(x) (on AMD this only means x2APIC mode is not used)"))
                }
                return [.pass("amd-enabled", [:], ev)]
            case .notEnabled(let line):
                ev.append(Evidence(logSrc, line, expected: "AMD-Vi: Interrupt remapping enabled"))
                if let l = cmdOff { return [.skip("amd-cmdline-off", l.params, ev + l.evidence)] }
                if let bad = ir.disabledLines.first {
                    ev.append(Evidence(logSrc, bad))
                    return [.fail("amd-unavailable", [:], ev, fix: FixOffer(id: .unsafeInterrupts))]
                }
                return [.warn("amd-not-enabled", [:], ev)]
            case .unknown:
                if !m.tableKnown { break }
                if let l = cmdOff { return [.skip("amd-cmdline-off", l.params, ev + l.evidence)] }
                return [.skip("amd-undecided", [:], ev)]
            }
        }
        if !m.tableKnown {
            if m.logShowsNoTable {
                return [.skip("no-table-in-log", [:], [Evidence(logSrc, "from 'Linux version' on: no 'ACPI: DMAR/IVRS', DMAR or AMD-Vi line")])]
            }
            if s.absenceIsVerdict || fw.tablesDirProblem == nil { return [.skip("no-table", [:], ev)] }
            return [.error("tables-not-in-evidence", ["path": FirmwareFacts.tablesDir, "reason": "\(fw.tablesDirProblem!)"], ev)]
        }
        if let f = fw.dmarFlags {
            ev.append(Evidence(fw.dmar.path, "flags byte 37 = 0x\(hex(f, 2)): INTR_REMAP \(f & 1 != 0 ? "set" : "clear")", expected: "INTR_REMAP set"))
        }
        for u in ir.dmarUnits {
            let e = u.ecap.map { "ecap = \(hex($0)): bit 3 (IR) \($0 & 8 != 0 ? "set" : "clear")" } ?? "ecap unreadable"
            ev.append(Evidence(u.evidenceSource, e, expected: "bit 3 set"))
        }
        ev += m.notes + m.tableChecks
        var enabledLine: String?
        if case .enabled(let line, _) = m.decision { enabledLine = line }
        if let line = enabledLine {
            ev.append(Evidence(logSrc, line))
            ev += m.disagreements
        }
        if let l = m.platformLinks.first {
            if let line = enabledLine {
                // The kernel's own line is the verdict; the disagreement is in the evidence.
                return [.pass("kernel-line-outweighs", ["line": line, "link": l.code], ev)]
            }
            return [.fail(l.code, l.params, ev + m.platformLinks.flatMap(\.evidence), fix: FixOffer(id: .unsafeInterrupts))]
        }
        let names = ir.dmarUnits.map(\.name).joined(separator: ", ")
        if m.allUnitsIR == true {
            if let f = fw.dmarFlags, f & 1 != 0 { return [.pass("supported", ["units": names], ev)] }
            if fw.dmar.present {
                return [.pass("supported-flags-unreadable", ["units": names, "reason": fw.dmar.bytes.failureDescription], ev)]
            }
            if enabledLine != nil { return [.pass("supported-kernel-enabled", ["units": names], ev)] }
            if let k = m.links.first {
                return [.warn("units-ir-kernel-did-not", ["units": names, "link": MessageTemplate.render(IRModel.linkMessages[k.code] ?? k.code, k.params)], ev + k.evidence)]
            }
            return [.warn("units-ir-flag-unknown", ["units": names], ev)]
        }
        if enabledLine != nil { return [.pass("kernel-enabled-units-unknown", [:], ev)] }
        return [.error("ecap-not-in-evidence", [:], ev)]
    }
}
