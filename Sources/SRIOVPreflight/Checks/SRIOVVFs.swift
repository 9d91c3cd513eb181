import PCIAccess

extension Checks {
    static let sriovVFs = Check(CheckDescription(
        id: .sriovVFs,
        title: "VFs enabled, enumerated and free",
        category: .sriov,
        severity: .warning,
        rationale: """
            `sriov_numvfs` VFs out of `sriov_totalvfs` are enabled; each must be enumerated as a PCI function \
            (a `virtfnN` link) to be usable. VFs bound to vfio-pci, or held by a running guest, are in use; the \
            others are free (the console's "VF available / total"). When none is free, no new guest can get one. \
            Each VF in use is named with the guest holding it where the evidence has it: libvirt's live domain \
            status (`run/libvirt/qemu/NAME.xml`, `<hostdev>` and `<interface type='hostdev'>` source addresses) \
            or a QEMU command line (`proc/PID/cmdline`, `-device vfio-pci,host=…`). Restoring SR-IOV \
            (sriov_numvfs back to 0, which any change of the count goes through) or unloading the PF driver tears \
            these VFs out of the running guests.
            """,
        remediation: "Enable VFs with `sriov-preflight fix sriov-vfs --vfs PF=N` (N ≤ TotalVFs; the count is persisted with a udev rule).",
        reads: ["sys/bus/pci/devices/*/sriov_numvfs", "sys/bus/pci/devices/*/sriov_totalvfs", "sys/bus/pci/devices/*/virtfn*",
                "sys/bus/pci/devices/*/virtfn*/driver", "run/libvirt/qemu/*.xml", "var/run/libvirt/qemu/*.xml",
                "proc/*/comm", "proc/*/cmdline"],
        fixID: .sriovVFs,
        messages: perPFMessages([
            "no-pf-driver": "no VFs enabled, and none can be: no driver is bound to the PF (see sriov.pf-driver)",
            "none-enabled": "no VFs enabled yet: 0 of {total_vfs} (splittable)",
            "not-enumerated": "sriov_numvfs is {num_vfs} but the number of enumerated VFs is {enumerated}: VF creation failed (see the kernel log)",
            "vf-enable-clear": "sysfs shows {num_vfs} VFs but VF Enable is clear in the capability",
            "all-in-use": "every VF is in use: VF available / total: {free}/{num_vfs} (TotalVFs {total_vfs}); in use: {users}",
            "available": "VF available / total: {free}/{num_vfs} (TotalVFs {total_vfs}; none in use)",
            "available-in-use": "VF available / total: {free}/{num_vfs} (TotalVFs {total_vfs}); in use: {users}",
        ]),
        examples: [
            .passes("2 of 63 enabled, 1 free", .intelWithNIC, object: "0000:3b:00.0"),
            .passes("2 of 63 enabled, both on ixgbevf in the host: none in use",
                    .intelReady.withNIC(NICSpec().with { $0.numVFs = 2; $0.vfDrivers = ["ixgbevf", "ixgbevf"] }), object: "0000:3b:00.0"),
            .passes("0 of 7 enabled", .intelReady.withNIC(NICSpec().with { $0.totalVFs = 7 }), object: "0000:3b:00.0"),
            .warns("no VFs and no PF driver", .intelReady.withNIC(NICSpec().with { $0.driver = nil; $0.netdev = nil }), object: "0000:3b:00.0"),
            .warns("every VF bound to vfio-pci", .intelReady.withNIC(NICSpec().with { $0.numVFs = 2; $0.vfDrivers = ["vfio-pci", "vfio-pci"] }),
                   object: "0000:3b:00.0"),
            .fails("numvfs says 4, only 2 enumerated", .intelWithNIC.file("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/sriov_numvfs", "4\n"),
                   object: "0000:3b:00.0"),
            .warns("VFs in sysfs, VF Enable clear in the capability", .intelWithNIC.bytes("sys/devices/pci0000:00/0000:00:03.0/0000:3b:00.0/config",
                SyntheticConfig.sriovPF(vendorID: 0x8086, deviceID: 0x10FB, classCode: 0x020000, subsystemVendorID: 0x8086, subsystemID: 3,
                                        totalVFs: 63, numVFs: 0, firstVFOffset: 128, vfStride: 2, vfDeviceID: 0x10ED,
                                        vfBARs: [SyntheticConfig.VFBAR(index: 0, baseAddress: 0xC740_0000)])),
                   object: "0000:3b:00.0"),
            .passes("real X722: 2 of 64 enabled, one on iavf, one on vfio-pci", .real(RealNICs.x722, vfs: 2), object: "0000:3e:00.0"),
            .passes("the vfio-pci VF held by libvirt guest web01 (named)", .intelWithNIC.withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.2"]),
                    object: "0000:3b:00.0"),
            .passes("the vfio-pci VF held by a QEMU outside libvirt (-device vfio-pci,host=3b:10.2)",
                    .intelWithNIC.withQEMUProcess(pid: 5150, name: "db02", vfs: ["3b:10.2"]), object: "0000:3b:00.0"),
            .warns("both VFs held, by two libvirt guests (named)",
                   .intelReady.withNIC(NICSpec().with { $0.numVFs = 2; $0.vfDrivers = ["vfio-pci", "vfio-pci"] })
                       .withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.0"]).withLibvirtGuest("web02", pid: 4343, vfs: ["0000:3b:10.2"]),
                   object: "0000:3b:00.0"),
            .warns("every VF held: a libvirt guest's status file and a stale one (its QEMU gone) beside it",
                   .intelReady.withNIC(NICSpec().with { $0.numVFs = 1; $0.vfDrivers = ["vfio-pci"] })
                       .withLibvirtGuest("web01", pid: 4242, vfs: ["0000:3b:10.0"]).withLibvirtGuest("old", pid: 999, vfs: ["0000:3b:10.0"], running: false),
                   object: "0000:3b:00.0"),
        ] + perPFExamples)) { s in
        s.perPF { f in
            let total = f.totalVFs
            let num = f.sriov?.numVFs ?? f.numVFs
            let vfs = s.vfs(of: f)
            let inUse = s.vfsInUse(f)
            var ev = [Evidence("\(f.path)/sriov_numvfs", "\(num) of \(total)")]
            ev.append(Evidence("\(f.path)/virtfn*", vfs.isEmpty ? "none" : vfs.map { "\($0.address)=\($0.driver ?? "unbound")" }.joined(separator: ", ")))
            if !inUse.isEmpty { ev += s.vfHolderEvidence(f) }
            if num == 0 && f.driver == nil {
                return .warn("no-pf-driver", [:], object: f.address, ev)
            }
            if num == 0 {
                return .pass("none-enabled", ["total_vfs": String(total)], object: f.address, ev)
            }
            if f.virtfns.count != num {
                return .fail("not-enumerated", ["num_vfs": String(num), "enumerated": String(f.virtfns.count)], object: f.address, ev)
            }
            if let cap = f.sriovCapability, !cap.vfEnable {
                ev.append(Evidence("\(f.path)/config", "SR-IOV control: VF Enable clear"))
                return .warn("vf-enable-clear", ["num_vfs": String(num)], object: f.address, ev)
            }
            let free = num - inUse.count
            var params = ["free": String(free), "num_vfs": String(num), "total_vfs": String(total)]
            if inUse.isEmpty { return .pass("available", params, object: f.address, ev) }
            params["users"] = s.vfUsersText(f)
            if free <= 0 { return .warn("all-in-use", params, object: f.address, ev, fix: FixOffer(id: .sriovVFs)) }
            return .pass("available-in-use", params, object: f.address, ev)
        }
    }
}
