import ACPITables

extension Checks {
    static let firmwareInterruptRemapping = Check(CheckDescription(
        id: .firmwareInterruptRemapping,
        title: "Firmware offers interrupt remapping (DMAR INTR_REMAP)",
        category: .firmware,
        severity: .error,
        rationale: """
            On Intel platforms the BIOS says in the DMAR header flags (byte 37) whether interrupt remapping may \
            be used: bit 0 INTR_REMAP. Bit 1, X2APIC_OPT_OUT, asks the OS not to use x2APIC mode, which limits \
            interrupt remapping to xAPIC mode on large machines. AMD's IVRS has no such flag: the kernel decides \
            from the IVRS devices at boot (see ir.supported).
            """,
        remediation: "Enable \"Interrupt Remapping\" in the BIOS (VT-d settings); disable \"x2APIC opt-out\" if the BIOS offers it.",
        reads: ["sys/firmware/acpi/tables/DMAR (flags)", "sys/firmware/acpi/tables/IVRS", "proc/cpuinfo (CPU vendor)",
                "kernel log: x2apic opt-out and DMAR-IR lines"],
        manualCheck: "od -An -tx1 -j37 -N1 /sys/firmware/acpi/tables/DMAR    # bit 0 INTR_REMAP, bit 1 X2APIC_OPT_OUT",
        messages: [
            "intr-remap-set": "DMAR INTR_REMAP set",
            "intr-remap-clear": "DMAR INTR_REMAP is clear: the firmware does not offer interrupt remapping",
            "x2apic-opt-out": "INTR_REMAP set, but X2APIC_OPT_OUT asks the OS to stay in xAPIC mode",
            "dmar-at-zero": IRModel.linkMessages["dmar-at-zero"]!,
            "dmar-rejected": IRModel.linkMessages["dmar-rejected"]!,
            "unreadable": "cannot read {path}: {reason}",
            "undecodable": "{path} does not decode: {reason}",
            "amd": "AMD: the IVRS has no interrupt-remapping flag; the kernel decides at boot (see ir.supported)",
            "set-per-kernel": "INTR_REMAP set: the kernel enabled interrupt remapping, which it does only when the flag is set (the DMAR table itself is not in this evidence)",
            "opt-out-per-kernel": "INTR_REMAP set (the kernel enabled interrupt remapping), but X2APIC_OPT_OUT asks the OS to stay in xAPIC mode; the DMAR table itself is not in this evidence",
            "table-not-in-evidence": "not in this evidence: the DMAR table (its flags byte); the kernel found one",
            "no-table": "no DMAR or IVRS table (see firmware.iommu-table)",
        ],
        examples: [
            .passes("INTR_REMAP set", .intelReady),
            .warns("INTR_REMAP and X2APIC_OPT_OUT set", .intelReady.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(flags: 0x03))),
            .fails("INTR_REMAP clear", .intelNoIRHardware),
            .skips("AMD", .amdReady),
            .passes("acpidump text at the root of a capture", .fieldIntelAcpidump),
            .fails("the kernel could not parse the DMAR", .intelReady.editing("var/log/dmesg") { $0 + "[    0.457900] DMAR: Parse DMAR table failure.\n" }),
            .errors("DMAR does not decode", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                              { var t = SyntheticTables.dmar(); t[50] = 0x40; t[9] &-= 0x30; return t }())),
            .passes("kernel log only: the kernel enabled IR, so INTR_REMAP was set", .fieldIntelReady),
            .warns("kernel log only: x2APIC opt-out", .fieldIntelOptOut),
            .skips("kernel log only: no enable line, no table", .fieldIntelParsedLate),
            .fails("a VT-d unit at address 0", .intelReady.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmarAtZero())),
            .skips("no IOMMU table", .intelBIOSOff),
            .errors("DMAR unreadable", .intelReady.unreadable("sys/firmware/acpi/tables/DMAR")),
        ])) { s in
        let fw = s.firmware
        if fw.dmar.present {
            guard let t = fw.dmarTable else {
                return [.error("unreadable", ["path": fw.dmar.path, "reason": fw.dmar.bytes.failureDescription])]
            }
            switch t {
            case .failure(let e):
                return [.error("undecodable", ["path": fw.dmar.path, "reason": "\(e)"])]
            case .success(let d):
                let ev = [Evidence(fw.dmar.path, "flags 0x\(hex(d.flags, 2)): \(d.flagNames.isEmpty ? "none" : d.flagNames.joined(separator: ", "))",
                                   expected: "INTR_REMAP")]
                if let zero = IRModel(s).links.first(where: { $0.code == "dmar-at-zero" || $0.code == "dmar-rejected" }) {
                    return [.fail(zero.code, zero.params, ev + zero.evidence)]
                }
                if !d.intrRemap { return [.fail("intr-remap-clear", [:], ev)] }
                if d.x2apicOptOut { return [.warn("x2apic-opt-out", [:], ev)] }
                return [.pass("intr-remap-set", [:], ev)]
            }
        }
        if fw.ivrs.present {
            var ev: [Evidence] = []
            if case .success(let t)? = fw.ivrsTable {
                ev.append(Evidence(fw.ivrs.path, "IVinfo 0x\(hex(t.ivInfo.raw, 8)), \(t.ivhdBlocks.count) IVHD block(s)"))
            }
            return [.skip("amd", [:], ev)]
        }
        let m = IRModel(s)
        if m.vendor == .amd, m.tableKnown { return [.skip("amd", [:], m.tableEvidence)] }
        if m.vendor != .amd, m.tableKnown {
            // No table here: what the kernel did tells the flag, when it enabled IR (it checks INTR_REMAP first).
            if case .enabled(let line, _) = m.decision {
                var ev = [Evidence(s.kernelLog.sourceNote, line)]
                if let opt = s.ir.x2apicOptOutLine {
                    ev.append(Evidence(s.kernelLog.sourceNote, opt))
                    return [.warn("opt-out-per-kernel", [:], ev)]
                }
                return [.pass("set-per-kernel", [:], ev)]
            }
            return [.skip("table-not-in-evidence", [:], m.tableEvidence)]
        }
        return [.skip("no-table", [:])]
    }
}
