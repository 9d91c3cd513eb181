import PCIAccess

extension Checks {
    static let sriovARI = Check(CheckDescription(
        id: .sriovARI,
        title: "ARI forwarding for VFs beyond function 7",
        category: .sriov,
        severity: .warning,
        rationale: """
            VFs get routing ids PF + First VF Offset + i × VF Stride. Behind a PCIe downstream or root port, \
            only device 0 is reachable on the secondary bus unless the port forwards Alternative Routing-ID \
            Interpretation (ARI) requests: VFs whose routing id falls outside functions 0–7 of device 0 then need \
            ARI forwarding on the port above the PF (DevCap2/DevCtl2 bit 5) and the PF's "ARI Capable Hierarchy".
            """,
        remediation: "Enable ARI (\"ARI Support\") in the BIOS, or move the NIC to a slot whose root port supports ARI forwarding.",
        reads: ["sys/bus/pci/devices/*/config (SR-IOV offset/stride, PCIe DevCap2/DevCtl2 of the bridges above)"],
        messages: perPFMessages([
            "capability-unreadable": "cannot tell: the SR-IOV capability is not readable",
            "capability-needs-root": "cannot tell: the SR-IOV capability is not readable (config space needs root)",
            "not-an-address": "cannot tell: {address} in {path} is not a PCI address",
            "fit-without-ari": "all VFs fit without ARI (TotalVFs {total_vfs})",
            "root-bus": "the PF sits on a root bus: no port between it and the root complex needs ARI forwarding",
            "port-unlisted": "cannot tell: the port above the PF, {port}, is not in the PCI device list",
            "port-unreadable": "cannot tell: the PCIe capability of {port} above the PF is not readable",
            "port-needs-root": "cannot tell: the PCIe capability of {port} above the PF is not readable (needs root)",
            "port-forwards": "VFs beyond function 7 are reachable: {port} forwards ARI",
            "port-no-ari": "the VFs need ARI (TotalVFs {total_vfs}), but {port} above the PF does not forward ARI: VFs beyond function 7 will be unreachable",
        ]),
        examples: [
            .passes("root port forwards ARI", .intelWithNIC, object: "0000:3b:00.0"),
            .warns("root port without ARI forwarding", .intelReady.withNIC(NICSpec().with { $0.bridgeARIForwarding = false }), object: "0000:3b:00.0"),
            .passes("VFs fit in functions 1-7", .intelReady.withNIC(NICSpec().with { $0.bridgeARIForwarding = false; $0.totalVFs = 7; $0.vfOffset = 1; $0.vfStride = 1 }),
                    object: "0000:3b:00.0"),
            .passes("PF on the root bus", .intelReady.withNIC(NICSpec().with { $0.address = "0000:00:05.0"; $0.bridge = ""; $0.totalVFs = 16; $0.vfOffset = 8; $0.vfStride = 1 }),
                    object: "0000:00:05.0"),
            .errors("config unreadable (non-root)", .intelReady.withNIC(NICSpec().with { $0.configSize = 64 }), object: "0000:3b:00.0"),
            .errors("config unreadable (I/O error)", .intelReady.withNIC(NICSpec())
                .unreadable("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/config", .io("input/output error")), object: "0000:3b:00.0"),
            .errors("root port's config unreadable (non-root)", .intelReady.withNIC(NICSpec().with { $0.bridgeARIForwarding = false })
                .bytes("sys/devices/pci0000:00/0000:00:03.0/config", Array(SyntheticConfig.rootPort(secondaryBus: 0x3B, ariForwarding: false, acs: nil).prefix(64))),
                    object: "0000:3b:00.0"),
            .errors("root port's config unreadable (I/O error)", .intelReady.withNIC(NICSpec())
                .unreadable("sys/devices/pci0000:00/0000:00:03.0/config", .io("input/output error")), object: "0000:3b:00.0"),
            .errors("oddly named entry in the device list", .intelWithNIC.link("sys/bus/pci/devices/odd", "../../../devices/pci0000:00/0000:00:03.0/0000:3b:00.0"),
                    object: "odd"),
            .errors("root port not in the device list", .intelReady.withNIC(NICSpec()).removing("sys/bus/pci/devices/0000:00:03.0"),
                    object: "0000:3b:00.0"),
        ] + perPFExamples)) { s in
        s.perPF { f in
            guard let cap = f.sriovCapability else {
                return .error(f.configNeedsRoot ? "capability-needs-root" : "capability-unreadable", [:], object: f.address)
            }
            guard let address = PCIAddress(f.address) else {
                return .error("not-an-address", ["address": f.address, "path": PCIFacts.devicesDir], object: f.address)
            }
            let bus = Int(address.bus)
            let pfRID = bus << 8 | Int(address.device) << 3 | Int(address.function)
            let total = max(Int(cap.totalVFs), f.totalVFs)
            let last = pfRID + Int(cap.firstVFOffset) + max(total - 1, 0) * Int(cap.vfStride)
            let lastDevfn = last & 0xFF
            let needsARI = (last >> 8) == bus && lastDevfn > 7 || (pfRID & 0xF8) != 0 && (last >> 8) == bus
            var ev = [Evidence("\(f.path)/config", "First VF Offset \(cap.firstVFOffset), VF Stride \(cap.vfStride), TotalVFs \(total): last VF at devfn \(hex(lastDevfn >> 3, 2)).\(lastDevfn & 7) on bus \(hex(last >> 8, 2))"),
                      Evidence("\(f.path)/config", "SR-IOV ARI Capable Hierarchy \(cap.ariCapableHierarchy ? "set" : "clear")")]
            guard needsARI else {
                return .pass("fit-without-ari", ["total_vfs": String(total)], object: f.address, ev)
            }
            guard let port = s.upstreamBridges(f).first else {
                if let p = f.parent { return .error("port-unlisted", ["port": p], object: f.address, ev) }
                return .pass("root-bus", [:], object: f.address, ev)
            }
            guard let pcie = port.caps?.pcie else {
                return .error(port.configNeedsRoot ? "port-needs-root" : "port-unreadable", ["port": port.address], object: f.address, ev)
            }
            ev.append(Evidence("\(port.path)/config", "ARI forwarding supported \(pcie.ariForwardingSupported ? "+" : "-"), enabled \(pcie.ariForwardingEnabled ? "+" : "-")"))
            if pcie.ariForwardingEnabled || (pcie.ariForwardingSupported && cap.ariCapableHierarchy) {
                return .pass("port-forwards", ["port": port.address], object: f.address, ev)
            }
            return .warn("port-no-ari", ["total_vfs": String(total), "port": port.address], object: f.address, ev)
        }
    }
}
