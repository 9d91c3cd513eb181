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
        examples: [
            .passes("ixgbevf claims 8086:10ed", .intelWithNIC, object: "0000:3b:00.0"),
            .warns("no module claims the VF id", .intelWithNIC.file("lib/modules/\(ExampleHost.release)/modules.alias", "alias pci:v00008086d000010FBsv*sd*bc*sc*i* ixgbe\n"),
                   object: "0000:3b:00.0"),
            .errors("modules.alias missing, no VF bound", .intelReady.withNIC(NICSpec()).removing("lib/modules/\(ExampleHost.release)/modules.alias"),
                    object: "0000:3b:00.0"),
        ])) { s in
        s.perPF { f in
            let vfDev = f.sriov?.vfDevice ?? f.sriovCapability?.vfDeviceID
            var ev = [Evidence("\(f.path)/sriov_vf_device", vfDev.map { hex($0, 4) } ?? "unknown")]
            let bound = Set(s.vfs(of: f).compactMap(\.driver))
            if !bound.isEmpty { ev.append(Evidence("VF drivers in use", bound.sorted().joined(separator: ", "))) }
            guard let dev = vfDev, let vendor = f.vendorID else {
                return .error("cannot tell: the VF device id is unknown (no sriov_vf_device, capability unreadable)", object: f.address, ev)
            }
            if let m = s.vfDriverModule(f) {
                ev.append(Evidence("lib/modules/\(s.system.kernelRelease.value ?? "?")/modules.alias", "alias \(m.pattern) \(m.module)"))
                return .pass("VF \(hex(vendor, 4)):\(hex(dev, 4)) is driven by \(m.module)", object: f.address, ev)
            }
            if s.modules.pciAliases.isEmpty {
                if let d = bound.first(where: { !HostSnapshot.passthroughDrivers.contains($0) }) {
                    return .pass("VF \(hex(vendor, 4)):\(hex(dev, 4)) is driven by \(d) (bound now)", object: f.address, ev)
                }
                return .error("cannot tell: modules.alias is unavailable (\(s.modules.moduleTreeProblem ?? "empty"))", object: f.address, ev)
            }
            return .warn("no module of this kernel claims VF \(hex(vendor, 4)):\(hex(dev, 4)): guests need their own VF driver; the host can still pass VFs through with vfio-pci",
                         object: f.address, ev)
        }
    }
}
