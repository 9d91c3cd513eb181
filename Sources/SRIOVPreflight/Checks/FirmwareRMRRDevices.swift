import ACPITables

extension Checks {
    static let firmwareRMRRDevices = Check(CheckDescription(
        id: .firmwareRMRRDevices,
        title: "NICs pinned by firmware-reserved memory (RMRR)",
        category: .firmware,
        severity: .warning,
        rationale: """
            An RMRR (Reserved Memory Region Reporting) structure in the DMAR names devices the firmware keeps \
            doing DMA for (often management or boot NICs). Since Linux 3.17 such devices cannot be assigned to a \
            guest with vfio ("Device is ineligible for IOMMU domain attach due to platform RMRR requirement"), \
            and their VFs may share the problem on some platforms.
            """,
        remediation: "Choose another NIC for SR-IOV, or disable the firmware feature using it (e.g. shared LOM / iLO / iDRAC NIC sharing, PXE on that port).",
        reads: ["sys/firmware/acpi/tables/DMAR (RMRR device scopes)", "sys/bus/pci/devices/*/class", "sys/bus/pci/devices/*/secondary_bus_number",
                "proc/cpuinfo (CPU vendor)", "kernel log: DMAR lines"],
        messages: [
            "no-dmar": "no DMAR table: RMRRs are an Intel VT-d structure",
            "dmar-not-in-evidence": "not in this evidence: the DMAR table's RMRR device scopes (the kernel found a DMAR; its log prints RMRR ranges, not the devices)",
            "unreadable": "cannot read the DMAR: {reason}",
            "undecodable": "the DMAR does not decode: {reason}",
            "no-rmrr": "the DMAR has no RMRR",
            "pins-nics": "firmware-reserved memory (RMRR) pins NIC(s) {nics}: they cannot be assigned to guests on many kernels",
            "no-nic": "{count} RMRR(s), none names a NIC",
        ],
        examples: [
            .passes("no RMRR", .intelWithNIC),
            .passes("RMRR on a USB controller", .intelWithNIC.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(rmrrEndpoints: [(0, 0x14, 0)]))),
            .warns("RMRR names the SR-IOV NIC", .intelWithNIC.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(rmrrEndpoints: [(0x3b, 0, 0)]))),
            .skips("AMD", .amdReady),
            .errors("DMAR unreadable", .intelWithNIC.unreadable("sys/firmware/acpi/tables/DMAR")),
            .skips("kernel log only: the DMAR is not in the evidence", .fieldIntelReady),
            .errors("DMAR does not decode", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                              { var t = SyntheticTables.dmar(); t[50] = 0x40; t[9] &-= 0x30; return t }())),
        ])) { s in
        guard s.firmware.dmar.present else {
            let m = IRModel(s)
            if m.vendor != .amd && m.tableKnown {
                let ranges = s.ir.dmarLines.filter { $0.hasPrefix("DMAR: RMRR base") }.map { Evidence(s.kernelLog.sourceNote, $0) }
                return [.skip("dmar-not-in-evidence", [:], m.tableEvidence + ranges)]
            }
            return [.skip("no-dmar", [:])]
        }
        guard let decoded = s.firmware.dmarTable else { return [.error("unreadable", ["reason": s.firmware.dmar.bytes.failureDescription])] }
        guard case .success(let t) = decoded else {
            if case .failure(let e) = decoded { return [.error("undecodable", ["reason": "\(e)"])] }
            return []
        }
        let rmrrs = t.rmrrs
        if rmrrs.isEmpty { return [.pass("no-rmrr", [:], [Evidence(s.firmware.dmar.path, "0 RMRR structures")])] }
        var ev: [Evidence] = []
        var nics: [String] = []
        for r in rmrrs {
            for scope in r.deviceScopes {
                let ep = scope.endpointAddress { bus, dev, fn in
                    let addr = "0000:\(hex(bus, 2)):\(hex(dev, 2)).\(fn)"
                    return s.pci.function(addr)?.secondaryBus.map { UInt8(truncatingIfNeeded: $0) }
                }
                guard let e = ep else { continue }
                let addr = "\(hex(r.segment, 4)):\(hex(e.bus, 2)):\(hex(e.device, 2)).\(e.function)"
                let f = s.pci.function(addr)
                ev.append(Evidence(s.firmware.dmar.path, "RMRR 0x\(hex(r.baseAddress, 8))-0x\(hex(r.endAddress, 8)) → \(addr)\(f.map { $0.isNetwork ? " (NIC)" : "" } ?? " (not present)")"))
                if let f, f.isNetwork { nics.append(f.address) }
            }
        }
        if !nics.isEmpty {
            return [.warn("pins-nics", ["nics": nics.joined(separator: ", ")], ev)]
        }
        return [.pass("no-nic", ["count": "\(rmrrs.count)"], ev)]
    }
}
