/// What a collect-only host must hand over so that `check --bundle` on the controller judges it as a local
/// run would: the paths the facts read (the recording of `FileRecorder`, as `BundleCollector` turns it into a
/// bundle), written as root-relative glob patterns that any host can expand with its own tools.
///
/// How a collector expands it (the Ansible collection's `collect` module does exactly this):
/// - `*` matches within one path component; `{release}` is the host's kernel release (`uname -r`);
/// - links met on the way are followed, and every link is stored as a link with its own target text, so a
///   replay resolves `sys/bus/pci/devices/X/class` through the same links as the host;
/// - a matched file is stored with the bytes a read returns (read to end of file: sysfs sizes lie);
///   a matched directory is stored empty (its listing is what the other patterns store in it);
/// - what does not exist is left out; what exists but cannot be read is left out and listed;
/// - on a live host the kernel log (`dmesg`) is stored as `var/log/dmesg`, which is where a bundle keeps it.
///
/// The list is held to the recording by the tests: a bundle collected this way from each fixture host gives
/// the verdicts of `check --root` on it.
public enum CollectManifest {
    /// The files of a PCI function the facts read (under `sys/bus/pci/devices/*/`).
    static let pciFunctionFiles = [
        "vendor", "device", "class", "subsystem_vendor", "subsystem_device", "config", "resource", "numa_node",
        "ari_enabled", "current_link_speed", "current_link_width", "secondary_bus_number", "driver", "iommu_group",
        "physfn", "virtfn*", "sriov_totalvfs", "sriov_numvfs", "sriov_offset", "sriov_stride", "sriov_vf_device",
        "sriov_drivers_autoprobe", "net", "iommu/*/amd-iommu/cap", "iommu/*/amd-iommu/features",
        // a VF a PF names is read through the PF's virtfnN link: its config space and two links only
        "virtfn*/config", "virtfn*/driver", "virtfn*/iommu_group",
    ]

    /// The files of a network interface the facts read (under `sys/class/net/*/`; a bond's `bonding/` only there).
    static let netFiles = ["address", "carrier", "duplex", "mtu", "operstate", "speed", "device", "master", "bonding/*"]

    public static let patterns: [String] = {
        var p: [String] = [
            // kernel and boot
            "proc/cmdline", "proc/cpuinfo", "proc/interrupts", "proc/modules", "proc/version",
            "proc/sys/kernel/osrelease", "proc/sys/kernel/hostname", "etc/hostname", "etc/os-release",
            "boot/config-{release}", "boot/grub2/grubenv", "boot/efi/EFI/*/grubenv", "boot/loader/entries/*.conf",
            "etc/default/grub", "etc/default/grub.d/*.cfg", "sbin/grubby", "usr/sbin/grubby",
            "lib/modules/{release}/modules.alias", "lib/modules/{release}/modules.builtin",
            "lib/modules/{release}/modules.dep",
            "etc/modprobe.d/*.conf", "lib/modprobe.d/*.conf", "usr/lib/modprobe.d/*.conf", "run/modprobe.d/*.conf",
            "var/log/dmesg",
            // firmware (and acpidump text at a capture's root)
            "sys/firmware/acpi/tables/DMAR", "sys/firmware/acpi/tables/IVRS", "sys/firmware/acpi/tables/APIC",
        ]
        p += FirmwareFacts.acpidumpFiles
        // IOMMU
        p += ["sys/class/iommu/*/intel-iommu/*", "sys/class/iommu/*/amd-iommu/*", "sys/kernel/iommu_groups/*/devices/*"]
        // modules and their parameters
        p += ["sys/module/*", "sys/module/vfio/parameters/enable_unsafe_noiommu_mode",
              "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
              "sys/module/iommufd/parameters/allow_unsafe_interrupts"]
        // PCI functions, NICs, bonds
        p += pciFunctionFiles.map { "sys/bus/pci/devices/*/\($0)" }
        p += netFiles.filter { $0 != "bonding/*" }.map { "sys/bus/pci/devices/*/net/*/\($0)" }   // a bond is not a PCI function
        p += netFiles.map { "sys/class/net/*/\($0)" }
        p += ["proc/net/bonding/*"]
        p += PCINames.databasePaths
        // Who holds a VF: libvirt's live domain status, and every process's name (the facts read the command
        // line of QEMU processes only, which a pattern cannot pick: see `text()`).
        p += GuestFacts.libvirtDirs.map { "\($0)/*.xml" }
        p += ["proc/*/comm"]
        return p
    }()

    /// The manifest as `collect --manifest` prints it: comment lines, then one pattern per line.
    public static func text() -> String {
        var out = """
            # \(Tool.name) \(Tool.version) collect manifest: root-relative glob patterns of what the checks read.
            # '*' matches within one component; {release} is the host's kernel release (uname -r). Follow links,
            # store each link as a link; store files with the bytes a read returns; directories empty; on a live
            # host store the kernel log (dmesg) as var/log/dmesg. Judge the archive with `check --bundle FILE`.
            # Not listed: QEMU processes' command lines (proc/PID/cmdline where proc/PID/comm is qemu*), which a
            # pattern cannot pick out from the others (those may carry secrets): without libvirt's domain
            # status a VF's guest is then named as not in this evidence.

            """
        for p in patterns { out += p + "\n" }
        return out
    }
}
