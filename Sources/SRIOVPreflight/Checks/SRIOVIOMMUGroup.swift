extension Checks {
    static let sriovIOMMUGroup = Check(CheckDescription(
        id: .sriovIOMMUGroup,
        title: "PF and VFs in isolated IOMMU groups",
        category: .sriov,
        severity: .error,
        rationale: """
            vfio assigns whole IOMMU groups: a VF can go to a guest only if every other device in its group is \
            unbound or also given to vfio. Devices share a group when the path above them lacks PCIe Access \
            Control Services (ACS) isolation. `pcie_acs_override` fakes ACS and breaks the isolation guarantee.
            """,
        remediation: """
            Use a slot below a root port with ACS, enable ACS in the BIOS, or update the BIOS; do not rely on \
            pcie_acs_override in production.
            """,
        reads: ["sys/kernel/iommu_groups/*/devices", "sys/bus/pci/devices/*/iommu_group", "sys/bus/pci/devices/*/config (ACS)", "proc/cmdline"],
        messages: perPFMessages([
            "iommu-inactive": "no IOMMU group: the IOMMU is not active (see kernel.iommu-enabled)",
            "groups-not-in-evidence": "not in this evidence: the IOMMU groups (sys/kernel/iommu_groups; lspci -vv prints 'IOMMU group:' lines when the kernel has them)",
            "pf-without-group": "the IOMMU is active but the PF is in no IOMMU group: vfio cannot take it or its VFs",
            "vf-without-group": "VFs without an IOMMU group: {vfs}",
            "vf-shares-group": "VFs share IOMMU groups with devices bound to host drivers (VFs: {vfs}; groups: {groups}; host devices: {devices})",
            "acs-override": "pcie_acs_override={value} fakes ACS: groups look isolated but are not",
            "pf-shares-group": "the PF shares IOMMU group {group} with {devices}: its VFs may not be isolated",
            "pf-shares-group-no-acs": "the PF shares IOMMU group {group} with {devices} (no ACS on {bridges}): its VFs may not be isolated",
            "isolated": "PF in its own group {group}; every VF isolated",
            "pf-isolated": "PF in its own group {group}",
        ]),
        examples: [
            .passes("PF and VFs each in their own group", .intelWithNIC, object: "0000:3b:00.0"),
            .passes("PF in its own group, no VFs", .intelReady.withNIC(NICSpec()), object: "0000:3b:00.0"),
            .fails("VF shares its group with a host device", .intelWithNIC.movingE1000eToGroup140,
                   object: "0000:3b:00.0"),
            .fails("VF shares its group, pcie_acs_override on the command line", .intelWithNIC.movingE1000eToGroup140
                .editing("proc/cmdline") { $0.trimmingWhitespace() + " pcie_acs_override=downstream\n" },
                   object: "0000:3b:00.0"),
            .fails("a VF without an IOMMU group", .intelWithNIC.removing("sys/devices/pci0000:00/0000:00:03.0/0000:3b:10.0/iommu_group"),
                   object: "0000:3b:00.0"),
            .fails("IOMMU active, the PF in no group", .intelWithNIC.removing("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/iommu_group"),
                   object: "0000:3b:00.0"),
            .warns("PF shares its group, no VFs yet, no ACS upstream", .intelReady
                .withNIC(NICSpec().with { $0.bridgeACS = false })
                .withNIC(NICSpec().with { $0.address = "0000:3b:00.1"; $0.netdev = "ens1f1"; $0.totalVFs = nil; $0.mac = "3c:fd:fe:a5:10:01" }),
                   object: "0000:3b:00.0"),
            .warns("PF shares its group with the NIC's other port", .intelReady
                .withNIC(NICSpec())
                .withNIC(NICSpec().with { $0.address = "0000:3b:00.1"; $0.netdev = "ens1f1"; $0.totalVFs = nil; $0.mac = "3c:fd:fe:a5:10:01" }),
                   object: "0000:3b:00.0"),
            .warns("pcie_acs_override on the command line", .intelWithNIC.editing("proc/cmdline") { $0.trimmingWhitespace() + " pcie_acs_override=downstream\n" },
                   object: "0000:3b:00.0"),
            .passes("sosreport: groups from lspci's 'IOMMU group:' lines", .intelWithNIC.asSosreport(), object: "0000:3b:00.0"),
            .skips("sosreport whose lspci text has no IOMMU group lines", .intelWithNIC.asSosreport()
                .editing("sos_commands/pci/lspci_-nnvv") { $0.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("IOMMU group:") }.joined(separator: "\n") },
                   object: "0000:3b:00.0"),
            .skips("no IOMMU", .intelBIOSOff.withNIC(NICSpec().with { $0.iommuGroup = nil }), object: "0000:3b:00.0"),
        ] + perPFExamples)) { s in
        s.perPF { f in
            guard s.iommu.grouping else {
                if !s.iommu.sysfsCaptured && !IRModel(s).logShowsNoTable {
                    return .skip("groups-not-in-evidence", [:], object: f.address)
                }
                return .skip("iommu-inactive", [:], object: f.address, [Evidence("\(f.path)/iommu_group", f.iommuGroup ?? "(none)")])
            }
            guard let group = f.iommuGroup else {
                return .fail("pf-without-group", [:], object: f.address, [Evidence("\(f.path)/iommu_group", "(none)", expected: "a link to the PF's IOMMU group")])
            }
            let groups = s.iommu.groupMap
            let vfAddrs = Set(f.virtfns)
            var ev: [Evidence] = [Evidence(IOMMUFacts.groupsDir + "/\(group)", (groups[group] ?? []).joined(separator: " "))]
            // A device is a problem in a group when it is bound to a host driver and is not the PF/VF itself.
            func intruders(_ g: String, except: String) -> [PCIFunction] {
                (groups[g] ?? []).filter { $0 != except }.compactMap { s.pci.function($0) }.filter { d in
                    !d.isBridge && !(d.driver.map(HostSnapshot.passthroughDrivers.contains) ?? true)
                }
            }
            var withoutGroup: [String] = []
            var sharing: [(vf: String, group: String, others: [PCIFunction])] = []
            for vf in s.vfs(of: f) {
                guard let g = vf.iommuGroup else {
                    withoutGroup.append(vf.address)
                    ev.append(Evidence("\(vf.path)/iommu_group", "(none)", expected: "a link to the VF's IOMMU group"))
                    continue
                }
                let others = intruders(g, except: vf.address)
                if !others.isEmpty {
                    ev.append(Evidence(IOMMUFacts.groupsDir + "/\(g)", (groups[g] ?? []).joined(separator: " ")))
                    sharing.append((vf.address, g, others))
                }
            }
            let acsMissing = s.upstreamBridges(f).filter { $0.caps != nil && $0.caps?.acs == nil }.map(\.address)
            if !acsMissing.isEmpty { ev.append(Evidence("ACS", "no ACS capability on \(acsMissing.joined(separator: ", ")) above the PF")) }
            let override = s.system.cmdline.value?.value("pcie_acs_override")
            if let o = override { ev.append(Evidence("proc/cmdline", "pcie_acs_override=\(o)")) }
            if !sharing.isEmpty {
                var devices: [String] = []
                for d in sharing.flatMap(\.others).map(\.label) where !devices.contains(d) { devices.append(d) }
                return .fail("vf-shares-group", ["vfs": sharing.map(\.vf).joined(separator: ", "),
                                                 "groups": Array(Set(sharing.map(\.group))).sorted().joined(separator: ", "),
                                                 "devices": devices.joined(separator: ", ")], object: f.address, ev)
            }
            if !withoutGroup.isEmpty {
                return .fail("vf-without-group", ["vfs": withoutGroup.joined(separator: ", ")], object: f.address, ev)
            }
            if let o = override {
                return .warn("acs-override", ["value": o], object: f.address, ev)
            }
            let pfShare = (groups[group] ?? []).filter { $0 != f.address && !vfAddrs.contains($0) }
                .compactMap { s.pci.function($0) }.filter { !$0.isBridge }
            if !pfShare.isEmpty {
                let devices = pfShare.map(\.label).joined(separator: ", ")
                if acsMissing.isEmpty { return .warn("pf-shares-group", ["group": group, "devices": devices], object: f.address, ev) }
                return .warn("pf-shares-group-no-acs", ["group": group, "devices": devices, "bridges": acsMissing.joined(separator: ", ")],
                             object: f.address, ev)
            }
            return .pass(vfAddrs.isEmpty ? "pf-isolated" : "isolated", ["group": group], object: f.address, ev)
        }
    }
}

extension ExampleHost {
    /// The host NIC 0000:02:00.0 (e1000e) in the group of the first VF (140), as the kernel shows it: its
    /// `iommu_group` link and the group's `devices/` agree.
    var movingE1000eToGroup140: ExampleHost {
        let dir = "sys/devices/pci0000:00/0000:00:02.0/0000:02:00.0"
        return removing("sys/kernel/iommu_groups/12/devices/0000:02:00.0")
            .link("\(dir)/iommu_group", "../../../../kernel/iommu_groups/140")
            .link("sys/kernel/iommu_groups/140/devices/0000:02:00.0", "../../../../devices/pci0000:00/0000:00:02.0/0000:02:00.0")
    }
}
