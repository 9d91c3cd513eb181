extension Checks {
    static let vfioNoIOMMU = Check(CheckDescription(
        id: .vfioNoIOMMU,
        title: "vfio no-IOMMU mode off",
        category: .vfio,
        severity: .error,
        rationale: """
            vfio's enable_unsafe_noiommu_mode gives devices to userspace with no IOMMU at all: no DMA isolation, \
            the device can read and write all host memory. It exists for DPDK on IOMMU-less machines and taints \
            the kernel; it must be off on a host that gives VFs to guests.
            """,
        remediation: """
            Remove `enable_unsafe_noiommu_mode` from the vfio options in /etc/modprobe.d and from the kernel \
            command line, then reload vfio or reboot; enable the IOMMU instead.
            """,
        reads: ["sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "etc/modprobe.d/*.conf", "proc/cmdline"],
        messages: [
            "parameter-unreadable": "cannot read {path}: {problem}",
            "on": "vfio no-IOMMU mode is ON: devices are given to userspace without DMA isolation",
            "configured": "no-IOMMU mode is configured in {location} and takes effect when vfio loads",
            "cmdline": "no-IOMMU mode is requested on the kernel command line",
            "off": "no-IOMMU mode is off",
        ],
        examples: [
            .passes("parameter absent (CONFIG_VFIO_NOIOMMU unset)", .intelReady),
            .passes("parameter N", .intelReady.file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n")),
            .fails("parameter Y", .intelReady.file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "Y\n")),
            .errors("parameter unreadable", .intelReady.unreadable("sys/module/vfio/parameters/enable_unsafe_noiommu_mode")),
            .warns("configured in modprobe.d", .intelReady.file("etc/modprobe.d/vfio.conf", "options vfio enable_unsafe_noiommu_mode=1\n")),
            .warns("requested on the command line", .intelReady.editing("proc/cmdline") { $0.trimmingWhitespace() + " vfio.enable_unsafe_noiommu_mode=1\n" }),
        ])) { s in
        let key = "vfio.enable_unsafe_noiommu_mode"
        let p = s.modules.parameters[key]
        var ev = [Evidence(p?.source ?? "sys/module/vfio/parameters/enable_unsafe_noiommu_mode",
                           p?.value ?? "absent (\(p?.reason ?? "unknown"))", expected: "N or absent")]
        if let p, p.value == nil, let why = p.reason, why != FSError.missing.description {
            return [.error("parameter-unreadable", ["path": p.source, "problem": why], ev)]
        }
        if parameterIsTrue(p?.value) == true {
            return [.fail("on", [:], ev)]
        }
        let conf = s.modules.configured("vfio", "enable_unsafe_noiommu_mode")
        let cmd = s.system.cmdline.value?.value(key)
        if let c = conf, parameterIsTrue(c.value) == true {
            ev.append(Evidence(c.location, "options vfio enable_unsafe_noiommu_mode=\(c.value)"))
            return [.warn("configured", ["location": c.location], ev)]
        }
        if parameterIsTrue(cmd) == true {
            ev.append(Evidence("proc/cmdline", "\(key)=\(cmd!)"))
            return [.warn("cmdline", [:], ev)]
        }
        if p?.value == nil && s.notCaptured(s.modules.sysModuleProblem) {
            return [HostSnapshot.notCapturedFinding(.skip, path: "sys/module", fact: "whether vfio runs in no-IOMMU mode")]
        }
        return [.pass("off", [:], ev)]
    }
}
