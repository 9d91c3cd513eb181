import ACPITables

/// Example hosts as a support engineer receives them from the field: a kernel log (in one of its shapes), the
/// command line and cpuinfo, sometimes an ACPI table, never sysfs. Each is written after real boots of
/// ../shared/realdata (see its README): the lines are those real kernels print, the disagreement classes those
/// real machines showed.
extension ExampleHost {
    static let fieldRelease = "6.1.0-13-amd64"

    /// A root holding only cpuinfo, the command line and the kernel log (plain dmesg with timestamps).
    public static func fieldLog(_ label: String, amd: Bool = false, cmdline: String = "ro quiet", _ lines: [String]) -> ExampleHost {
        var t = 0.0
        let log = lines.map { l -> String in
            defer { t += 0.013 }
            if l.hasPrefix("Linux version") { return "[    0.000000] \(l)" }
            let stamp = String(Int(t * 1_000_000) + 1_000_000).dropFirst()  // 6 digits
            return "[    0.\(stamp)] \(l)"
        }.joined(separator: "\n") + "\n"
        let vendor = amd ? "AuthenticAMD" : "GenuineIntel"
        return ExampleHost(label)
            .file("proc/cpuinfo", "processor\t: 0\nvendor_id\t: \(vendor)\n")
            .file("proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-\(fieldRelease) root=UUID=4f1c \(cmdline)\n")
            .file("var/log/dmesg", log)
    }

    static func fieldHead(_ cmdline: String = "ro quiet") -> [String] {
        ["Linux version \(fieldRelease) (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
         "Command line: BOOT_IMAGE=/boot/vmlinuz-\(fieldRelease) root=UUID=4f1c \(cmdline)",
         "DMI: Example Server/Board, BIOS 2.1 01/01/2023",
         "ACPI: DMAR 0x000000008DC9F478 000070 (v01 INTEL  SKL      00000001 INTL 00000001)",
         "ACPI: Reserving DMAR table memory at [mem 0x8dc9f478-0x8dc9f4e7]"]
    }

    static func fieldUnits(_ ecaps: [String]) -> [String] {
        ["DMAR: Host address width 39"] + ecaps.enumerated().flatMap { i, e in
            ["DMAR: DRHD base: 0x000000fed9\(i)000 flags: 0x\(i == ecaps.count - 1 ? 1 : 0)",
             "DMAR: dmar\(i): reg_base_addr fed9\(i)000 ver 1:0 cap d2008c40660462 ecap \(e)"]
        } + ["DMAR: RMRR base: 0x0000008d0cd000 end: 0x0000008d0ecfff",
             "DMAR-IR: IOAPIC id 2 under DRHD base  0xfed9\(ecaps.count - 1)000 IOMMU \(ecaps.count - 1)",
             "DMAR-IR: HPET id 0 under DRHD base 0xfed9\(ecaps.count - 1)000"]
    }

    static let fieldTail = ["..TIMER: vector=0x30 apic1=0 pin1=2 apic2=-1 pin2=-1",
                            "smpboot: CPU0: Intel(R) Xeon(R) CPU E3-1230 v5 @ 3.40GHz (family: 0x6, model: 0x5e, stepping: 0x3)",
                            "iommu: Default domain type: Translated"]

    /// Intel, kernel log only: two units with IR, the kernel enabled IR in x2APIC mode.
    public static var fieldIntelReady: ExampleHost {
        fieldLog("field-intel-ready", fieldHead() + fieldUnits(["f050da", "f050da"]) + [
            "DMAR-IR: Queued invalidation will be enabled to support x2apic and Intr-remapping.",
            "DMAR-IR: Enabled IRQ remapping in x2apic mode", "x2apic enabled",
            "Switched APIC routing to cluster x2apic."] + fieldTail)
    }

    /// Intel, kernel log only: the BIOS sets X2APIC_OPT_OUT, IR runs in xAPIC mode, and the x2apic line after it.
    public static var fieldIntelOptOut: ExampleHost {
        fieldLog("field-intel-optout", fieldHead() + fieldUnits(["f020de"]) + [
            "DMAR-IR: Queued invalidation will be enabled to support x2apic and Intr-remapping.",
            "DMAR-IR: x2apic is disabled because BIOS sets x2apic opt out bit.",
            "DMAR-IR: Use 'intremap=no_x2apic_optout' to override the BIOS setting.",
            "DMAR-IR: Enabled IRQ remapping in xapic mode",
            "x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail)
    }

    /// Intel, kernel log only: a unit whose ECAP lacks IR (f020e2); the kernel passes ..TIMER without enabling.
    public static var fieldIntelUnitWithoutIR: ExampleHost {
        fieldLog("field-intel-unit-without-ir", fieldHead() + fieldUnits(["f020e2"]) + fieldTail)
    }

    /// Intel, kernel log only: the BIOS lists a DRHD at address 0; the kernel drops the whole DMAR.
    public static var fieldIntelDMARAtZero: ExampleHost {
        fieldLog("field-intel-dmar-at-zero", fieldHead() + [
            "DMAR: [Firmware Bug]: Your BIOS is broken; DMAR reported at address 0!",
            "DMAR: Host address width 39",
            "DMAR: DRHD base: 0x000000fed90000 flags: 0x0",
            "DMAR: dmar0: reg_base_addr fed90000 ver 4:0 cap 1c0000c40660462 ecap 69e2ff0505e",
            "DMAR: DRHD base: 0x00000000000000 flags: 0x1",
            "DMAR: Parse DMAR table failure.",
            "x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail)
    }

    /// Intel 5520/X58: the kernel refuses IR for the chipset erratum (the message wrapped over two lines, as
    /// real logs show it).
    public static var fieldIntelErratum: ExampleHost {
        fieldLog("field-intel-erratum", fieldHead() + [
            "DMAR-IR: This system BIOS has enabled interrupt remapping",
            "on a chipset that contains an erratum making that",
            "feature unstable.  To maintain system stability",
            "interrupt remapping is being disabled.  Please",
            "contact your BIOS vendor for an update"] + fieldTail + fieldUnits(["f0207e"]))
    }

    /// Intel: the DMAR is parsed only after `smpboot: CPU0` (a kernel built without CONFIG_IRQ_REMAP); the
    /// units could remap.
    public static var fieldIntelParsedLate: ExampleHost {
        fieldLog("field-intel-parsed-late", fieldHead() + ["DMAR: IOMMU enabled",
            "x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail + fieldUnits(["19e2ff0505e", "f050da"]) + [
            "DMAR: Intel(R) Virtualization Technology for Directed I/O"])
    }

    /// Intel, kernel log from the boot's start without any DMAR: VT-d off in the BIOS.
    public static var fieldIntelNoTable: ExampleHost {
        fieldLog("field-intel-no-table", Array(fieldHead().prefix(3)) + ["x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail)
    }

    /// Intel: an excerpt that ends before the kernel's IR decision, without unit lines.
    public static var fieldIntelUndecided: ExampleHost {
        fieldLog("field-intel-undecided", Array(fieldHead().dropFirst()))
    }

    /// Intel, a kdump kernel: IR tables copied from the crashed kernel, then enabled.
    public static var fieldIntelKdump: ExampleHost {
        fieldLog("field-intel-kdump", fieldHead("ro irqpoll nr_cpus=1 reset_devices") + fieldUnits(["f020de", "f020de"]) + [
            "DMAR-IR: Queued invalidation will be enabled to support x2apic and Intr-remapping.",
            "DMAR-IR: Copied IR table for dmar0 from previous kernel",
            "DMAR-IR: Copied IR table for dmar1 from previous kernel",
            "DMAR-IR: Enabled IRQ remapping in x2apic mode"] + fieldTail)
    }

    /// Intel: the firmware left IR on; the kernel resets it and enables it itself.
    public static var fieldIntelIRLeftOn: ExampleHost {
        fieldLog("field-intel-ir-left-on", fieldHead() + fieldUnits(["f050da"]) + [
            "DMAR-IR: IRQ remapping was enabled on dmar0 but we are not in kdump mode",
            "DMAR-IR: Enabled IRQ remapping in x2apic mode"] + fieldTail)
    }

    /// AMD, kernel log only: IR enabled although the x2apic line says X2APIC mode is not remapped.
    public static var fieldAMDX2apicLine: ExampleHost {
        fieldLog("field-amd-x2apic-line", amd: true, [
            "Linux version \(fieldRelease) (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
            "ACPI: IVRS 0x000000008E294000 0000C8 (v02 AMD    AmdTable 00000001 AMD  00000001)",
            "x2apic: IRQ remapping doesn't support X2APIC mode",
            "smpboot: CPU0: AMD Ryzen 5 3600 6-Core Processor (family: 0x17, model: 0x71, stepping: 0x0)",
            "pci 0000:00:00.2: AMD-Vi: IOMMU performance counters supported",
            "pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40",
            "AMD-Vi: Extended features (0x58f77ef22294a5a, 0x0): PPR NX GT IA PC GA_vAPIC",
            "AMD-Vi: Interrupt remapping enabled"])
    }

    /// AMD: the IOMMU initialised (Extended features) without enabling IR.
    public static var fieldAMDNotEnabled: ExampleHost {
        fieldLog("field-amd-not-enabled", amd: true, [
            "Linux version \(fieldRelease) (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
            "ACPI: IVRS 0x000000008E294000 0000C8 (v02 AMD    AmdTable 00000001 AMD  00000001)",
            "pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40",
            "AMD-Vi: Extended features (0x58f77ef22294a5a, 0x0): PPR NX GT IA PC"])
    }

    /// The ready Intel log as `journalctl -k` prints it: syslog prefixes, no timestamps.
    public static var fieldIntelJournal: ExampleHost {
        fieldIntelReady.named("field-intel-journal").editing("var/log/dmesg") { log in
            log.split(separator: "\n").map { l in
                "Jan 17 09:23:45 node-17 kernel: " + l.drop { $0 != "]" }.dropFirst(2)
            }.joined(separator: "\n") + "\n"
        }
    }

    /// Two boots in one syslog: the first enabled IR, the last (the one that counts) has a unit without IR.
    public static var fieldTwoBoots: ExampleHost {
        let journal = { (h: ExampleHost, day: String) -> String in
            let log: String
            if case .file(let b)? = h.nodes["var/log/dmesg"] { log = String(decoding: b, as: UTF8.self) } else { log = "" }
            return log.split(separator: "\n").map { l in
                "<6>Jan \(day) 09:23:45 node-17 kernel: " + l
            }.joined(separator: "\n") + "\n"
        }
        return fieldIntelUnitWithoutIR.named("field-two-boots")
            .file("var/log/dmesg", journal(fieldIntelReady, "16")
                  + "Jan 16 18:00:01 node-17 systemd[1]: Stopping user@1000.service - User Manager for UID 1000...\n"
                  + journal(fieldIntelUnitWithoutIR, "17"))
    }

    /// Intel, kernel log only: every unit has IR, but the excerpt ends before the kernel's decision.
    public static var fieldIntelUnitsOnly: ExampleHost {
        fieldLog("field-intel-units-only", fieldHead() + fieldUnits(["f050da"]))
    }

    /// Intel, kernel log only: the kernel enabled IR, the unit lines were cut from the excerpt.
    public static var fieldIntelEnabledNoUnits: ExampleHost {
        fieldLog("field-intel-enabled-no-units", fieldHead() + ["DMAR-IR: Enabled IRQ remapping in x2apic mode"] + fieldTail)
    }

    /// Intel, kernel log only: a unit with IR but without queued invalidation (ECAP bit 1 clear).
    public static var fieldIntelUnitWithoutQI: ExampleHost {
        fieldLog("field-intel-unit-without-qi", fieldHead() + fieldUnits(["f050d8"]) + ["x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail)
    }

    /// Intel, kernel log only: an I/O APIC outside every unit's device scope.
    public static var fieldIntelIOAPICNotCovered: ExampleHost {
        fieldLog("field-intel-ioapic-not-covered", fieldHead() + fieldUnits(["f050da"]) + [
            "DMAR-IR: [Firmware Bug]: ioapic 9 has no mapping iommu, interrupt remapping will be disabled",
            "x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail)
    }

    /// Intel, kernel log only: the kernel could not parse the DMAR (no unit at 0 in the log).
    public static var fieldIntelDMARRejected: ExampleHost {
        fieldLog("field-intel-dmar-rejected", fieldHead() + fieldUnits(["f050da"]) + ["DMAR: Parse DMAR table failure.",
            "x2apic: IRQ remapping doesn't support X2APIC mode"] + fieldTail)
    }

    /// AMD: the firmware's IVRS lacks the southbridge I/O APIC; the driver disables IR.
    public static var fieldAMDUnavailable: ExampleHost {
        fieldAMDNotEnabled.named("field-amd-unavailable").editing("var/log/dmesg") {
            $0 + "[    0.900000] AMD-Vi: [Firmware Bug]: No southbridge IOAPIC found\n[    0.900001] AMD-Vi: Disabling interrupt remapping\n"
        }
    }

    /// AMD: the excerpt shows the IVRS and nothing of the driver.
    public static var fieldAMDUndecided: ExampleHost {
        fieldLog("field-amd-undecided", amd: true, [
            "Linux version \(fieldRelease) (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
            "ACPI: IVRS 0x000000008E294000 0000C8 (v02 AMD    AmdTable 00000001 AMD  00000001)"])
    }

    /// A support case: the kernel log and the customer's `acpidump` output (text) at the root.
    public static var fieldIntelAcpidump: ExampleHost {
        fieldIntelReady.named("field-intel-acpidump")
            .file("acpidump.txt", AcpidumpText.render(signature: "FACP", address: 0x7B7F_0000, bytes: Array("FACP".utf8) + [0x24] + [UInt8](repeating: 0, count: 31))
                  + AcpidumpText.render(signature: "DMAR", address: 0x7B7E_4000, bytes: SyntheticTables.dmar(units: 2)))
    }

    /// A capture made without root: the DMAR file is missing, yet the units are active and the log shows the
    /// table (evidence that contradicts itself).
    public static var intelCaptureWithoutDMAR: ExampleHost {
        intelReady.named("intel-capture-without-dmar").removing("sys/firmware/acpi/tables/DMAR")
    }

    /// The host's log without the kernel's IR enable line, ending at its decision point as kernels that do not
    /// enable IR print it.
    public var withoutIREnableLine: ExampleHost {
        editing("var/log/dmesg") { log in
            log.split(separator: "\n").filter { !$0.contains("Enabled IRQ remapping") }.joined(separator: "\n")
                + "\n[    0.473237] x2apic: IRQ remapping doesn't support X2APIC mode\n"
        }
    }
}

extension SyntheticTables {
    /// A DMAR whose second DRHD (INCLUDE_PCI_ALL) has register base 0, as on the Dell XPS 13 9310 of
    /// ../shared/realdata: the kernel says "DMAR reported at address 0!" and drops the whole table.
    public static func dmarAtZero() -> [UInt8] {
        var body: [UInt8] = [46, 0x01] + [UInt8](repeating: 0, count: 10)
        body += le(0, 2) + le(16, 2) + [0, 0] + le(0, 2) + le(0xFED9_0000 as UInt64, 8)
        body += le(0, 2) + le(16, 2) + [1, 0] + le(0, 2) + le(0 as UInt64, 8)
        return header("DMAR", revision: 1, body: body)
    }
}
