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
        reads: ["sys/firmware/acpi/tables/DMAR (RMRR device scopes)", "sys/bus/pci/devices/*/class", "sys/bus/pci/devices/*/secondary_bus_number"],
        examples: [
            .passes("no RMRR", .intelWithNIC),
            .passes("RMRR on a USB controller", .intelWithNIC.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(rmrrEndpoints: [(0, 0x14, 0)]))),
            .warns("RMRR names the SR-IOV NIC", .intelWithNIC.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(rmrrEndpoints: [(0x3b, 0, 0)]))),
            .skips("AMD", .amdReady),
            .errors("DMAR does not decode", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                              { var t = SyntheticTables.dmar(); t[50] = 0x40; t[9] &-= 0x30; return t }())),
        ])) { s in
        guard s.firmware.dmar.present else { return [.skip("no DMAR table: RMRRs are an Intel VT-d structure")] }
        guard let decoded = s.firmware.dmarTable else { return [.error("cannot read the DMAR: \(s.firmware.dmar.bytes.failureDescription)")] }
        guard case .success(let t) = decoded else {
            if case .failure(let e) = decoded { return [.error("the DMAR does not decode: \(e)")] }
            return []
        }
        let rmrrs = t.rmrrs
        if rmrrs.isEmpty { return [.pass("the DMAR has no RMRR", [Evidence(s.firmware.dmar.path, "0 RMRR structures")])] }
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
            return [.warn("firmware-reserved memory (RMRR) pins NIC(s) \(nics.joined(separator: ", ")): they cannot be assigned to guests on many kernels", ev)]
        }
        return [.pass("\(rmrrs.count) RMRR(s), none names a NIC", ev)]
    }
}
