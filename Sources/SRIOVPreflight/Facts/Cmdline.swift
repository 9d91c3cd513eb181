/// A kernel command line split the way the kernel splits it (spaces, double quotes group).
public struct KernelCmdline: Sendable, Equatable {
    public var raw: String
    public var tokens: [String]

    public init(_ raw: String) {
        self.raw = raw.trimmingWhitespace()
        var out: [String] = []
        var cur = ""
        var quoted = false
        var has = false
        for ch in self.raw {
            if ch == "\"" { quoted.toggle(); has = true; continue }
            if !quoted && (ch == " " || ch == "\t" || ch == "\n") {
                if has { out.append(cur); cur = ""; has = false }
                continue
            }
            cur.append(ch)
            has = true
        }
        if has { out.append(cur) }
        tokens = out
    }

    /// Value of the last `key=value` (the kernel takes the last); "" for a bare `key`.
    public func value(_ key: String) -> String? {
        var found: String?
        for t in tokens {
            if t == key { found = "" } else if t.hasPrefix(key + "=") { found = String(t.dropFirst(key.count + 1)) }
        }
        return found
    }

    public func has(_ token: String) -> Bool { tokens.contains(token) }

    /// Comma-separated options of a key, across every occurrence (`intel_iommu=on,sm_on`).
    public func options(_ key: String) -> [String] {
        tokens.compactMap { t -> [String]? in
            guard t.hasPrefix(key + "=") else { return nil }
            return t.dropFirst(key.count + 1).split(separator: ",").map(String.init)
        }.flatMap { $0 }
    }

    /// The argument that turns the IOMMU off, if any.
    public var iommuDisablingToken: String? {
        if options("intel_iommu").contains("off") { return "intel_iommu=off" }
        if options("amd_iommu").contains("off") { return "amd_iommu=off" }
        if value("iommu") == "off" { return "iommu=off" }
        return nil
    }

    /// The argument that switches interrupt remapping off (`nointremap`, `intremap=off`), if any: the one
    /// place the checks and the fixes learn it from.
    public var interruptRemappingOffToken: String? {
        if has("nointremap") { return "nointremap" }
        if options("intremap").contains("off") { return "intremap=off" }
        return nil
    }

    /// Kernel arguments that defeat SR-IOV passthrough (or do nothing): the iommu-cmdline fix removes them.
    public static let harmfulArguments = ["intel_iommu=off", "amd_iommu=off", "iommu=off", "intremap=off", "nointremap", "amd_iommu=on"]

    /// The tokens that shape the IOMMU, interrupt remapping and SR-IOV, in order.
    public var iommuTokens: [String] {
        tokens.filter(KernelCmdline.isIOMMUToken)
    }

    public static func isIOMMUToken(_ t: String) -> Bool {
        let key = t.split(separator: "=", maxSplits: 1).first.map(String.init) ?? t
        return ["intel_iommu", "amd_iommu", "iommu", "intremap", "nointremap", "iommu.passthrough",
                "iommu.strict", "pcie_acs_override", "vfio_iommu_type1.allow_unsafe_interrupts",
                "vfio.enable_unsafe_noiommu_mode", "intel_iommu_intremap", "amd_iommu_intr",
                "pci", "vfio-pci.ids", "x2apic_phys", "nox2apic"].contains(key)
            && !(key == "pci" && !t.contains("realloc"))
    }
}
