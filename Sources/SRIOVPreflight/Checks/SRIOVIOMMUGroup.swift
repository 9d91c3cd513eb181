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
        examples: [
            .passes("PF and VFs each in their own group", .intelWithNIC, object: "0000:3b:00.0"),
            .fails("VF shares its group with a host device", .intelWithNIC
                .link("sys/kernel/iommu_groups/140/devices/0000:02:00.0", "../../../../devices/pci0000:00/0000:00:02.0/0000:02:00.0"),
                   object: "0000:3b:00.0"),
            .warns("PF shares its group, no VFs yet, no ACS upstream", .intelReady
                .withNIC(NICSpec().with { $0.bridgeACS = false })
                .withNIC(NICSpec().with { $0.address = "0000:3b:00.1"; $0.netdev = "ens1f1"; $0.totalVFs = nil; $0.mac = "3c:fd:fe:a5:10:01" }),
                   object: "0000:3b:00.0"),
            .warns("pcie_acs_override on the command line", .intelWithNIC.editing("proc/cmdline") { $0.trimmingWhitespace() + " pcie_acs_override=downstream\n" },
                   object: "0000:3b:00.0"),
            .skips("no IOMMU", .intelBIOSOff.withNIC(NICSpec().with { $0.iommuGroup = nil }), object: "0000:3b:00.0"),
        ])) { s in
        s.perPF { f in
            guard s.iommu.active, let group = f.iommuGroup else {
                return .skip("no IOMMU group: the IOMMU is not active (see kernel.iommu-enabled)", object: f.address,
                             [Evidence("\(f.path)/iommu_group", f.iommuGroup ?? "(none)")])
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
            var problems: [String] = []
            for vf in s.vfs(of: f) {
                guard let g = vf.iommuGroup else { problems.append("\(vf.address) has no IOMMU group"); continue }
                let others = intruders(g, except: vf.address)
                if !others.isEmpty {
                    ev.append(Evidence(IOMMUFacts.groupsDir + "/\(g)", (groups[g] ?? []).joined(separator: " ")))
                    problems.append("VF \(vf.address) shares group \(g) with \(others.map(\.label).joined(separator: ", "))")
                }
            }
            let acsMissing = s.upstreamBridges(f).filter { $0.caps != nil && $0.caps?.acs == nil }.map(\.address)
            if !acsMissing.isEmpty { ev.append(Evidence("ACS", "no ACS capability on \(acsMissing.joined(separator: ", ")) above the PF")) }
            if let o = s.system.cmdline.value?.value("pcie_acs_override") {
                ev.append(Evidence("proc/cmdline", "pcie_acs_override=\(o)"))
                return .warn("pcie_acs_override=\(o) fakes ACS: groups look isolated but are not\(problems.isEmpty ? "" : "; " + problems.joined(separator: "; "))",
                             object: f.address, ev)
            }
            if !problems.isEmpty {
                return .fail(problems.joined(separator: "; ") + (acsMissing.isEmpty ? "" : " (no ACS above the PF)"), object: f.address, ev)
            }
            let pfShare = (groups[group] ?? []).filter { $0 != f.address && !vfAddrs.contains($0) }
                .compactMap { s.pci.function($0) }.filter { !$0.isBridge }
            if !pfShare.isEmpty {
                let why = acsMissing.isEmpty ? "" : " (no ACS on \(acsMissing.joined(separator: ", ")))"
                return .warn("the PF shares IOMMU group \(group) with \(pfShare.map(\.label).joined(separator: ", "))\(why): its VFs may not be isolated",
                             object: f.address, ev)
            }
            return .pass("PF in its own group \(group)\(vfAddrs.isEmpty ? "" : "; every VF isolated")", object: f.address, ev)
        }
    }
}
