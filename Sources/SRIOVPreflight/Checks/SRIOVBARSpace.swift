extension Checks {
    static let sriovBARSpace = Check(CheckDescription(
        id: .sriovBARSpace,
        title: "MMIO space for the VFs' BARs (IOV BARs)",
        category: .sriov,
        severity: .error,
        rationale: """
            Every VF needs its own MMIO window: the kernel reserves, per VF BAR, the BAR size × TotalVFs as an \
            "IOV BAR" (sysfs `resource` lines 7–12) when it enumerates the PF. When the firmware left too little \
            address space above the PF, the IOV BARs stay unassigned and enabling VFs fails ("not enough MMIO \
            resources for SR-IOV"). This is predicted before any VF is enabled from the IOV BARs' state.
            """,
        remediation: """
            Enable "Above 4G Decoding" (and "SR-IOV Support") in the BIOS; or boot with `pci=realloc` (add \
            `pci=realloc=on`) so the kernel reassigns bridge windows. Update the BIOS if neither helps.
            """,
        reads: ["sys/bus/pci/devices/*/resource (lines 7-12)", "sys/bus/pci/devices/*/config (VF BARs)", "kernel log"],
        manualCheck: "sed -n '8,13p' /sys/bus/pci/devices/0000:3b:00.0/resource   # start end flags; start 0 = unassigned",
        messages: perPFMessages([
            "kernel-log": "the kernel could not give the VFs MMIO space: enable Above 4G decoding in the BIOS or boot with pci=realloc",
            "resource-unreadable": "cannot tell: {resource} is unreadable",
            "no-iov-resource": "the PF has {vf_bars} VF BAR(s) but no IOV resource was reserved: enable Above 4G decoding or boot with pci=realloc",
            "no-iov-lines": "cannot tell: the resource file has no IOV BAR lines (7-12)",
            "unassigned": "{unassigned} IOV BAR(s) unassigned: enabling VFs will fail (not enough MMIO space); enable Above 4G decoding or boot with pci=realloc",
            "assigned": "{assigned} IOV BAR(s) assigned ({bytes} for {total_vfs} VFs)",
            "assigned-per-capability": "{assigned} VF BAR(s) at their addresses in the SR-IOV capability ({bars}); their sizes are not in this evidence (sys/bus/pci/devices/*/resource)",
            "unassigned-per-capability": "{unassigned} VF BAR(s) at address 0 in the SR-IOV capability: the kernel did not assign them (not enough MMIO space); enable Above 4G decoding or boot with pci=realloc",
            "capability-not-in-evidence": "not in this evidence: the IOV resources (sys/bus/pci/devices/*/resource) and the VF BARs of the SR-IOV capability",
        ]),
        examples: [
            .passes("IOV BAR assigned", .intelWithNIC, object: "0000:3b:00.0"),
            .fails("IOV BAR unassigned", .intelReady.withNIC(NICSpec().with { $0.iovBARsAssigned = false }), object: "0000:3b:00.0"),
            .fails("kernel log: not enough MMIO resources", .intelWithNIC.editing("var/log/dmesg") {
                $0 + "[    1.200000] pci 0000:3b:00.0: not enough MMIO resources for SR-IOV\n" }, object: "0000:3b:00.0"),
            .fails("VF BARs in the capability, no IOV resource reserved", .intelWithNIC.file(
                "sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/resource",
                String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 13)), object: "0000:3b:00.0"),
            .errors("no resource file", .intelWithNIC.removing("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/resource"), object: "0000:3b:00.0"),
            .errors("resource file without IOV BAR lines", .intelWithNIC.file(
                "sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/resource",
                String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 7)), object: "0000:3b:00.0"),
            .fails("real E810 as its lspci text shows it: both IOV BARs at 0 (not assigned)", .real(RealNICs.e810), object: "0000:e2:00.0"),
            .passes("real X550 (ixgbe): IOV BARs 0 and 3 assigned", .real(RealNICs.x550, vfs: 2), object: "0000:01:00.0"),
            .passes("sosreport: VF BAR addresses in lspci's SR-IOV lines", .intelWithNIC.asSosreport(), object: "0000:3b:00.0"),
            .fails("sosreport: real E810 whose VF BARs read 0", .real(RealNICs.e810).asSosreport(), object: "0000:e2:00.0"),
            .errors("sosreport: lspci's SR-IOV lines without the VF BARs", .intelWithNIC.asSosreport()
                .editing("sos_commands/pci/lspci_-nnvv") { $0.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\t\tRegion ") }.joined(separator: "\n") },
                    object: "0000:3b:00.0"),
        ] + perPFExamples)) { s in
        s.perPF { f in
            var ev: [Evidence] = []
            let logLines = s.kernelLog.lines.filter { $0.contains(f.address) && ($0.contains("not enough MMIO resources for SR-IOV")
                || ($0.contains("can't assign") && $0.contains("IOV")) || ($0.contains("failed to assign") && $0.contains("iov"))) }
            for l in logLines.prefix(3) { ev.append(Evidence(s.kernelLog.source, l)) }
            let iov = f.iovResources
            let total = max(f.totalVFs, 1)
            for r in iov where r.size > 0 {
                ev.append(Evidence("\(f.path)/resource line \(r.index + 1)",
                                   "IOV BAR\(r.index - 7): \(r.assigned && !r.unset ? "0x\(hex(r.start, 8))-0x\(hex(r.end, 8))" : "unassigned"), \(bytesText(r.size)) = \(bytesText(r.size / UInt64(total))) × \(total) VFs"))
            }
            if !logLines.isEmpty {
                return .fail("kernel-log", [:], object: f.address, ev)
            }
            if f.resources.isEmpty && f.fromText {
                // a report's text: the VF BAR registers show whether the kernel placed them, not their sizes
                let bars = f.sriovCapability?.vfBARs ?? []
                ev += bars.map { Evidence("\(f.configSource ?? f.path)", "VF BAR\($0.index): 0x\(hex($0.baseAddress, 8))") }
                if bars.isEmpty { return .error("capability-not-in-evidence", [:], object: f.address, ev) }
                let zero = bars.filter { $0.baseAddress == 0 }
                if !zero.isEmpty { return .fail("unassigned-per-capability", ["unassigned": String(zero.count)], object: f.address, ev) }
                return .pass("assigned-per-capability", ["assigned": String(bars.count),
                                                         "bars": bars.map { "BAR\($0.index) 0x\(hex($0.baseAddress, 8))" }.joined(separator: ", ")],
                             object: f.address, ev)
            }
            if f.resources.isEmpty {
                return .error("resource-unreadable", ["resource": "\(f.path)/resource"], object: f.address, ev)
            }
            let wanted = iov.filter { $0.size > 0 }
            if wanted.isEmpty {
                if let bars = f.sriovCapability?.vfBARs, !bars.isEmpty, f.resources.count >= 13 {
                    return .fail("no-iov-resource", ["vf_bars": String(bars.count)], object: f.address, ev)
                }
                return .error("no-iov-lines", [:], object: f.address, ev)
            }
            let missing = wanted.filter { !$0.assigned || $0.unset || $0.start == 0 }
            if !missing.isEmpty {
                return .fail("unassigned", ["unassigned": String(missing.count)], object: f.address, ev)
            }
            let bytes = wanted.reduce(UInt64(0)) { let (s, o) = $0.addingReportingOverflow($1.size); return o ? .max : s }
            return .pass("assigned", ["assigned": String(wanted.count), "bytes": bytesText(bytes), "total_vfs": String(f.totalVFs)],
                         object: f.address, ev)
        }
    }
}

func bytesText(_ n: UInt64) -> String {
    if n >= 1 << 30 && n % (1 << 30) == 0 { return "\(n >> 30) GiB" }
    if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return "\(n) B"
}
