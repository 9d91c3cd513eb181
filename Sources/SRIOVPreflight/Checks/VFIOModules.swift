extension Checks {
    static let vfioModules = Check(CheckDescription(
        id: .vfioModules,
        title: "vfio modules available",
        category: .vfio,
        severity: .error,
        rationale: """
            A VF is handed to a guest through vfio: the vfio core, vfio_pci (the driver a VF is bound to) and \
            vfio_iommu_type1 (the IOMMU backend). They must be loaded, built into the kernel, or at least \
            installed so they load on demand.
            """,
        remediation: """
            Install the kernel's modules package (linux-modules-extra on Ubuntu), then `modprobe vfio-pci` and \
            persist it in /etc/modules-load.d/ (`sriov-preflight fix vfio-modules`). A kernel without loadable-module \
            support (no /proc/modules) must have them built in: boot one built with CONFIG_VFIO, CONFIG_VFIO_PCI and \
            CONFIG_VFIO_IOMMU_TYPE1.
            """,
        reads: ["proc/modules", "lib/modules/<release>/modules.builtin", "lib/modules/<release>/modules.dep",
                "etc/modprobe.d/*.conf (blacklist)", "sys/module/* (built-in modules with parameters)",
                "boot/config-<release> (CONFIG_MODULES, CONFIG_VFIO*)"],
        fixID: .vfioModules,
        messages: [
            "state-unknown": "cannot tell: proc/modules: {modules_problem}; {tree_problem}",
            "missing": "{modules} not loaded, not built in and not installed",
            "missing-tree-problem": "{modules} not loaded, not built in and not installed ({tree_problem})",
            "blacklisted": "{module} is blacklisted in {location}: it will not load on demand",
            "available": "vfio {vfio}, vfio_pci {vfio_pci}, vfio_iommu_type1 {vfio_iommu_type1}",
            "built-in-no-modules": "vfio, vfio_pci, vfio_iommu_type1 built in (the kernel has no loadable modules)",
            "no-loadable-modules": "the kernel has no loadable module support and does not have {modules} built in: vfio cannot be loaded; boot a kernel built with VFIO, VFIO_PCI and VFIO_IOMMU_TYPE1",
        ],
        examples: [
            .passes("loaded", .intelReady),
            .passes("installed, not loaded", .intelReady.file("proc/modules", "ixgbe 380928 0 - Live 0x0\n")),
            .fails("vfio_pci missing", .intelReady.file("proc/modules", "vfio 1 0 - Live 0x0\n")
                .editing("lib/modules/\(ExampleHost.release)/modules.dep") { $0.replacing("vfio-pci.ko:", with: "other.ko:") }),
            .fails("vfio_pci not loaded, module tree missing", .intelReady.file("proc/modules", "vfio 1 0 - Live 0x0\n").removing("lib/modules")),
            .warns("blacklisted", .intelReady.file("proc/modules", "ixgbe 380928 0 - Live 0x0\n")
                .file("etc/modprobe.d/blacklist-vfio.conf", "blacklist vfio_pci\n")),
            .errors("no module lists at all", .intelReady.unreadable("proc/modules").removing("lib/modules")),
            .fails("live host: kernel without loadable modules, vfio not built in",
                   .intelReady.removing("proc/modules").removing("lib/modules").removing("sys/module/vfio_iommu_type1").live()),
            .passes("live host: kernel without loadable modules, vfio built in",
                    .intelReady.removing("proc/modules").removing("lib/modules").dir("sys/module/vfio_pci/parameters").live()),
            .passes("capture without proc/modules: installed per modules.dep (not a kernel without modules)",
                    .intelReady.removing("proc/modules")),
            .errors("capture without proc/modules nor lib/modules: cannot tell",
                    .intelReady.removing("proc/modules").removing("lib/modules").removing("sys/module/vfio_iommu_type1")),
            .fails("capture with CONFIG_MODULES unset, vfio not built in",
                   .intelReady.removing("proc/modules").removing("lib/modules").removing("sys/module/vfio_iommu_type1")
                .editing("boot/config-\(ExampleHost.release)") { $0 + "# CONFIG_MODULES is not set\n" }),
        ])) { s in
        let m = s.modules
        let wanted = ["vfio", "vfio_pci", "vfio_iommu_type1"]
        if m.loadableModules == false || s.system.kernelConfig.value?["CONFIG_MODULES"] == "n" {
            return withoutLoadableModules(s, wanted)
        }
        let states = wanted.map { ($0, m.state($0)) }
        if m.loaded.value == nil && m.moduleTreeProblem != nil && states.contains(where: { $0.1 == nil }) {
            return [.error("state-unknown", ["modules_problem": m.loaded.reason ?? "unreadable", "tree_problem": m.moduleTreeProblem!])]
        }
        let ev = states.map { Evidence("module \($0.0)", $0.1 ?? "not found", expected: "loaded, built in or installed") }
            + [Evidence("proc/modules", m.loaded.value.map { "\($0.count) modules loaded" } ?? (m.loaded.reason ?? "unreadable"))]
        let missing = states.filter { $0.1 == nil }.map(\.0)
        if !missing.isEmpty {
            let modules = missing.joined(separator: ", ")
            if let why = m.moduleTreeProblem {
                return [.fail("missing-tree-problem", ["modules": modules, "tree_problem": why], ev, fix: FixOffer(id: .vfioModules))]
            }
            return [.fail("missing", ["modules": modules], ev, fix: FixOffer(id: .vfioModules))]
        }
        let blocked = m.blacklisted.filter { b in wanted.contains(b.module) && m.state(b.module) != "loaded" && m.state(b.module) != "built in" }
        if let b = blocked.first {
            return [.warn("blacklisted", ["module": b.module, "location": b.location], ev + [Evidence(b.location, "blacklist \(b.module)")],
                          fix: FixOffer(id: .vfioModules))]
        }
        return [.pass("available", Dictionary(uniqueKeysWithValues: states.map { ($0.0, $0.1!) }), ev)]
    }

    /// A kernel without loadable-module support runs only what is built in: sys/module lists built-in code that has
    /// parameters (vfio_pci, vfio_iommu_type1), the build configuration says =y, and the vfio core is built in when
    /// either of them is.
    private static func withoutLoadableModules(_ s: HostSnapshot, _ wanted: [String]) -> [Finding] {
        let config = s.system.kernelConfig.value ?? [:]
        func builtIn(_ module: String) -> Bool {
            s.modules.sysModules.contains(module) || config["CONFIG_" + module.uppercased()] == "y"
        }
        // The vfio core has no parameters on most kernels, so sys/module may not list it: vfio_pci or
        // vfio_iommu_type1 built in means it is built in too.
        let states = wanted.map { m in (m, m == "vfio" ? wanted.contains(where: builtIn) : builtIn(m)) }
        let ev = states.map { Evidence("sys/module/\($0.0)", $0.1 ? "built in" : "absent", expected: "built in") }
            + [s.modules.loadableModules == false ? Evidence("proc/modules", "absent: no loadable module support")
                : Evidence(s.system.kernelConfig.source, "CONFIG_MODULES is not set")]
        let missing = states.filter { !$0.1 }.map(\.0)
        if missing.isEmpty {
            return [.pass("built-in-no-modules", [:], ev)]
        }
        return [.fail("no-loadable-modules", ["modules": missing.joined(separator: ", ")], ev)]
    }
}
