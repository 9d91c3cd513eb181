/// Interrupt remapping: the IOMMU units' capability registers and what the kernel said about IR.
public struct IRFacts: Sendable {
    /// One Intel remapping unit (DRHD) as the kernel sees it.
    public struct DMARUnit: Sendable, Equatable {
        public var name: String
        public var cap: UInt64?
        public var ecap: UInt64?
        public var version: String?
        public var registerBase: String?
        /// Where the values come from: sysfs or the kernel log line.
        public var source: String

        /// ECAP bit 3: Interrupt Remapping support.
        public var supportsIR: Bool? { ecap.map { $0 & (1 << 3) != 0 } }
        /// ECAP bit 4: Extended Interrupt Mode (x2APIC).
        public var supportsEIM: Bool? { ecap.map { $0 & (1 << 4) != 0 } }
    }

    /// One AMD unit (IVHD) as the kernel sees it.
    public struct AMDUnit: Sendable, Equatable {
        public var name: String
        public var cap: String?
        public var features: String?
    }

    public var dmarUnits: [DMARUnit] = []
    public var amdUnits: [AMDUnit] = []
    /// "DMAR-IR: Enabled IRQ remapping in xapic mode" / "AMD-Vi: Interrupt remapping enabled".
    public var enabledLine: String?
    /// Lines where the kernel says IR is off, unsupported or failed.
    public var disabledLines: [String] = []
    /// "x2apic is disabled because BIOS sets x2apic opt out bit".
    public var x2apicOptOutLine: String?
    /// DMAR / AMD-Vi fault reports.
    public var faultLines: [String] = []
    /// vfio's refusal: `No interrupt remapping support.  Use the module param "allow_unsafe_interrupts"…`.
    public var vfioRefusalLines: [String] = []
    /// Interrupt chips in proc/interrupts whose name starts with "IR-" (remapped), with their count.
    public var remappedChips: [String: Int] = [:]
    public var interruptsReadable = false

    public var dmarUnitsLackingIR: [DMARUnit] { dmarUnits.filter { $0.supportsIR == false } }

    static func collect(_ root: HostRoot, log: KernelLog) -> IRFacts {
        var f = IRFacts()
        for name in root.entries(IOMMUFacts.classDir) {
            let base = "\(IOMMUFacts.classDir)/\(name)"
            if root.isDirectory("\(base)/intel-iommu") {
                f.dmarUnits.append(DMARUnit(
                    name: name,
                    cap: root.value("\(base)/intel-iommu/cap").flatMap { $0.parseInteger(hex: true) },
                    ecap: root.value("\(base)/intel-iommu/ecap").flatMap { $0.parseInteger(hex: true) },
                    version: root.value("\(base)/intel-iommu/version"),
                    registerBase: root.value("\(base)/intel-iommu/address"),
                    source: "\(base)/intel-iommu/ecap"))
            } else if root.isDirectory("\(base)/amd-iommu") {
                f.amdUnits.append(AMDUnit(name: name, cap: root.value("\(base)/amd-iommu/cap"),
                                          features: root.value("\(base)/amd-iommu/features")))
            }
        }
        // "DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c222f0606 ecap f00f4a"
        var fromLog: [DMARUnit] = []
        for line in log.all(": reg_base_addr ") {
            let words = line.split(separator: " ").map(String.init)
            guard let i = words.firstIndex(of: "reg_base_addr"), i > 0 else { continue }
            func after(_ key: String) -> String? {
                guard let k = words.firstIndex(of: key), k + 1 < words.count else { return nil }
                return words[k + 1]
            }
            let name = words[i - 1].trimmingCharacters(in: ":")
            if fromLog.contains(where: { $0.name == name }) { continue }
            fromLog.append(DMARUnit(name: name, cap: after("cap")?.parseInteger(hex: true),
                                    ecap: after("ecap")?.parseInteger(hex: true), version: after("ver"),
                                    registerBase: after("reg_base_addr"), source: "\(log.source): \(line)"))
        }
        if f.dmarUnits.isEmpty {
            f.dmarUnits = fromLog
        } else {
            // sysfs wins; fill registers sysfs could not give from the log line of the same unit.
            for i in f.dmarUnits.indices where f.dmarUnits[i].ecap == nil {
                if let l = fromLog.first(where: { $0.name == f.dmarUnits[i].name }) { f.dmarUnits[i].ecap = l.ecap; f.dmarUnits[i].source = l.source }
            }
        }
        f.enabledLine = log.first("Enabled IRQ remapping in") ?? log.first("AMD-Vi: Interrupt remapping enabled")
        f.disabledLines = log.lines.filter { l in
            let lower = l.lowercased()
            guard lower.contains("remapping") || lower.contains("intremap") || lower.contains("irq remap") else { return false }
            return lower.contains("disabl") || lower.contains("not supported") || lower.contains("failed to enable")
                || lower.contains("not enabling") || lower.contains("no southbridge ioapic") || lower.contains("erratum")
        }.filter { !$0.contains("doesn't support X2APIC mode") }
        f.x2apicOptOutLine = log.first("x2apic opt out")
        f.faultLines = log.lines.filter { ($0.contains("DMAR:") && $0.contains("fault")) || $0.contains("AMD-Vi: Event logged") }
        f.vfioRefusalLines = log.all("No interrupt remapping support")
        if case .success(let text) = root.text("proc/interrupts") {
            f.interruptsReadable = true
            for line in text.lines {
                for word in line.split(separator: " ") where word.hasPrefix("IR-") {
                    f.remappedChips[String(word), default: 0] += 1
                }
            }
        }
        return f
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
