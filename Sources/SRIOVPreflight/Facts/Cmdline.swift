/// A kernel command line split the way the kernel splits it (spaces, double quotes group).
public struct KernelCmdline: Sendable, Equatable {
    /// The most of a command line a fact keeps: the kernel's own limit (COMMAND_LINE_SIZE) is 2 KiB to 4 KiB
    /// on x86 and below 64 KiB everywhere, so a longer file is not a command line the kernel booted with (a
    /// hostile or broken root). What is kept is cut there, and `raw` says so wherever it is shown.
    public static let maxBytes = 64 << 10
    public static let cutNote = " … [cut: longer than \(maxBytes) bytes; the rest was not read]"

    public var raw: String
    public var tokens: [String]
    /// True when the file was longer than `maxBytes`: `raw` ends with `cutNote`, and the last, partial
    /// argument is not among `tokens`.
    public var cut = false

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

    /// A command line file (proc/cmdline), read at most `maxBytes` (+1, to tell a cut).
    static func read(_ root: HostRoot, _ path: String) -> Fact<KernelCmdline> {
        switch root.read(path, limit: maxBytes + 1) {
        case .failure(let e):
            return .unknown(source: path, reason: e.description)
        case .success(let bytes):
            guard bytes.count > maxBytes else { return .known(KernelCmdline(String(decoding: bytes, as: UTF8.self)), source: path) }
            var c = KernelCmdline(String(decoding: bytes.prefix(maxBytes), as: UTF8.self))
            if !c.tokens.isEmpty { c.tokens.removeLast() }
            c.raw += cutNote
            c.cut = true
            return .known(c, source: path)
        }
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
