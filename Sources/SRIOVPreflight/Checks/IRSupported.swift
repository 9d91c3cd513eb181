extension Checks {
    static let irSupported = Check(CheckDescription(
        id: "ir.supported",
        title: "Interrupt remapping supported by the platform",
        category: "ir",
        severity: .error,
        rationale: """
            Interrupt remapping (IR) lets the IOMMU check every interrupt a device sends, so a VF given to a \
            guest cannot inject interrupts into the host. vfio refuses to assign devices without it unless \
            isolation is knowingly weakened (allow_unsafe_interrupts). On Intel, the kernel uses IR only when \
            the DMAR table's INTR_REMAP flag (header byte 37, bit 0) is set AND every remapping unit (DRHD) \
            reports IR in its extended capability register (ECAP bit 3). On AMD the kernel decides from the \
            IVRS at boot and says so in its log.
            """,
        remediation: """
            Enable "Interrupt Remapping" (often under VT-d / North Bridge / IIO settings) in the BIOS and update \
            the BIOS if a unit still lacks it. If the hardware cannot remap interrupts, vfio needs \
            allow_unsafe_interrupts (`sriov-preflight fix unsafe-interrupts`), which gives up interrupt isolation.
            """,
        reads: ["sys/firmware/acpi/tables/DMAR (byte 37)", "sys/class/iommu/dmar*/intel-iommu/ecap",
                "kernel log: DMAR: dmarN: reg_base_addr … ecap …", "kernel log: AMD-Vi lines"],
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
        examples: [
            .passes("one unit with IR", .intelReady),
            .passes("two units with IR", .intelReady.file("sys/class/iommu/dmar1/intel-iommu/ecap", "f050da\n")),
            .fails("one of two units without IR", .intelReady.file("sys/class/iommu/dmar1/intel-iommu/ecap", "f050d2\n")),
            .fails("DMAR flag clear but ecap set", .intelReady.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(flags: 0))),
            .fails("hardware without IR", .intelNoIRHardware),
            .passes("no sysfs, kernel log only", .intelReady.removing("sys/class/iommu/dmar0/intel-iommu")),
            .fails("no sysfs, kernel log says no IR", .intelReady.removing("sys/class/iommu/dmar0/intel-iommu")
                .editing("var/log/dmesg") { $0.replacingOccurrences(of: "ecap f050da", with: "ecap f050d2") }),
            .passes("AMD with IR enabled", .amdReady),
            .skips("no IOMMU in firmware", .intelBIOSOff),
            .errors("Intel units unknown", .intelReady.removing("sys/class/iommu/dmar0").file("var/log/dmesg", "\n")),
        ])) { s in
        let fw = s.firmware
        let ir = s.ir
        if fw.dmar.present {
            var ev: [Evidence] = []
            let flag = fw.dmarFlags
            if let f = flag {
                ev.append(Evidence(fw.dmar.path, "flags byte 37 = 0x\(hex(f, 2)): INTR_REMAP \(f & 1 != 0 ? "set" : "clear")",
                                   expected: "INTR_REMAP set"))
            }
            for u in ir.dmarUnits {
                let e = u.ecap.map { "ecap = \(hex($0)): bit 3 (IR) \($0 & 8 != 0 ? "set" : "clear")" } ?? "ecap unreadable"
                ev.append(Evidence(u.source.hasPrefix("sys/") ? u.source : "\(u.name) (\(u.source))", e, expected: "bit 3 set"))
            }
            let lacking = ir.dmarUnitsLackingIR.map(\.name)
            if flag.map({ $0 & 1 == 0 }) == true {
                return [.fail("DMAR INTR_REMAP flag clear: the firmware does not offer interrupt remapping", ev,
                              fix: FixOffer(id: "unsafe-interrupts"))]
            }
            if !lacking.isEmpty {
                return [.fail("\(lacking.joined(separator: ", ")) \(lacking.count == 1 ? "lacks" : "lack") interrupt remapping (ECAP bit 3 clear): the kernel needs it on every unit", ev,
                              fix: FixOffer(id: "unsafe-interrupts"))]
            }
            let known = ir.dmarUnits.filter { $0.ecap != nil }
            if known.isEmpty {
                if let line = ir.enabledLine {
                    ev.append(Evidence(s.kernelLog.source, line))
                    return [.pass("the kernel enabled interrupt remapping (unit registers not visible)", ev)]
                }
                return [.error("cannot tell: no DMAR unit's ECAP is visible (no sys/class/iommu/dmar*/intel-iommu, no 'DMAR: dmarN: … ecap' log line\(s.kernelLog.isAvailable ? "" : "; kernel log: \(s.kernelLog.unavailable!)"))", ev)]
            }
            if flag == nil {
                return [.pass("every unit (\(known.map(\.name).joined(separator: ", "))) has IR; DMAR flags unreadable (\(fw.dmar.bytes.failureDescription))", ev)]
            }
            return [.pass("INTR_REMAP set and every unit (\(known.map(\.name).joined(separator: ", "))) has IR", ev)]
        }
        if fw.ivrs.present {
            var ev = ir.amdUnits.map { Evidence("\(IOMMUFacts.classDir)/\($0.name)/amd-iommu", "cap=\($0.cap ?? "?") features=\($0.features ?? "?")") }
            if let line = ir.enabledLine {
                ev.append(Evidence(s.kernelLog.source, line))
                return [.pass("AMD-Vi interrupt remapping works (the kernel enabled it)", ev)]
            }
            if let bad = ir.disabledLines.first {
                ev.append(Evidence(s.kernelLog.source, bad))
                return [.fail("the kernel reports AMD-Vi interrupt remapping unavailable", ev, fix: FixOffer(id: "unsafe-interrupts"))]
            }
            if s.system.cmdline.value.map({ $0.options("intremap").contains("off") || $0.has("nointremap") }) == true {
                return [.skip("AMD: support is decided by the kernel at boot, and intremap=off kept it from trying", ev)]
            }
            return [.skip("AMD: the kernel log does not say whether interrupt remapping is supported\(s.kernelLog.isAvailable ? "" : " (\(s.kernelLog.unavailable!))")", ev)]
        }
        return [.skip("no DMAR or IVRS table: no IOMMU, so no interrupt remapping")]
    }
}
