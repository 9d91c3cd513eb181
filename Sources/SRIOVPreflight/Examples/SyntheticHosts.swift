
/// Example hosts written in code, used by the check descriptions and the tests. They mirror what a
/// Debian 12 host shows; each check's examples start from one and change the facts that matter.
extension ExampleHost {
    public static let release = "6.1.0-13-amd64"

    /// What every Linux host has, with no IOMMU facts.
    public static var linuxBase: ExampleHost {
        ExampleHost("linux-base")
            .file("proc/sys/kernel/osrelease", release + "\n")
            .file("proc/sys/kernel/hostname", "node-17\n")
            .file("proc/version", "Linux version \(release) (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.55-1\n")
            .file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n")
            .file("boot/config-\(release)", """
                CONFIG_IOMMU_SUPPORT=y
                CONFIG_INTEL_IOMMU=y
                # CONFIG_INTEL_IOMMU_DEFAULT_ON is not set
                CONFIG_AMD_IOMMU=y
                CONFIG_IRQ_REMAP=y
                CONFIG_PCI_IOV=y

                """)
            .file("lib/modules/\(release)/modules.dep", """
                kernel/drivers/vfio/vfio.ko:
                kernel/drivers/vfio/vfio_iommu_type1.ko: kernel/drivers/vfio/vfio.ko
                kernel/drivers/vfio/pci/vfio-pci-core.ko: kernel/drivers/vfio/vfio.ko
                kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/pci/vfio-pci-core.ko kernel/drivers/vfio/vfio.ko
                kernel/drivers/net/ethernet/intel/igb/igb.ko:
                kernel/drivers/net/ethernet/intel/igbvf/igbvf.ko:
                kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko:
                kernel/drivers/net/ethernet/intel/ixgbevf/ixgbevf.ko:
                kernel/drivers/net/bonding/bonding.ko:

                """)
            .file("lib/modules/\(release)/modules.builtin", "kernel/drivers/pci/pci-stub.ko\n")
            .file("lib/modules/\(release)/modules.alias", """
                alias pci:v00008086d000010FBsv*sd*bc*sc*i* ixgbe
                alias pci:v00008086d000010EDsv*sd*bc*sc*i* ixgbevf
                alias pci:v00008086d000010CAsv*sd*bc*sc*i* igbvf
                alias pci:v00008086d000010C9sv*sd*bc*sc*i* igb

                """)
            .file("proc/modules", """
                vfio_pci 16384 0 - Live 0x0000000000000000
                vfio_pci_core 73728 1 vfio_pci, Live 0x0000000000000000
                vfio_iommu_type1 45056 0 - Live 0x0000000000000000
                vfio 49152 3 vfio_pci,vfio_pci_core,vfio_iommu_type1, Live 0x0000000000000000
                ixgbe 380928 0 - Live 0x0000000000000000

                """)
            .file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n")
            .file("sys/module/vfio_iommu_type1/parameters/dma_entry_limit", "65535\n")
            .dir("etc/modprobe.d")
            .dir("sys/class/iommu")
            .dir("sys/kernel/iommu_groups")
            .dir("sys/firmware/acpi/tables")
            .bytes("sys/firmware/acpi/tables/APIC", Array("APIC".utf8))
    }

    static func cpuinfo(vendor: String, flags: String) -> String {
        (0..<2).map { n in
            "processor\t: \(n)\nvendor_id\t: \(vendor)\nmodel name\t: Example CPU\nflags\t\t: \(flags)\n"
        }.joined(separator: "\n")
    }

    static func withCmdline(_ h: ExampleHost, _ args: String, grub: String?) -> ExampleHost {
        var out = h.file("proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-\(release) root=UUID=4f1c ro quiet \(args)\n")
        if let grub {
            out = out.file("etc/default/grub", """
                GRUB_DEFAULT=0
                GRUB_TIMEOUT=5
                GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
                GRUB_CMDLINE_LINUX_DEFAULT="quiet"
                GRUB_CMDLINE_LINUX="\(grub)"

                """)
        }
        return out
    }

    static func remappedInterrupts(ioapic: String, msi: String) -> String {
        """
                   CPU0       CPU1
          0:         36          0   \(ioapic)    2-edge      timer
          8:          0          0   \(ioapic)    8-edge      rtc0
         24:          0       1021   \(msi) 1048576-edge      eth0-TxRx-0
        NMI:          0          0   Non-maskable interrupts

        """
    }

    /// Registers IOMMU units and puts `devices` into one group each.
    public func withIOMMU(units: [String], devices: [String]) -> ExampleHost {
        var h = self
        for u in units { h = h.dir("sys/class/iommu/\(u)") }
        for (i, d) in devices.enumerated() {
            h = h.link("sys/kernel/iommu_groups/\(i)/devices/\(d)", "../../../../devices/pci0000:00/\(d)")
        }
        return h
    }

    /// A ready Intel host: VT-x, DMAR with INTR_REMAP, `intel_iommu=on iommu=pt` running and configured,
    /// one DMAR unit with interrupt remapping, devices grouped.
    public static var intelReady: ExampleHost {
        let flags = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov x2apic vmx ept vpid"
        return withCmdline(linuxBase, "intel_iommu=on iommu=pt", grub: "intel_iommu=on iommu=pt")
            .named("intel-ready")
            .file("proc/cpuinfo", cpuinfo(vendor: "GenuineIntel", flags: flags))
            .bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(flags: 0x01))
            .file("sys/class/iommu/dmar0/intel-iommu/cap", "d2008c40660462\n")
            .file("sys/class/iommu/dmar0/intel-iommu/ecap", "f050da\n")
            .file("sys/class/iommu/dmar0/intel-iommu/version", "1:0\n")
            .withIOMMU(units: ["dmar0"], devices: ["0000:00:00.0", "0000:00:01.0", "0000:3b:00.0"])
            .file("proc/interrupts", remappedInterrupts(ioapic: "IR-IO-APIC", msi: "IR-PCI-MSI"))
            .file("var/log/dmesg", """
                [    0.000000] Linux version \(release) (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.55-1
                [    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-\(release) root=UUID=4f1c ro quiet intel_iommu=on iommu=pt
                [    0.071941] ACPI: DMAR 0x000000007B7E4000 0000C8 (v01 SRIOVP EXAMPLE  00000001 SPFL 00000001)
                [    0.164089] DMAR: IOMMU enabled
                [    0.457589] DMAR: Host address width 48
                [    0.457809] DMAR: DRHD base: 0x000000fed90000 flags: 0x1
                [    0.459803] DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c40660462 ecap f050da
                [    0.462082] DMAR-IR: IOAPIC id 8 under DRHD base  0xfed90000 IOMMU 0
                [    0.473237] DMAR-IR: Enabled IRQ remapping in x2apic mode
                [    2.353433] iommu: Default domain type: Passthrough (set via kernel command line)
                [    2.940608] DMAR: Intel(R) Virtualization Technology for Directed I/O

                """)
    }

    /// A ready AMD host: AMD-V, IVRS, `iommu=pt`, one IVHD unit, interrupt remapping enabled.
    public static var amdReady: ExampleHost {
        let flags = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov svm npt x2apic"
        return withCmdline(linuxBase, "iommu=pt", grub: "iommu=pt")
            .named("amd-ready")
            .file("proc/cpuinfo", cpuinfo(vendor: "AuthenticAMD", flags: flags))
            .bytes("sys/firmware/acpi/tables/IVRS", SyntheticTables.ivrs())
            .file("sys/class/iommu/ivhd0/amd-iommu/cap", "1f03000f\n")
            .file("sys/class/iommu/ivhd0/amd-iommu/features", "0:29d3\n")
            .withIOMMU(units: ["ivhd0"], devices: ["0000:00:00.0", "0000:00:02.0", "0000:41:00.0"])
            .file("proc/interrupts", remappedInterrupts(ioapic: "IR-IO-APIC", msi: "IR-PCI-MSI"))
            .file("var/log/dmesg", """
                [    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-\(release) root=UUID=4f1c ro quiet iommu=pt
                [    1.758603] iommu: Default domain type: Passthrough (set via kernel command line)
                [    2.105912] pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40
                [    2.106202] AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE
                [    2.106496] AMD-Vi: Interrupt remapping enabled

                """)
    }

    /// An Intel server whose BIOS has VT-d off: no DMAR, no IOMMU, nothing on the cmdline.
    public static var intelBIOSOff: ExampleHost {
        intelReady.named("intel-bios-off")
            .removing("sys/firmware/acpi/tables/DMAR")
            .removing("sys/class/iommu/dmar0")
            .removing("sys/kernel/iommu_groups")
            .dir("sys/kernel/iommu_groups")
            .file("var/log/dmesg", "[    1.585904] iommu: Default domain type: Translated\n")
            .file("proc/interrupts", remappedInterrupts(ioapic: "IO-APIC", msi: "PCI-MSI"))
    }

    /// Intel with `intremap=off` on the running command line: the IOMMU is on, interrupt remapping is not.
    public static var intelIntremapOff: ExampleHost {
        withCmdline(intelReady, "intel_iommu=on iommu=pt intremap=off", grub: "intel_iommu=on iommu=pt intremap=off")
            .named("intel-intremap-off")
            .file("proc/interrupts", remappedInterrupts(ioapic: "IO-APIC", msi: "PCI-MSI"))
            .editing("var/log/dmesg") { log in
                log.split(separator: "\n").filter { !$0.contains("DMAR-IR") }.joined(separator: "\n")
                    + "\n[    0.473237] x2apic: IRQ remapping doesn't support X2APIC mode\n"
            }
    }

    /// Intel hardware without interrupt remapping: DMAR INTR_REMAP clear, ECAP bit 3 clear.
    public static var intelNoIRHardware: ExampleHost {
        intelIntremapOff.named("intel-no-ir-hardware")
            .editing("proc/cmdline") { $0.replacing(" intremap=off", with: "") }
            .file("etc/default/grub", "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n")
            .bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmar(flags: 0x00))
            .file("sys/class/iommu/dmar0/intel-iommu/ecap", "f42\n")
            .editing("var/log/dmesg") { $0.replacing("ecap f050da", with: "ecap f42") }
    }

    /// Intel with VT-d on in BIOS, but the kernel did not turn it on (Debian's default-off kernel, no argument).
    public static var intelKernelDefaultOff: ExampleHost {
        withCmdline(intelReady, "", grub: "")
            .named("intel-kernel-default-off")
            .removing("sys/class/iommu/dmar0")
            .removing("sys/kernel/iommu_groups")
            .dir("sys/kernel/iommu_groups")
            .file("var/log/dmesg", "[    0.071941] ACPI: DMAR 0x000000007B7E4000 0000C8 (v01 SRIOVP EXAMPLE  00000001 SPFL 00000001)\n")
    }

    /// A host root with nothing in it.
    public static var emptyRoot: ExampleHost { ExampleHost("empty") }
}
