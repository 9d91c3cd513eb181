extension Checks {
    static let irUnsafeInterrupts = Check(CheckDescription(
        id: .irUnsafeInterrupts,
        title: "vfio's allow_unsafe_interrupts matches the platform",
        category: .ir,
        severity: .error,
        rationale: """
            Without interrupt remapping vfio_iommu_type1 refuses to attach devices ("No interrupt remapping \
            support. Use the module param allow_unsafe_interrupts") unless `options vfio_iommu_type1 \
            allow_unsafe_interrupts=1` is set — which lets a guest's device inject interrupts into the host. \
            Set it only where IR is truly missing; where IR works, the option only weakens isolation (some \
            agents write it on every host).
            """,
        remediation: """
            Without IR: write `options vfio_iommu_type1 allow_unsafe_interrupts=1` to \
            /etc/modprobe.d/iommu_unsafe_interrupts.conf and reload vfio_iommu_type1 (`sriov-preflight fix \
            unsafe-interrupts --accept-unsafe-interrupts`). With IR working: remove that option and reload the \
            module, or reboot.
            """,
        reads: ["sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
                "sys/module/iommufd/parameters/allow_unsafe_interrupts", "etc/modprobe.d/*.conf",
                "lib/modprobe.d/*.conf", "run/modprobe.d/*.conf", "proc/cmdline", "kernel log",
                "sys/class/iommu/*/intel-iommu/ecap", "proc/interrupts", "sys/kernel/iommu_groups/*"],
        fixID: .unsafeInterrupts,
        messages: [
            "no-iommu": "no IOMMU is active, so vfio cannot assign devices at all (see kernel.iommu-enabled)",
            "ir-unknown": "cannot tell whether interrupt remapping works: kernel log unavailable and proc/interrupts unreadable",
            "needless-runtime": "interrupt remapping works, yet allow_unsafe_interrupts is set at runtime: needless loss of interrupt isolation",
            "needless-configured": "interrupt remapping works, yet allow_unsafe_interrupts is configured ({location}), effective when vfio_iommu_type1 loads: needless loss of interrupt isolation",
            "ok": "interrupt remapping works and allow_unsafe_interrupts is off",
            "unsafe-on": "no interrupt remapping; allow_unsafe_interrupts is on, so vfio accepts devices without interrupt isolation",
            "unsafe-configured": "no interrupt remapping; allow_unsafe_interrupts is on, so vfio accepts devices without interrupt isolation (configured; takes effect when vfio_iommu_type1 is (re)loaded)",
            "cmdline-off": "interrupt remapping is switched off on the command line and allow_unsafe_interrupts is off: vfio will refuse to assign VFs; remove {token} rather than allow unsafe interrupts",
            "refused": "no interrupt remapping and allow_unsafe_interrupts is off: vfio will refuse to assign VFs",
            "param-not-in-evidence-ir": "interrupt remapping works; vfio's allow_unsafe_interrupts is not in this evidence (sys/module/vfio_iommu_type1/parameters, etc/modprobe.d)",
            "param-not-in-evidence-no-ir": "no interrupt remapping; whether vfio's allow_unsafe_interrupts is set is not in this evidence (sys/module/vfio_iommu_type1/parameters, etc/modprobe.d)",
        ],
        examples: [
            .passes("IR works, parameter N", .intelReady),
            .warns("IR works, parameter Y", .intelReady.file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "Y\n")),
            .warns("IR works, option only in a modprobe.d file not yet loaded",
                   .intelReady.removing("sys/module/vfio_iommu_type1")
                       .file("etc/modprobe.d/iommu_unsafe_interrupts.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=1\n")),
            .fails("no IR, parameter N", .intelNoIRHardware),
            .fails("IR off by intremap=off, parameter N", .intelIntremapOff),
            .passes("no IR, option configured", .intelNoIRHardware
                .file("etc/modprobe.d/iommu_unsafe_interrupts.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=1\n")
                .file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "Y\n")),
            .skips("no IOMMU", .intelBIOSOff),
            .skips("kernel log only: IR works, the vfio parameter is not in the evidence", .fieldIntelReady.editing("var/log/dmesg") {
                $0 + "[    2.940608] DMAR: Intel(R) Virtualization Technology for Directed I/O\n" }),
            .skips("kernel log only: no IR, the vfio parameter is not in the evidence", .fieldIntelUnitWithoutIR.editing("var/log/dmesg") {
                $0 + "[    2.940608] DMAR: Intel(R) Virtualization Technology for Directed I/O\n" }),
            .passes("no IR, option configured but vfio_iommu_type1 not reloaded", .intelNoIRHardware
                .file("etc/modprobe.d/iommu_unsafe_interrupts.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=1\n")
                .file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n")),
            .errors("IR state unknown", .intelNoIRHardware.removing("var/log/dmesg").unreadable("proc/interrupts")),
        ])) { s in
        UnsafeInterrupts(s).findings
    }
}

/// The state of allow_unsafe_interrupts: runtime parameter, configuration, and whether IR works.
struct UnsafeInterrupts {
    static let param = "vfio_iommu_type1.allow_unsafe_interrupts"
    var findings: [Finding] = []
    var runtime: Bool?
    var configured: ModuleFacts.ModprobeOption?
    var cmdlineSet: Bool

    init(_ s: HostSnapshot) {
        let p = s.modules.parameters[Self.param]
        runtime = parameterIsTrue(p?.value)
        configured = s.modules.configured("vfio_iommu_type1", "allow_unsafe_interrupts")
        let cmdValue = s.system.cmdline.value?.value(Self.param)
        cmdlineSet = parameterIsTrue(cmdValue) == true
        var ev: [Evidence] = []
        ev.append(Evidence(p?.source ?? "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
                           p?.value ?? "absent (\(p?.reason ?? "module not loaded"))"))
        if let c = configured { ev.append(Evidence(c.location, "options vfio_iommu_type1 allow_unsafe_interrupts=\(c.value)")) }
        if let v = cmdValue { ev.append(Evidence("proc/cmdline", "\(Self.param)=\(v)")) }
        if let iommufd = s.modules.parameters["iommufd.allow_unsafe_interrupts"]?.value {
            ev.append(Evidence("sys/module/iommufd/parameters/allow_unsafe_interrupts", iommufd))
        }
        let configuredOn = parameterIsTrue(configured?.value) == true || cmdlineSet
        let on = runtime == true || configuredOn
        let runningPerLog = !s.iommu.sysfsCaptured && s.ir.iommuRunningLine != nil
        guard s.iommu.active || runningPerLog else {
            findings = [.skip("no-iommu", [:], ev)]
            return
        }
        let irWorks = s.ir.enabledLine != nil || !s.ir.remappedChips.isEmpty
        if !irWorks && !s.kernelLog.isAvailable && !s.ir.interruptsReadable {
            findings = [.error("ir-unknown", [:], ev)]
            return
        }
        if ((!s.iommu.sysfsCaptured && runtime == nil) || (p?.value == nil && s.notCaptured(s.modules.sysModuleProblem)))
            && configured == nil && !cmdlineSet {
            // A kernel log and a few files: the module parameter and the modprobe configuration are not here.
            findings = [.skip(irWorks ? "param-not-in-evidence-ir" : "param-not-in-evidence-no-ir", [:], ev)]
            return
        }
        for l in s.ir.vfioRefusalLines.prefix(1) { ev.append(Evidence(s.kernelLog.source, l)) }
        if irWorks {
            if on {
                if runtime == true {
                    findings = [.warn("needless-runtime", [:], ev, fix: FixOffer(id: .unsafeInterruptsOff))]
                } else {
                    findings = [.warn("needless-configured", ["location": configured?.location ?? "kernel command line"], ev,
                                      fix: FixOffer(id: .unsafeInterruptsOff))]
                }
            } else {
                findings = [.pass("ok", [:], ev)]
            }
            return
        }
        if on {
            findings = [.pass(runtime == true ? "unsafe-on" : "unsafe-configured", [:], ev)]
        } else if let tok = s.system.cmdline.value?.interruptRemappingOffToken {
            // The hardware may well remap interrupts: turning it back on is the fix, not weakening isolation.
            findings = [.fail("cmdline-off", ["token": tok], ev,
                              fix: FixOffer(id: .iommuCmdline, rebootRequired: true))]
        } else {
            findings = [.fail("refused", [:], ev,
                              fix: FixOffer(id: .unsafeInterrupts))]
        }
    }
}
