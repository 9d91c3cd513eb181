/// The id of every check: typed, so fixes and tests find results without matching strings.
public enum CheckID: String, Sendable, Codable, CaseIterable {
    case cpuVirtualization = "cpu.virtualization"
    case firmwareIOMMUTable = "firmware.iommu-table"
    case firmwareInterruptRemapping = "firmware.interrupt-remapping"
    case firmwareRMRRDevices = "firmware.rmrr-devices"
    case kernelIOMMUEnabled = "kernel.iommu-enabled"
    case kernelIOMMUCmdline = "kernel.iommu-cmdline"
    case kernelPendingReboot = "kernel.pending-reboot"
    case irSupported = "ir.supported"
    case irEnabled = "ir.enabled"
    case irUnsafeInterrupts = "ir.unsafe-interrupts"
    case vfioModules = "vfio.modules"
    case vfioNoIOMMU = "vfio.noiommu"
    case sriovCapable = "sriov.capable"
    case sriovPFDriver = "sriov.pf-driver"
    case sriovVFDriver = "sriov.vf-driver"
    case sriovVFs = "sriov.vfs"
    case sriovBARSpace = "sriov.bar-space"
    case sriovARI = "sriov.ari"
    case sriovIOMMUGroup = "sriov.iommu-group"
    case nicLink = "nic.link"
    case bondSRIOVMembers = "bond.sriov-members"
    case bondMode = "bond.mode"
    case bondVFMembers = "bond.vf-members"
}

/// The categories checks are grouped in, in report order.
public enum Category: String, Sendable, Codable, CaseIterable {
    case cpu, firmware, kernel, ir, vfio, sriov, nic, bond
}

/// The fixes `sriov-preflight fix` offers.
public enum FixID: String, Sendable, Codable, CaseIterable {
    case unsafeInterrupts = "unsafe-interrupts"
    case unsafeInterruptsOff = "unsafe-interrupts-off"
    case iommuCmdline = "iommu-cmdline"
    case vfioModules = "vfio-modules"
    case sriovVFs = "sriov-vfs"
}
