extension Checks {
    static let sriovVFDriver = Check(CheckDescription(
        id: .sriovVFDriver,
        title: "A VF driver exists for the VF device",
        category: .sriov,
        severity: .info,
        rationale: """
            A VF has its own device id (e.g. 8086:10ed for 82599 VFs, driver ixgbevf). The guest needs that VF \
            driver; the host only needs vfio-pci to pass the VF through, or the VF driver to use it itself. The \
            host's modules.alias tells which module claims the VF's id.
            """,
        remediation: "Install the VF driver (ixgbevf, iavf, mlx5_core, bnxt_en…) in the guest image, and on the host if VFs are used there.",
        reads: ["sys/bus/pci/devices/*/sriov_vf_device", "lib/modules/<release>/modules.alias"],
        messages: perPFMessages([
            "vf-device-unknown": "cannot tell: the VF device id is unknown (no sriov_vf_device, capability unreadable)",
            "module": "VF {vf_id} is driven by {module}",
            "bound-driver": "VF {vf_id} is driven by {driver} (bound now)",
            "aliases-not-in-evidence": "not in this evidence: lib/modules/<release>/modules.alias (a sosreport does not collect it), and no VF is bound to a driver",
            "aliases-unavailable": "cannot tell: modules.alias is unavailable ({problem})",
            "no-module": "no module of this kernel claims VF {vf_id}: guests need their own VF driver; the host can still pass VFs through with vfio-pci",
        ]),
        examples: [
            .passes("ixgbevf claims 8086:10ed", .intelWithNIC, object: "0000:3b:00.0"),
            .warns("no module claims the VF id", .intelWithNIC.file("lib/modules/\(ExampleHost.release)/modules.alias", "alias pci:v00008086d000010FBsv*sd*bc*sc*i* ixgbe\n"),
                   object: "0000:3b:00.0"),
            .errors("modules.alias missing, no VF bound", .intelReady.withNIC(NICSpec()).removing("lib/modules/\(ExampleHost.release)/modules.alias"),
                    object: "0000:3b:00.0"),
            .passes("modules.alias missing, a VF bound to ixgbevf", .intelWithNIC.removing("lib/modules/\(ExampleHost.release)/modules.alias"),
                    object: "0000:3b:00.0"),
            .errors("non-root read: no sriov_vf_device, capability unreadable", .intelReady.withNIC(NICSpec().with { $0.configSize = 64 })
                .removing("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/sriov_vf_device"), object: "0000:3b:00.0"),
            .passes("real ConnectX-7: mlx5_core claims VF 15b3:101e (the PF's own driver)", .real(RealNICs.cx7, vfs: 2), object: "0000:b1:00.1"),
            .passes("real E810: iavf claims VF 8086:1889", .real(RealNICs.e810), object: "0000:e2:00.0"),
            .passes("sosreport: a VF bound to ixgbevf", .intelWithNIC.asSosreport(), object: "0000:3b:00.0"),
            .errors("sosreport: no VF bound, modules.alias not collected", .intelReady.withNIC(NICSpec()).asSosreport(), object: "0000:3b:00.0"),
        ] + perPFExamples)) { s in
        s.perPF { f in
            let vfDev = f.sriov?.vfDevice ?? f.sriovCapability?.vfDeviceID
            var ev = [Evidence("\(f.path)/sriov_vf_device", vfDev.map { hex($0, 4) } ?? "unknown")]
            let bound = Set(s.vfs(of: f).compactMap(\.driver))
            if !bound.isEmpty { ev.append(Evidence("VF drivers in use", bound.sorted().joined(separator: ", "))) }
            guard let dev = vfDev, let vendor = f.vendorID else {
                return .error("vf-device-unknown", [:], object: f.address, ev)
            }
            let vfID = "\(hex(vendor, 4)):\(hex(dev, 4))"
            if let m = s.vfDriverModule(f) {
                ev.append(Evidence("lib/modules/\(s.system.kernelRelease.value ?? "?")/modules.alias", "alias \(m.pattern) \(m.module)"))
                return .pass("module", ["vf_id": vfID, "module": m.module], object: f.address, ev)
            }
            if s.modules.pciAliases.isEmpty {
                if let d = bound.sorted().first(where: { !HostSnapshot.passthroughDrivers.contains($0) }) {
                    return .pass("bound-driver", ["vf_id": vfID, "driver": d], object: f.address, ev)
                }
                if s.sosreport != nil { return .error("aliases-not-in-evidence", [:], object: f.address, ev) }
                return .error("aliases-unavailable", ["problem": s.modules.moduleTreeProblem ?? "empty"], object: f.address, ev)
            }
            return .warn("no-module", ["vf_id": vfID], object: f.address, ev)
        }
    }
}
