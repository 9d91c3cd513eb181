extension Checks {
    static let cpuVirtualization = Check(CheckDescription(
        id: .cpuVirtualization,
        title: "CPU virtualization extensions (VT-x / AMD-V)",
        category: .cpu,
        severity: .error,
        rationale: """
            KVM needs the CPU's virtualization extensions: Intel VT-x shows as the `vmx` flag, AMD-V as `svm`. \
            Without them no guest can run, so no VF can be given to one. Inside a virtual machine the \
            `hypervisor` flag is set: the flags then describe what the hypervisor exposes (nested virtualization).
            """,
        remediation: """
            Enable Intel Virtualization Technology (VT-x) or SVM Mode in the BIOS/UEFI setup and power-cycle. \
            In a VM, enable nested virtualization on the outer host.
            """,
        reads: ["proc/cpuinfo"],
        messages: [
            "cpuinfo-unreadable": "cannot tell: {path}: {problem}",
            "available": "{extension} available",
            "nested": "{extension} exposed inside a virtual machine (hypervisor flag): nested virtualization",
            "vm-without-extensions": "running in a virtual machine that exposes neither vmx nor svm",
            "no-extensions": "the CPU shows neither vmx nor svm: virtualization is off in BIOS or unsupported",
        ],
        examples: [
            .passes("Intel with vmx", .intelReady),
            .passes("AMD with svm", .amdReady),
            .warns("VM with nested virtualization",
                   .intelReady.editing("proc/cpuinfo") { $0.replacing("vmx", with: "vmx hypervisor") }),
            .fails("VM without nested virtualization",
                   .intelReady.editing("proc/cpuinfo") { $0.replacing(" vmx", with: " hypervisor") }),
            .fails("VT-x off in BIOS", .intelReady.editing("proc/cpuinfo") { $0.replacing(" vmx", with: "") }),
            .errors("cpuinfo unreadable", .intelReady.unreadable("proc/cpuinfo")),
        ])) { s in
        let cpu = s.system
        guard let flags = cpu.cpuFlags.value else {
            if s.notCaptured(cpu.cpuFlags) {
                return [HostSnapshot.notCapturedFinding(.error, path: cpu.cpuFlags.source, fact: "the CPU's virtualization extensions")]
            }
            return [.error("cpuinfo-unreadable", ["path": cpu.cpuFlags.source, "problem": cpu.cpuFlags.reason ?? "unreadable"])]
        }
        let ext = flags.contains("vmx") ? "Intel VT-x (vmx)" : flags.contains("svm") ? "AMD-V (svm)" : nil
        let vm = flags.contains("hypervisor")
        let ev = [Evidence("proc/cpuinfo",
                           "flags: vmx=\(flags.contains("vmx")) svm=\(flags.contains("svm")) hypervisor=\(vm)",
                           expected: "vmx or svm")]
        switch (ext, vm) {
        case (let e?, false):
            return [.pass("available", ["extension": e], ev)]
        case (let e?, true):
            return [.warn("nested", ["extension": e], ev)]
        case (nil, true):
            return [.fail("vm-without-extensions", [:], ev)]
        case (nil, false):
            return [.fail("no-extensions", [:], ev)]
        }
    }
}
