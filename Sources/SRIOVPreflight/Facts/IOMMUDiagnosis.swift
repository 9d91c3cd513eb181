/// What the checks and the fixes both derive about turning the Intel IOMMU on: one place, so the check
/// that says "add intel_iommu=on" and the fix that adds it cannot disagree.
public struct IntelIOMMUDefault: Sendable, Equatable {
    /// The firmware has a DMAR (Intel VT-d): the file, else the kernel log's lines (a capture made without root).
    public var hasDMAR: Bool
    /// `CONFIG_INTEL_IOMMU_DEFAULT_ON` of the running kernel's build: true, false, or nil when the build
    /// configuration is not in the evidence.
    public var intelDefaultOn: Bool?
    /// The value as the configuration says it (`y`, `n`), for evidence.
    public var intelDefaultOnValue: String?
    /// Where the build configuration was read.
    public var configSource: String

    /// Whether `cmdline` (running or configured) still lacks `intel_iommu=on` on a kernel that needs it.
    public func needsIntelIOMMUOn(_ cmdline: KernelCmdline?) -> Bool {
        guard hasDMAR, intelDefaultOn != true else { return false }
        return !(cmdline?.options("intel_iommu").contains("on") ?? false)
    }
}

extension HostSnapshot {
    /// The table as the kernel saw it: the DMAR file, else the kernel log's DMAR lines (`model` is the IR
    /// model a caller already built, so the log is not read again).
    func hasIntelIOMMUTable(_ model: IRModel? = nil) -> Bool {
        if firmware.dmar.present { return true }
        let m = model ?? IRModel(self)
        return m.tableKnown && m.vendor != .amd && !firmware.ivrs.present
    }

    public var intelIOMMUDefault: IntelIOMMUDefault { intelIOMMUDefault(hasDMAR: hasIntelIOMMUTable()) }

    func intelIOMMUDefault(hasDMAR: Bool) -> IntelIOMMUDefault {
        let config = system.kernelConfig.value
        let v = config?["CONFIG_INTEL_IOMMU_DEFAULT_ON"]
        return IntelIOMMUDefault(hasDMAR: hasDMAR,
                              intelDefaultOn: config == nil ? nil : v == "y",
                              intelDefaultOnValue: v, configSource: system.kernelConfig.source)
    }
}

extension HostSnapshot {
    /// Whether the kernel runs the IOMMU: sysfs says so (units and groups), or, where sysfs is not in the evidence (a
    /// kernel log and a few files, a sosreport), lspci's IOMMU groups or the log's own line. nil when this evidence
    /// cannot tell.
    public var iommuRunning: Bool? {
        if iommu.grouping { return true }
        if iommu.sysfsCaptured { return false }
        if ir.iommuRunningLine != nil { return true }
        return IRModel(self).logShowsNoTable ? false : nil
    }
}
