import ACPITables

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

    // What the kernel log of the last boot says, line by line, about the IOMMU table and the IR decision.
    /// `ACPI: DMAR 0x… 0000A8 (v01 …)`, `ACPI: IVRS …`, `ACPI: Reserving DMAR table memory …`: the kernel found
    /// the table.
    public var tableLines: [String] = []
    /// Any `DMAR:` / `DMAR-IR:` line (the kernel parsed a DMAR) and any `AMD-Vi:` line.
    public var dmarLines: [String] = []
    public var amdLines: [String] = []
    /// `DMAR-IR: This system BIOS has enabled interrupt remapping on a chipset that contains an erratum …`.
    public var erratumLine: String?
    /// `DMAR: [Firmware Bug]: Your BIOS is broken; DMAR reported at address 0!`, `DMAR: Parse DMAR table failure.`,
    /// `DMAR-IR: ioapic N has no mapping iommu, interrupt remapping will be disabled`: the kernel rejected the table.
    public var dmarRejectedLines: [String] = []
    /// `IRQ remapping was enabled on dmarN but we are not in kdump mode`.
    public var irLeftOnLine: String?
    /// `DMAR-IR: Copied IR table for dmarN from previous kernel` (a kdump kernel).
    public var kdumpCopiedLine: String?
    /// The first line printed after the kernel's early IR decision (Intel): `x2apic: IRQ remapping doesn't support
    /// X2APIC mode`, `x2apic enabled`, `..TIMER:`, `smpboot: CPU0:`, `iommu: Default domain type`.
    public var intelDecisionLine: String?
    /// `DMAR: Host address width` came only after `intelDecisionLine`: the early IR set-up never parsed the DMAR.
    public var dmarParsedLate = false
    /// `AMD-Vi: Found IOMMU …` / `AMD-Vi: Extended features …`: the AMD IOMMU driver initialised (IR decided).
    public var amdDecisionLine: String?
    /// `x2apic: IRQ remapping doesn't support X2APIC mode` (on AMD it does not mean IR is off).
    public var x2apicNotRemappedLine: String?
    /// A line that shows the IOMMU translating for devices: `DMAR: Intel(R) Virtualization Technology for
    /// Directed I/O`, `… Adding to iommu group N`, `AMD-Vi: Found IOMMU …`.
    public var iommuRunningLine: String?
    /// `Kernel command line: …` / `Command line: …` from the log, for a root without proc/cmdline.
    public var logCmdline: String?
    /// The log starts at the boot's beginning (see KernelLog.hasBootStart), so a table the kernel found would
    /// be in it.
    public var logHasBootStart = false

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
            // "DMAR: dmar0: reg_base_addr …"; kernels before 4.x: "dmar: IOMMU 0: reg_base_addr …"
            var name = words[i - 1].trimmingCharacters(in: ":")
            if i >= 2, words[i - 2] == "IOMMU", name.allSatisfy(\.isNumber) { name = "dmar" + name }
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
        f.readDecision(log)
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

extension IRFacts {
    /// The kernel log's lines about the table and the early IR decision, in log order (see the fields).
    mutating func readDecision(_ log: KernelLog) {
        logHasBootStart = log.hasBootStart
        var hawIndex: Int?
        var decisionIndex: Int?
        for (i, l) in log.lines.enumerated() {
            if l.hasPrefix("ACPI: DMAR") || l.hasPrefix("ACPI: IVRS") || l.hasPrefix("ACPI: Reserving DMAR") || l.hasPrefix("ACPI: Reserving IVRS") {
                tableLines.append(l)
            }
            // "dmar:" and "IR:" are the prefixes of kernels before 4.x
            let oldDMAR = l.hasPrefix("dmar:") || (l.hasPrefix("IR: ") && (l.contains("remapping") || l.contains("DRHD")))
            if l.hasPrefix("DMAR:") || l.hasPrefix("DMAR-IR:") || oldDMAR { dmarLines.append(l) }
            if iommuRunningLine == nil, l.contains("Virtualization Technology for Directed I/O") || l.contains("Adding to iommu group")
                || l.contains("AMD-Vi: Found IOMMU") {
                iommuRunningLine = l
            }
            // amd_iommu_v2 says "AMD IOMMUv2 functionality not available on this system" on every machine without one
            if l.contains("AMD-Vi:") && !l.contains("AMD-Vi: Unknown option") && !l.contains("not available on this system") {
                amdLines.append(l)
            }
            if l.contains("This system BIOS has enabled interrupt remapping") || l.contains("chipset that contains an erratum") {
                if erratumLine == nil { erratumLine = l }
            }
            if l.contains("DMAR reported at address 0") || l.contains("Parse DMAR table failure")
                || (l.contains("has no mapping iommu") && l.contains("remapping will be disabled")) {
                dmarRejectedLines.append(l)
            }
            if l.contains("IRQ remapping was enabled on") { irLeftOnLine = irLeftOnLine ?? l }
            if l.contains("Copied IR table for") { kdumpCopiedLine = kdumpCopiedLine ?? l }
            if l.hasPrefix("x2apic: IRQ remapping doesn't support X2APIC mode") { x2apicNotRemappedLine = x2apicNotRemappedLine ?? l }
            if decisionIndex == nil, l.hasPrefix("x2apic: IRQ remapping doesn't support X2APIC mode") || l.hasPrefix("x2apic enabled")
                || l.contains("Intr-remapping init failed") || l.contains("IRQ remapping init failed")
                || l.contains("Failed to enable irq remapping") || l.contains("Not enabling interrupt remapping")
                || l.hasPrefix("..TIMER:") || l.hasPrefix("smpboot: CPU0") || l.hasPrefix("iommu: Default domain type") {
                decisionIndex = i
                intelDecisionLine = l
            }
            if hawIndex == nil, l.lowercased().hasPrefix("dmar: host address width") || l.contains("DRHD base:") || l.contains(": reg_base_addr ") {
                hawIndex = i
            }
            if amdDecisionLine == nil, l.contains("AMD-Vi: Found IOMMU") || l.contains("AMD-Vi: Extended features") {
                amdDecisionLine = l
            }
            if logCmdline == nil, l.hasPrefix("Kernel command line: ") { logCmdline = String(l.dropFirst("Kernel command line: ".count)) }
        }
        if logCmdline == nil, let l = log.lines.first(where: { $0.hasPrefix("Command line: ") }) {
            logCmdline = String(l.dropFirst("Command line: ".count))
        }
        if let h = hawIndex, let d = decisionIndex, h > d { dmarParsedLate = true }
    }
}

/// The kernel's interrupt-remapping decision, modelled from the evidence the way the kernel takes it, beside
/// what the kernel itself said. Shared by ir.supported, ir.enabled, ir.unsafe-interrupts and the firmware checks.
///
/// Intel (intel_irq_remapping.c): the kernel must be built with CONFIG_IRQ_REMAP (the DMAR is then parsed early,
/// before `..TIMER`); `intremap=off`/`nointremap` not given; no Intel 5500/5520/X58 chipset erratum; the DMAR
/// accepted (no DRHD at address 0); DMAR INTR_REMAP (flags bit 0) set; every DRHD with ECAP IR (bit 3) and QI
/// (bit 1). x2APIC mode needs ECAP EIM (bit 4) on every unit and no X2APIC_OPT_OUT (flags bit 1) unless
/// `intremap=no_x2apic_optout`. AMD: CONFIG_AMD_IOMMU and an IVRS; the driver then says so
/// (`AMD-Vi: Interrupt remapping enabled`).
public struct IRModel: Sendable {
    public enum Vendor: String, Sendable { case intel, amd, unknown }

    /// One broken link of the chain, in operators' terms, with where it was seen.
    public struct Link: Sendable {
        /// Stable short code (`unit-without-ir`, `dmar-at-zero`, …).
        public var code: String
        public var params: [String: String] = [:]
        public var evidence: [Evidence]
        /// A defect of the platform (firmware, chipset, hardware) rather than of the kernel or its command line.
        public var platform: Bool
    }

    public enum Decision: Sendable {
        /// The kernel printed its enable line (mode: "x2apic" / "xapic" / nil on AMD).
        case enabled(line: String, mode: String?)
        /// The log passed the point where the kernel decides, without an enable line.
        case notEnabled(line: String)
        /// The log does not reach the decision (an excerpt, a rotated log) or there is no log.
        case unknown
    }

    public var vendor: Vendor
    /// Where the IOMMU table is known from (file, kernel log, active units); empty when nowhere.
    public var tableEvidence: [Evidence] = []
    /// The kernel log covers this boot from its start and shows no DMAR/IVRS at all.
    public var logShowsNoTable = false
    public var decision: Decision = .unknown
    /// The chain's broken links, kernel order first.
    public var links: [Link] = []
    /// Every unit's ECAP is known and has IR (bit 3); nil when no unit's ECAP is known.
    public var allUnitsIR: Bool?
    /// The x2APIC mode the model predicts (Intel, when the units are known).
    public var predictedMode: String?
    /// Where the model and the kernel's own line disagree.
    public var disagreements: [Evidence] = []
    /// Notes worth showing beside any verdict (kdump copy, IR left on by the firmware, opt-out).
    public var notes: [Evidence] = []
    /// What the tables say of the links beyond the flags and units (the MADT's I/O APICs under the DRHDs),
    /// or that it is not in this evidence.
    public var tableChecks: [Evidence] = []

    public var tableKnown: Bool { !tableEvidence.isEmpty }

    /// The codes of links that are defects of the platform (firmware, chipset, hardware).
    public static let platformCodes: Set<String> = ["chipset-erratum", "dmar-at-zero", "ioapic-not-covered", "dmar-rejected",
                                                    "intr-remap-clear", "unit-without-ir", "unit-without-qi"]

    /// The message of each link (`Link.code`), for the message tables of the checks that report links.
    public static let linkMessages: [String: String] = [
        "kernel-without-irq-remap": "the kernel was built without interrupt remapping ({option} is not set): boot a kernel built with it",
        "kernel-without-intel-iommu": "the kernel was built without Intel VT-d support (CONFIG_INTEL_IOMMU is not set): boot a kernel built with it",
        "kernel-without-amd-iommu": "the kernel was built without AMD-Vi support (CONFIG_AMD_IOMMU is not set): boot a kernel built with it",
        "dmar-parsed-late": "the kernel was built without interrupt remapping: it parsed the DMAR only after its early interrupt set-up (CONFIG_IRQ_REMAP not set); boot a kernel built with it",
        "cmdline-off": "interrupt remapping is switched off by {token} on the kernel command line: remove it and reboot",
        "chipset-erratum": "the chipset (Intel 5500/5520/X58) has an interrupt-remapping erratum and the BIOS enabled remapping on it, so the kernel refuses interrupt remapping: update the BIOS",
        "dmar-at-zero": "the BIOS reports a VT-d unit at address 0, so the kernel rejects the whole DMAR table: update the BIOS",
        "ioapic-not-covered": "an I/O APIC is not under any VT-d unit in the BIOS's DMAR table, so the kernel disables interrupt remapping: update the BIOS",
        "dmar-rejected": "the kernel rejected the BIOS's DMAR table: update the BIOS",
        "intr-remap-clear": "the BIOS does not offer interrupt remapping (DMAR INTR_REMAP flag clear): enable Interrupt Remapping in the BIOS's VT-d settings",
        "unit-without-ir": "{units}: no interrupt remapping (ECAP bit 3 clear); the kernel needs it on every VT-d unit",
        "unit-without-qi": "{units}: no queued invalidation (ECAP bit 1 clear), which interrupt remapping needs",
    ]
    public var platformLinks: [Link] { links.filter(\.platform) }

    public init(_ s: HostSnapshot) {
        let ir = s.ir
        let fw = s.firmware
        let logSrc = s.kernelLog.sourceNote
        let cmd = s.system.cmdline.value ?? ir.logCmdline.map { KernelCmdline($0) }
        let cmdSrc = s.system.cmdline.value != nil ? "proc/cmdline" : "\(logSrc): Kernel command line"
        // Vendor: the CPU, else the kind of table or log lines.
        if s.system.isIntel { vendor = .intel }
        else if s.system.isAMD { vendor = .amd }
        else if fw.dmar.present || !ir.dmarUnits.isEmpty || !ir.dmarLines.isEmpty { vendor = .intel }
        else if fw.ivrs.present || !ir.amdUnits.isEmpty || !ir.amdLines.isEmpty { vendor = .amd }
        else { vendor = .unknown }

        // Where the table is known from.
        let tableFile = vendor == .amd ? fw.ivrs : fw.dmar
        if tableFile.present { tableEvidence.append(Evidence(tableFile.path, "present")) }
        else if fw.dmar.present { tableEvidence.append(Evidence(fw.dmar.path, "present")) }
        else if fw.ivrs.present { tableEvidence.append(Evidence(fw.ivrs.path, "present")) }
        let units = s.iommu.unitNames
        if !units.isEmpty { tableEvidence.append(Evidence(IOMMUFacts.classDir, "active units: \(units.joined(separator: ", "))")) }
        if let l = ir.tableLines.first { tableEvidence.append(Evidence(logSrc, l)) }
        if let l = ir.dmarLines.first(where: { $0.contains("reg_base_addr") }) ?? ir.dmarLines.first { tableEvidence.append(Evidence(logSrc, l)) }
        if let l = ir.amdLines.first { tableEvidence.append(Evidence(logSrc, l)) }
        if let l = ir.enabledLine, !tableEvidence.contains(where: { $0.observed == l }) { tableEvidence.append(Evidence(logSrc, l)) }
        // The kernel lists the ACPI tables before its IR decision: a log from the boot's start, or one that
        // reaches the decision, would show a DMAR/IVRS the firmware has.
        logShowsNoTable = s.kernelLog.isAvailable && tableEvidence.isEmpty
            && (ir.logHasBootStart || ir.intelDecisionLine.map { $0.hasPrefix("x2apic:") || $0.hasPrefix("..TIMER") || $0.hasPrefix("smpboot") } == true)

        // The kernel's own decision.
        if let l = ir.enabledLine {
            let mode = l.contains("x2apic mode") ? "x2apic" : l.contains("xapic mode") ? "xapic" : nil
            decision = .enabled(line: l, mode: mode)
        } else if vendor == .amd {
            if let l = ir.amdDecisionLine { decision = .notEnabled(line: l) }
        } else if let l = ir.erratumLine ?? ir.dmarRejectedLines.first ?? ir.intelDecisionLine {
            decision = .notEnabled(line: l)
        }
        if let l = ir.kdumpCopiedLine { notes.append(Evidence(logSrc, l)) }
        if let l = ir.irLeftOnLine { notes.append(Evidence(logSrc, "\(l) (the firmware left interrupt remapping on; the kernel resets it)")) }

        // The chain, kernel order.
        let config = s.system.kernelConfig.value
        let cfgSrc = s.system.kernelConfig.source
        if vendor == .intel || vendor == .unknown {
            if let c = config, c["CONFIG_IRQ_REMAP"] != "y" {
                links.append(Link(code: "kernel-without-irq-remap",
                                  params: ["option": "CONFIG_IRQ_REMAP"],
                                  evidence: [Evidence(cfgSrc, "CONFIG_IRQ_REMAP=\(c["CONFIG_IRQ_REMAP"] ?? "absent")", expected: "CONFIG_IRQ_REMAP=y")], platform: false))
            } else if let c = config, c["CONFIG_INTEL_IOMMU"] != "y" && vendor == .intel {
                links.append(Link(code: "kernel-without-intel-iommu",
                                  evidence: [Evidence(cfgSrc, "CONFIG_INTEL_IOMMU=\(c["CONFIG_INTEL_IOMMU"] ?? "absent")", expected: "CONFIG_INTEL_IOMMU=y")], platform: false))
            } else if ir.dmarParsedLate, ir.enabledLine == nil, ir.erratumLine == nil {
                let haw = ir.dmarLines.first { $0.hasPrefix("DMAR: Host address width") } ?? "DMAR: Host address width"
                links.append(Link(code: "dmar-parsed-late",
                                  evidence: [Evidence(logSrc, ir.intelDecisionLine ?? "", expected: "DMAR parsed before this line"),
                                             Evidence(logSrc, haw)], platform: false))
            }
        }
        if vendor == .amd, let c = config, c["CONFIG_AMD_IOMMU"] != "y" || c["CONFIG_IRQ_REMAP"] != "y" {
            let name = c["CONFIG_AMD_IOMMU"] != "y" ? "CONFIG_AMD_IOMMU" : "CONFIG_IRQ_REMAP"
            links.append(Link(code: name == "CONFIG_AMD_IOMMU" ? "kernel-without-amd-iommu" : "kernel-without-irq-remap", params: ["option": name],
                              evidence: [Evidence(cfgSrc, "\(name)=\(c[name] ?? "absent")", expected: "\(name)=y")], platform: false))
        }
        if let c = cmd {
            let intremap = c.options("intremap")
            if intremap.contains("nosid") {
                notes.append(Evidence(cmdSrc, "intremap=nosid: remapping without source-id checks (interrupt isolation between devices is weaker)"))
            }
            if intremap.contains("no_x2apic_optout") {
                notes.append(Evidence(cmdSrc, "intremap=no_x2apic_optout: the BIOS's x2APIC opt-out is overridden"))
            }
            if let mode = c.value("amd_iommu_intr") {
                notes.append(Evidence(cmdSrc, "amd_iommu_intr=\(mode): AMD interrupt remapping mode chosen on the command line"))
            }
            if let tok = c.interruptRemappingOffToken {
                links.append(Link(code: "cmdline-off", params: ["token": tok],
                                  evidence: [Evidence(cmdSrc, c.raw, expected: "no \(tok)")], platform: false))
            } else if vendor == .amd, c.options("amd_iommu").contains("off") {
                links.append(Link(code: "cmdline-off", params: ["token": "amd_iommu=off"],
                                  evidence: [Evidence(cmdSrc, c.raw, expected: "no amd_iommu=off")], platform: false))
            }
        }
        if vendor != .amd {
            if let l = ir.erratumLine {
                links.append(Link(code: "chipset-erratum",
                                  evidence: [Evidence(logSrc, l)], platform: true))
            }
            var zero: [Evidence] = ir.dmarRejectedLines.map { Evidence(logSrc, $0) }
            if case .success(let t)? = fw.dmarTable, let u = t.drhdUnits.first(where: { $0.registerBaseAddress == 0 }) {
                zero.insert(Evidence(fw.dmar.path, "DRHD at offset \(u.offset): register base address 0", expected: "a non-zero base"), at: 0)
            }
            if !zero.isEmpty {
                let atZero = zero.contains { $0.observed.contains("address 0") } || ir.dmarLines.contains { $0.hasPrefix("DMAR: DRHD base: 0x00000000000000 ") }
                let ioapic = zero.contains { $0.observed.contains("has no mapping iommu") }
                links.append(Link(code: atZero ? "dmar-at-zero" : ioapic ? "ioapic-not-covered" : "dmar-rejected", evidence: zero, platform: true))
            }
            // Every I/O APIC of the MADT under some DRHD (an IOAPIC device scope with its id), as the kernel's
            // parse_ioapics_under_ir() requires; only when both tables are readable.
            if case .success(let t)? = fw.dmarTable {
                switch fw.madtTable {
                case .success(let madt)?:
                    let missing = t.ioapicsNotUnderDRHD(madt)
                    let named = t.ioapicScopes.map { "\($0.id) (DRHD base 0x\(hex($0.drhdBase)))" }
                    if !missing.isEmpty, !links.contains(where: { ["dmar-at-zero", "ioapic-not-covered", "dmar-rejected"].contains($0.code) }) {
                        links.append(Link(code: "ioapic-not-covered",
                                          evidence: missing.map { Evidence(fw.madt.path, MADTTable.describe($0), expected: "an IOAPIC device scope with id \($0.id) under some DRHD") }
                                            + [Evidence(fw.dmar.path, "IOAPIC device scopes: \(named.isEmpty ? "none" : named.joined(separator: ", "))")],
                                          platform: true))
                    } else if missing.isEmpty && !madt.ioapics.isEmpty {
                        tableChecks.append(Evidence(fw.madt.path, "every I/O APIC is under a DRHD: " + madt.ioapics.map { "id \($0.id)" }.joined(separator: ", ")
                                                    + " (DMAR IOAPIC scopes: \(named.joined(separator: ", ")))"))
                    }
                case .failure(let e)?:
                    tableChecks.append(Evidence(fw.madt.path, "cannot be decoded (\(e)): whether every I/O APIC is under a DRHD is not checked"))
                case nil:
                    let why = fw.madt.present ? fw.madt.bytes.failureDescription : "absent"
                    tableChecks.append(Evidence(fw.madt.path, "not in this evidence (\(why)): whether every I/O APIC is under a DRHD is not checked"))
                }
            }
            if let f = fw.dmarFlags, f & 1 == 0 {
                links.append(Link(code: "intr-remap-clear",
                                  evidence: [Evidence(fw.dmar.path, "flags byte 37 = 0x\(hex(f, 2)): INTR_REMAP clear", expected: "INTR_REMAP set")], platform: true))
            }
            let lacking = ir.dmarUnitsLackingIR
            if !lacking.isEmpty {
                links.append(Link(code: "unit-without-ir",
                                  params: ["units": lacking.map(\.name).joined(separator: ", ")],
                                  evidence: lacking.map { Evidence($0.evidenceSource, "ecap = \(hex($0.ecap ?? 0)): bit 3 (IR) clear", expected: "bit 3 set") }, platform: true))
            }
            let noQI = ir.dmarUnits.filter { u in u.supportsIR == true && u.ecap.map { $0 & 2 == 0 } == true }
            if !noQI.isEmpty {
                links.append(Link(code: "unit-without-qi",
                                  params: ["units": noQI.map(\.name).joined(separator: ", ")],
                                  evidence: noQI.map { Evidence($0.evidenceSource, "ecap = \(hex($0.ecap ?? 0)): bit 1 (QI) clear", expected: "bit 1 set") }, platform: true))
            }
            let known = ir.dmarUnits.filter { $0.ecap != nil }
            if !lacking.isEmpty { allUnitsIR = false } else if !known.isEmpty && known.count == ir.dmarUnits.count { allUnitsIR = true }
            if allUnitsIR == true {
                let eim = known.allSatisfy { $0.supportsEIM == true }
                let optOut = fw.dmarFlags.map { $0 & 2 != 0 } ?? (ir.x2apicOptOutLine != nil ? true : nil)
                let override = cmd?.options("intremap").contains("no_x2apic_optout") == true
                if !eim { predictedMode = "xapic" }
                else if optOut == true && !override { predictedMode = "xapic" }
                else if optOut == false || override { predictedMode = "x2apic" }
            }
        }
        // The kernel's line is the verdict; where the model disagrees, say so.
        switch decision {
        case .enabled(let line, let mode):
            for l in platformLinks where vendor != .amd {
                disagreements.append(Evidence(l.evidence.first?.source ?? logSrc, "the model predicts no interrupt remapping (\(l.code)), but the kernel printed '\(line)'"))
            }
            if let p = predictedMode, let m = mode, p != m {
                disagreements.append(Evidence(logSrc, "the model predicts \(p) mode (ECAP EIM, X2APIC_OPT_OUT, intremap=), the kernel enabled \(m) mode"))
            }
        case .notEnabled(let line):
            if links.isEmpty, allUnitsIR == true, fw.dmarFlags.map({ $0 & 1 != 0 }) == true {
                disagreements.append(Evidence(logSrc, "every link of the chain holds, yet the kernel did not enable interrupt remapping ('\(line)')"))
            }
        case .unknown:
            break
        }
    }
}

extension IRFacts.DMARUnit {
    /// The path (sysfs) or log line the unit's registers come from.
    var evidenceSource: String { source.hasPrefix("sys/") ? source : "\(name) (\(source))" }
}
